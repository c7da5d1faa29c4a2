/**
 * Offline validators for synthesized Kubernetes manifests, for use in tests.
 *
 * - `schemaProblems(manifest)`: upstream OpenAPI schema validation of one object
 *   (via `kubernetes-models`) plus strict unknown-field detection.
 * - `podSecurityProblems(manifests)`: `@monokle/validation` with its offline
 *   plugins (Pod Security Standards, common practices, resource links, YAML syntax).
 *
 * Neither needs a cluster or network access.
 */
import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
// From the core module, not the global: Jest fake timers must not freeze the idle shutdown.
import { setTimeout as realSetTimeout, clearTimeout as realClearTimeout } from 'node:timers';

import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { AnalysisRun } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisRun';
import { AnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import { ClusterAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/ClusterAnalysisTemplate';
import { Experiment } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Experiment';
import { Rollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import { DestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule';
import { Gateway } from '@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway';
import { ServiceEntry } from '@kubernetes-models/istio/networking.istio.io/v1beta1/ServiceEntry';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService';
import { AuthorizationPolicy as AuthorizationPolicyV1 } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1beta1/AuthorizationPolicy';
import { PeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

// ---------------------------------------------------------------------------
// Schema validation
// ---------------------------------------------------------------------------

/**
 * A `kubernetes-models` model class (first-party or a CRD package such as
 * `@kubernetes-models/argo-cd` or `@kubernetes-models/prometheus-operator`).
 * Only its prototype `validate()` is used: it validates `this` with an ajv-compiled function. Models on
 * `@kubernetes-models/base` 5 install it with `setValidateFunc` (precompiled ajv code); older ones on base 4
 * (`@kubernetes-models/istio` 2, `@kubernetes-models/argo-rollouts` 0.3) inherit `Model.prototype.validate`, which
 * compiles the schema with ajv 8 on first use. Both read the object the same way.
 */
export interface ModelClass {
  readonly prototype: { validate(): void };
}

const registry = new Map<string, ModelClass>();
const registryKey = (apiVersion: string, kind: string) => `${apiVersion}\u0000${kind}`;

/**
 * Registers (or replaces) the model used to validate objects of `apiVersion` + `kind`.
 *
 * @example registerModel('argoproj.io/v1alpha1', 'Application', Application)
 */
export function registerModel(apiVersion: string, kind: string, model: ModelClass): void {
  if (typeof model?.prototype?.validate !== 'function') {
    throw new Error(`registerModel(${apiVersion}, ${kind}): not a kubernetes-models class (no prototype.validate)`);
  }
  registry.set(registryKey(apiVersion, kind), model);
}

for (const model of [
  ServiceAccount, Service, ConfigMap, Secret, Namespace, Pod, PersistentVolumeClaim, ResourceQuota, LimitRange,
  Deployment, StatefulSet, DaemonSet, Job, CronJob,
  PodDisruptionBudget, NetworkPolicy, Ingress, HorizontalPodAutoscaler,
  Role, RoleBinding, ClusterRole, ClusterRoleBinding,
  // Argo CD's CRDs (@kubernetes-models/argo-cd, generated from Argo CD's own CRD schemas).
  Application, AppProject, ApplicationSet,
  // prometheus-operator's CRDs.
  ServiceMonitor, PodMonitor, PrometheusRule,
  // Istio's CRDs: @kubernetes-models/istio 2.3.0 carries Istio 1.18.0's schemas, which have no networking.istio.io/v1
  // (Istio 1.22 added it; the package's next major, ESM only, has it). Free-form: `status` only.
  VirtualService, DestinationRule, Gateway, ServiceEntry, PeerAuthentication, AuthorizationPolicy, AuthorizationPolicyV1,
  // Argo Rollouts' CRDs: @kubernetes-models/argo-rollouts 0.3.2 carries Argo Rollouts 1.5.0's schemas, so fields added
  // since are unknown to it (see NEWER_THAN_SCHEMA). Free-form upstream (x-kubernetes-preserve-unknown-fields), so
  // neither type-checked nor checked for unknown fields: every pod template's `volumes` items and container
  // `resources.limits` / `resources.requests` values, `trafficRouting.plugins`, the `plugin` metric provider,
  // `web.jsonBody`, and `antiAffinity.requiredDuringSchedulingIgnoredDuringExecution`.
  Rollout, AnalysisTemplate, ClusterAnalysisTemplate, AnalysisRun, Experiment,
]) {
  registerModel(model.apiVersion, model.kind, model);
}

/**
 * Fields the upstream schema declares, but whose compiled validator never reads them (the schema puts no constraint
 * on them, so ajv generates no code), which the read-tracking above would take for unknown. Each entry is checked
 * against the model's TypeScript declaration.
 */
const DECLARED_BUT_UNCHECKED = new Set([
  'AppProject spec.description', // IAppProject.spec.description?: string
]);

/**
 * Fields the current upstream CRD has but the packaged schema predates, so its validator never reads them and the
 * read-tracking would take them for unknown. Each maps to the type the upstream CRD gives it, which is checked here
 * instead (only the type: the upstream CRDs put no enum on these). `[]` stands for any array index.
 */
const NEWER_THAN_SCHEMA = new Map<string, 'string' | 'integer' | 'boolean'>([
  // Argo Rollouts 1.7 (argoproj/argo-rollouts#3111): never | onsuccess | progressively. The package has 1.5.0's schema.
  ['Rollout spec.workloadRef.scaleDown', 'string'],
]);

function hasJsonType(value: unknown, type: 'string' | 'integer' | 'boolean'): boolean {
  return type === 'integer' ? Number.isInteger(value) : typeof value === type;
}

/** The subset of an ajv `ErrorObject` used here. */
interface AjvError {
  instancePath: string;
  keyword: string;
  params?: Record<string, unknown>;
  message?: string;
}

type Segment = string | number;

/** `['spec', 'containers', 0, 'image']` -> `spec.containers[0].image`; odd keys are quoted. */
function formatPath(segments: readonly Segment[]): string {
  if (segments.length === 0) return '(root)';
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** ajv `instancePath` (a JSON pointer) -> path segments, using the data to tell array indexes from keys. */
function pointerToSegments(pointer: string, root: unknown): Segment[] {
  if (!pointer) return [];
  const segments: Segment[] = [];
  let node: any = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const isIndex = Array.isArray(node) && /^\d+$/.test(key);
    segments.push(isIndex ? Number(key) : key);
    node = node == null ? undefined : node[key];
  }
  return segments;
}

/** What the validator did with one (non-array) object of the manifest. */
interface ObjectAccess {
  readonly segments: Segment[];
  readonly target: Record<string, unknown>;
  /** Property names the validator looked up (get / has / getOwnPropertyDescriptor). */
  readonly read: Set<string>;
  /** The validator enumerated the keys (for-in / Object.keys): it is a free-form map. */
  enumerated: boolean;
}

/**
 * Wraps `root` in Proxies that record every property access per object path.
 *
 * Why: `kubectl apply` / `kubeconform -strict` reject fields that do not exist in
 * the schema, but no offline strict validator exists for Node (the schemas that
 * `kubernetes-models` compiles have no `additionalProperties: false`, so ajv
 * accepts unknown keys silently). The ajv-compiled functions, however, access
 * exactly the keys the schema declares (`data.replicas`, `data.selector`, ...),
 * and iterate maps declared with `additionalProperties` (labels, annotations,
 * ConfigMap data, matchLabels, nodeSelector, resources.limits, ...) with
 * `for (const k in data)`. So after validating the proxy:
 * - an object the validator touched but never enumerated was validated against
 *   a fixed set of properties, and each of its keys that was never read is
 *   unknown to the schema;
 * - an enumerated object is a map: all its keys are legitimate;
 * - an object never touched at all is free-form (`type: object` without
 *   properties, e.g. RawExtension / x-kubernetes-preserve-unknown-fields) or lies
 *   below an unknown field (which is reported itself).
 */
function trackAccess(root: unknown): { proxy: unknown; accesses: Map<string, ObjectAccess> } {
  const accesses = new Map<string, ObjectAccess>();

  const wrap = (value: unknown, segments: Segment[]): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      // Arrays have no "unknown keys"; just hand out wrapped elements.
      return new Proxy(value, {
        get(target, key, receiver) {
          const v = Reflect.get(target, key, receiver);
          return typeof key === 'string' && /^\d+$/.test(key) ? wrap(v, [...segments, Number(key)]) : v;
        },
      });
    }
    const target = value as Record<string, unknown>;
    const id = formatPath(segments);
    let access = accesses.get(id);
    if (!access) {
      access = { segments, target, read: new Set(), enumerated: false };
      accesses.set(id, access);
    }
    const a = access;
    return new Proxy(target, {
      get(t, key, receiver) {
        if (typeof key !== 'string') return Reflect.get(t, key, receiver);
        a.read.add(key);
        return wrap(Reflect.get(t, key, receiver), [...segments, key]);
      },
      has(t, key) {
        if (typeof key === 'string') a.read.add(key);
        return Reflect.has(t, key);
      },
      getOwnPropertyDescriptor(t, key) {
        if (typeof key === 'string') a.read.add(key);
        return Reflect.getOwnPropertyDescriptor(t, key);
      },
      ownKeys(t) {
        a.enumerated = true;
        return Reflect.ownKeys(t);
      },
    });
  };

  return { proxy: wrap(root, []), accesses };
}

/**
 * Validates ONE Kubernetes object (plain JSON, as in the YAML) against the
 * upstream schema of its apiVersion/kind and reports unknown fields.
 *
 * Returns one string per problem, `<kind>/<name>: <path>: <reason>`, e.g.
 * `Deployment/web: spec.replicas: must be integer` or
 * `Deployment/web: spec.template.spec.containers[0].imagePullPolizy: unknown field`.
 * An empty array means the object is valid.
 */
export function schemaProblems(manifest: any): string[] {
  const kind = typeof manifest?.kind === 'string' ? manifest.kind : '<no kind>';
  const name = typeof manifest?.metadata?.name === 'string' ? manifest.metadata.name : '<no name>';
  const prefix = `${kind}/${name}: `;

  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    return [`${prefix}(root): not a Kubernetes object: ${JSON.stringify(manifest)}`];
  }
  const model = registry.get(registryKey(manifest.apiVersion, manifest.kind));
  if (!model) {
    return [`${prefix}(root): no schema registered for apiVersion ${JSON.stringify(manifest.apiVersion)} ` +
      `kind ${JSON.stringify(manifest.kind)} (add it with registerModel() in test/support/validators.ts)`];
  }

  // A JSON copy: exactly what would be serialized to YAML (drops `undefined`),
  // and never frozen (Proxy invariants forbid wrapping frozen properties).
  const data = JSON.parse(JSON.stringify(manifest));
  // Models on @kubernetes-models/base 4 (the Istio and Argo Rollouts packages) look their schema up through `this`:
  // validate() reads the schema id and its lazy registration from symbol-keyed properties of the model's prototype
  // (on a plain object it finds none and returns without validating). So the copy gets that prototype. Harmless for
  // the others: the validators never enumerate the root object, and unknown fields are looked for among own keys.
  Object.setPrototypeOf(data, model.prototype);
  const { proxy, accesses } = trackAccess(data);

  // The generated `validate()` is `runValidateFunc(ajvFn, this)`, so calling it
  // with `this` = proxy runs the ajv function on the proxy itself. (Validating
  // `new Model(x)` would not work: the constructor deep-copies `x` first.)
  const reasons = new Map<string, string[]>();
  const add = (where: string, reason: string) => {
    const list = reasons.get(where) ?? [];
    if (!list.includes(reason)) list.push(reason);
    reasons.set(where, list);
  };
  try {
    model.prototype.validate.call(proxy);
  } catch (err: any) {
    if (!Array.isArray(err?.errors)) throw err; // a crash in the validator, not a validation result
    for (const e of err.errors as AjvError[]) {
      const where = formatPath(pointerToSegments(e.instancePath, data));
      // ajv's enum message does not say which values are allowed.
      const allowed = e.keyword === 'enum' ? ` ${JSON.stringify(e.params)}` : '';
      add(where, `${e.message ?? e.keyword}${allowed}`);
    }
  }

  const rootAccess = accesses.get(formatPath([]));
  if (!rootAccess || rootAccess.read.size === 0) {
    // The model's validate() did not look at `this`; unknown fields cannot be detected.
    add('(root)', 'the validator did not read the object through the proxy; unknown-field detection is not possible for this model');
  } else {
    for (const access of accesses.values()) {
      if (access.enumerated || access.read.size === 0) continue;
      for (const key of Object.keys(access.target)) {
        if (access.read.has(key)) continue;
        const where = formatPath([...access.segments, key]);
        const field = `${manifest.kind} ${where.replace(/\[\d+\]/g, '[]')}`;
        const newer = NEWER_THAN_SCHEMA.get(field);
        if (newer) {
          if (!hasJsonType(access.target[key], newer)) add(where, `must be ${newer}`);
        } else if (!DECLARED_BUT_UNCHECKED.has(field)) {
          add(where, 'unknown field');
        }
      }
    }
  }

  return [...reasons].map(([where, list]) => `${prefix}${where}: ${list.join('; ')}`);
}

// ---------------------------------------------------------------------------
// Pod security / best practices (@monokle/validation)
// ---------------------------------------------------------------------------

/** One result of @monokle/validation. */
export interface PodSecurityFinding {
  /** e.g. `PSS203` (pod security standards), `KBP102` (practices), `LNK001` (links), `YML010` (YAML). */
  readonly ruleId: string;
  readonly level: 'error' | 'warning' | string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** Dotted path of the offending field when the rule reports one. */
  readonly path?: string;
  readonly message: string;
}

export interface PodSecurityOptions {
  /**
   * Rule ids whose findings are deliberately accepted, e.g. `['KBP106']`.
   * Unknown ids throw, so a typo cannot silently ignore nothing.
   */
  readonly ignore?: readonly string[];
}

/** Known rules of the enabled plugins, as reported by the worker. */
export interface PodSecurityRule {
  readonly id: string;
  readonly name: string;
  readonly plugin: string;
  readonly level: string;
}

/**
 * The monokle validator lives in a child process (see ./monokle-worker.mjs for
 * why, and for what each enabled plugin checks). It is started on first use and
 * reused by later calls; after IDLE_SHUTDOWN_MS without requests it is stopped
 * (Jest keeps its worker processes alive across test files, and each test file
 * has its own copy of this module, so an idle child would otherwise linger with
 * ~80 MB until the end of the run). The next call simply starts a new one.
 */
const IDLE_SHUTDOWN_MS = 5_000;

class MonokleWorker {
  /**
   * Forks the worker and resolves once its validator is loaded. `onGone` runs
   * once, when the worker stops accepting requests (stopped, idle, crashed).
   */
  static start(onGone: () => void): Promise<MonokleWorker> {
    return new Promise((resolve, reject) => {
      const child = fork(path.join(__dirname, 'monokle-worker.mjs'), [], {
        execArgv: [], // not Jest's flags
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      let worker: MonokleWorker | undefined;
      child.on('message', (msg: any) => {
        if (msg?.type === 'ready') {
          worker = new MonokleWorker(child, msg.rules, onGone);
          worker.updateRef();
          resolve(worker);
        } else if (msg?.type === 'fatal') {
          reject(new Error(`monokle worker failed to load:\n${msg.error}`));
          child.kill();
        } else {
          worker?.settle(msg);
        }
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        // May run after the test file finished (idle shutdown): allocate nothing unless needed.
        if (worker) worker.shutDown(`monokle worker exited (code ${code}, signal ${signal})`);
        else reject(new Error(`monokle worker exited before it was ready (code ${code}, signal ${signal})`));
      });
    });
  }

  private readonly pending = new Map<number, { resolve(f: PodSecurityFinding[]): void; reject(e: Error): void }>();
  private nextId = 0;
  private idleTimer: ReturnType<typeof realSetTimeout> | undefined;
  private gone = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly rules: readonly PodSecurityRule[],
    private readonly onGone: () => void,
  ) {}

  validate(payload: { manifests: unknown[] } | { yaml: string }): Promise<PodSecurityFinding[]> {
    if (this.gone) return Promise.reject(new Error('monokle worker was stopped while this call was starting'));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.updateRef();
      this.child.send({ id, ...payload }, err => {
        if (err) this.settle({ id, error: String(err) });
      });
    });
  }

  /** Rejects whatever is pending, forgets this worker and lets the child exit. */
  shutDown(reason: string): void {
    realClearTimeout(this.idleTimer);
    if (this.pending.size > 0) {
      const err = new Error(reason);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    }
    if (this.child.connected) this.child.disconnect(); // the worker exits on disconnect
    if (!this.gone) {
      this.gone = true;
      this.onGone();
    }
  }

  private settle(msg: { id: number; findings?: PodSecurityFinding[]; error?: string }): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    this.updateRef();
    if (msg.error !== undefined) p.reject(new Error(`monokle validation failed:\n${msg.error}`));
    else p.resolve(msg.findings ?? []);
  }

  /**
   * Keeps the test process alive only while a request is in flight (so Jest can
   * exit), and arms the idle shutdown when nothing is pending.
   */
  private updateRef(): void {
    const channel = (this.child as any).channel as { ref(): void; unref(): void } | undefined;
    realClearTimeout(this.idleTimer);
    if (this.pending.size > 0) {
      this.child.ref();
      channel?.ref();
    } else {
      this.child.unref();
      channel?.unref();
      this.idleTimer = realSetTimeout(() => this.shutDown('monokle worker idle'), IDLE_SHUTDOWN_MS).unref();
    }
  }
}

/** The module-level worker: loaded once, reused by every call until it is stopped. */
let workerPromise: Promise<MonokleWorker> | undefined;

function getWorker(): Promise<MonokleWorker> {
  if (!workerPromise) {
    const forget = () => {
      if (workerPromise === started) workerPromise = undefined; // the next call starts a new one
    };
    const started: Promise<MonokleWorker> = MonokleWorker.start(forget);
    started.catch(forget);
    workerPromise = started;
  }
  return workerPromise;
}

/**
 * Stops the monokle child process now instead of after the idle delay, e.g.
 * `afterAll(stopPodSecurityValidator)`. Later calls start a new one.
 */
export async function stopPodSecurityValidator(): Promise<void> {
  const p = workerPromise;
  workerPromise = undefined;
  if (p) (await p.catch(() => undefined))?.shutDown('monokle worker stopped');
}

/** The rules that `podSecurityProblems` runs (all of them enabled). */
export async function podSecurityRules(): Promise<readonly PodSecurityRule[]> {
  return (await getWorker()).rules;
}

/**
 * Runs @monokle/validation offline over a set of objects (or a multi-document
 * YAML string, which additionally makes the yaml-syntax plugin meaningful) and
 * returns structured findings, minus `options.ignore`d rule ids.
 */
export async function podSecurityFindings(
  manifests: readonly any[] | string,
  options: PodSecurityOptions = {},
): Promise<PodSecurityFinding[]> {
  const worker = await getWorker();
  const known = new Set(worker.rules.map(r => r.id));
  const unknown = (options.ignore ?? []).filter(id => !known.has(id));
  if (unknown.length > 0) {
    throw new Error(`podSecurityProblems: unknown rule id(s) in ignore: ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  }
  const ignore = new Set(options.ignore ?? []);
  const findings = await worker.validate(typeof manifests === 'string' ? { yaml: manifests } : { manifests: [...manifests] });
  return findings.filter(f => !ignore.has(f.ruleId));
}

/**
 * Like `podSecurityFindings`, formatted as
 * `<ruleId> <kind>/<name>: <message> [<level>] at <path>`, e.g.
 * `PSS203 Deployment/web: Requires the container to runs as non root user. [error] at spec.template.spec.containers.0.securityContext.runAsNonRoot`.
 * Includes practices "warning"s; callers decide what to accept via `ignore`.
 */
export async function podSecurityProblems(
  manifests: readonly any[] | string,
  options: PodSecurityOptions = {},
): Promise<string[]> {
  return (await podSecurityFindings(manifests, options)).map(f =>
    `${f.ruleId} ${f.kind}/${f.name}: ${f.message} [${f.level}]${f.path ? ` at ${f.path}` : ''}`);
}
