import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { GantryError } from '../core/errors';
import { ControllerManagedFields } from '../core/managed-fields';
import { SYNC_WAVE_ANNOTATION } from '../environment/sync-waves';

// How synthesized objects become kubernetes_manifest resources: their addresses, their order, the fields controllers
// own, and the escaping Terraform's JSON syntax needs. Pure functions of the rendered objects: no cdktf here.

/** One object of a stack, as `cdk8s synth` writes it. */
export interface StackObject {
  readonly apiObject: ApiObject;
  /** The cdk8s chart's path: objects are ordered within their chart. */
  readonly chart: string;
  /** The rendered object. */
  readonly json: any;
}

/** A kubernetes_manifest resource to write. */
export interface ManifestResource {
  /** The resource name (`kubernetes_manifest.<name>`). */
  readonly name: string;
  /** The object, its strings escaped for Terraform. */
  readonly manifest: any;
  /** The names of the resources it depends on. */
  readonly dependsOn: string[];
  readonly computedFields: string[];
  /** Whether Terraform waits for its rollout (Deployments, StatefulSets, DaemonSets). */
  readonly rollout: boolean;
  /** Whether the object is a custom resource, whose CRD must be in the cluster when Terraform plans. */
  readonly customResource: boolean;
}

/** The kinds whose rollout kubernetes_manifest can wait for. */
const ROLLOUT_KINDS = new Set(['apps/v1 Deployment', 'apps/v1 StatefulSet', 'apps/v1 DaemonSet']);

/**
 * API groups every cluster serves: objects of other groups are custom resources (prometheus-operator, Argo Rollouts,
 * Istio, Argo CD), which the provider can only plan once their CRDs are installed.
 */
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io',
  'scheduling.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'node.k8s.io', 'admissionregistration.k8s.io',
  'apiextensions.k8s.io', 'apiregistration.k8s.io', 'certificates.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io',
]);

/** The fields kubernetes_manifest treats as computed when none are given: others' tools add labels and annotations. */
const DEFAULT_COMPUTED = ['metadata.annotations', 'metadata.labels'];

/**
 * The kubernetes_manifest resources of `objects`: named by the object's identity, ordered by sync wave within each
 * chart (the order Argo CD applies them in), with the fields controllers own as computed fields.
 */
export function manifestResources(scope: IConstruct, objects: StackObject[]): ManifestResource[] {
  const names = new Map<string, StackObject>();
  const nameOf = new Map<ApiObject, string>();
  for (const o of objects) {
    const name = resourceName(o.json);
    const other = names.get(name);
    if (other !== undefined) {
      throw GantryError.of(scope, 'stacks', name,
        `is the Terraform address of both ${describe(other.json)} (${other.apiObject.node.path}) and ${describe(o.json)} (${o.apiObject.node.path})`,
        'rename one of the objects: an address is made of the kind, namespace and name, with characters Terraform refuses as \'_\'');
    }
    names.set(name, o);
    nameOf.set(o.apiObject, name);
  }

  // Within a chart, each object depends on the objects of the wave before its own: waves apply one after the other,
  // and Terraform's graph keeps that order without an edge between every pair.
  const waves = new Map<string, Map<number, string[]>>();
  for (const o of objects) {
    const byWave = waves.get(o.chart) ?? new Map<number, string[]>();
    waves.set(o.chart, byWave);
    const wave = waveOf(o.json);
    if (!byWave.has(wave)) byWave.set(wave, []);
    byWave.get(wave)!.push(nameOf.get(o.apiObject)!);
  }

  return objects.map((o) => {
    const name = nameOf.get(o.apiObject)!;
    const byWave = waves.get(o.chart)!;
    const earlier = [...byWave.keys()].filter((w) => w < waveOf(o.json)).sort((a, b) => b - a)[0];
    // Dependencies declared in cdk8s (`node.addDependency`) between objects of the stack hold as well.
    const declared = o.apiObject.node.dependencies.map((d) => nameOf.get(d as ApiObject)).filter((n): n is string => n !== undefined);
    const dependsOn = [...new Set([...earlier === undefined ? [] : byWave.get(earlier)!, ...declared])].sort();
    const managed = ControllerManagedFields.has(o.apiObject) ? ControllerManagedFields.of(o.apiObject).pointers.map(fieldPath) : [];
    return {
      name,
      manifest: escapeTemplates(o.json),
      dependsOn,
      computedFields: [...new Set([...DEFAULT_COMPUTED, ...managed])],
      rollout: ROLLOUT_KINDS.has(`${o.json.apiVersion} ${o.json.kind}`),
      customResource: !BUILT_IN_GROUPS.has(groupOf(o.json.apiVersion)),
    };
  });
}

/**
 * The resource name of an object: `<kind>_<namespace>_<name>` in lowercase letters, digits, '_' and '-' (what Terraform
 * accepts), from what identifies the object in the cluster, never from construct ids: moving a construct moves
 * nothing in Terraform's state.
 */
export function resourceName(json: any): string {
  const parts = [json.kind, json.metadata?.namespace, json.metadata?.name].filter((p) => p !== undefined && p !== '');
  return parts.join('_').toLowerCase().replace(/[^a-z0-9_-]/g, '_');
}

/**
 * A copy of `value` whose strings Terraform reads literally. In Terraform's JSON syntax every string of an argument is
 * a template: `${...}` and `%{...}` (a Grafana variable in a dashboard, a shell default in a command) would be
 * evaluated. They are written `$${` and `%%{`, which Terraform reads back as `${` and `%{`.
 */
export function escapeTemplates(value: any): any {
  if (typeof value === 'string') return value.replace(/([$%])\{/g, '$1$1{');
  if (Array.isArray(value)) return value.map(escapeTemplates);
  if (value !== null && typeof value === 'object') {
    const out: any = {};
    for (const [k, v] of Object.entries(value)) out[escapeTemplates(k)] = escapeTemplates(v);
    return out;
  }
  return value;
}

/** `/spec/template/metadata/annotations/a.b~1c` as kubernetes_manifest's field path: `spec.template.metadata.annotations["a.b/c"]`. */
export function fieldPath(pointer: string): string {
  return pointer.split('/').slice(1).map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~')).map((key, i) => {
    if (/^\d+$/.test(key)) return `[${key}]`;
    if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return i === 0 ? key : `.${key}`;
    return `[${JSON.stringify(key)}]`;
  }).join('');
}

function waveOf(json: any): number {
  const wave = Number(json.metadata?.annotations?.[SYNC_WAVE_ANNOTATION] ?? 0);
  return Number.isFinite(wave) ? wave : 0;
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

function describe(json: any): string {
  return `${json.kind} ${json.metadata?.namespace ? `${json.metadata.namespace}/` : ''}${json.metadata?.name}`;
}
