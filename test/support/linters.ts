/**
 * Runs the real kube-linter and kube-score (installed into .tools/bin by `npx projen tools`, which `npm test` runs
 * first) over Kubernetes manifests, for use in tests, and returns their findings one by one.
 *
 * Both read the repository's configuration: `.kube-linter.yaml` (kube-linter's own format) and `.kube-score.yaml`
 * (ours: kube-score has none, so `kubeScoreArgs` turns it into flags and `kubeScore` drops the findings it accepts).
 * Manifests are YAML text (one or more documents, kept as written, so helm's `# Source:` comments still name the
 * template) or objects, or a list of both; each call runs the tool once over all of them, so the checks that relate
 * objects (a Service and its pods, an HPA and its target) see them together.
 *
 * kube-linter may be missing: where the Go module proxy refuses it, `npx projen tools` writes
 * `.tools/bin/kube-linter.unavailable` with the reason, and `kubeLinterUnavailable()` returns it, for tests to skip.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, '.tools', 'bin');
const KUBE_LINTER = path.join(BIN, 'kube-linter');
const KUBE_SCORE = path.join(BIN, 'kube-score');

/** The repository's kube-linter configuration. */
export const KUBE_LINTER_CONFIG = path.join(ROOT, '.kube-linter.yaml');
/** The repository's kube-score settings (see the file for its format). */
export const KUBE_SCORE_CONFIG = path.join(ROOT, '.kube-score.yaml');

/** YAML text, an object, or a list of both. */
export type Manifests = string | object | ReadonlyArray<string | object>;

/** One finding of either tool, about one object. */
export interface LintFinding {
  readonly tool: 'kube-linter' | 'kube-score';
  /** kube-linter's check name, or kube-score's test id (`container-image-tag`). */
  readonly check: string;
  readonly kind: string;
  /** '' when the object has none. */
  readonly namespace: string;
  readonly name: string;
  /** What the tool says. kube-score: the comment's summary, after the container it is about, if any. */
  readonly message: string;
  /** kube-score's grade: CRITICAL, WARNING or ALMOST_OK; kube-linter has none. */
  readonly severity?: string;
}

/** What kube-score found, and which objects it scored (the kinds it knows; it skips the others without a word). */
export interface KubeScoreResult {
  readonly findings: LintFinding[];
  /** `Kind namespace/name` of every object kube-score scored. */
  readonly scored: string[];
  /** The findings `.kube-score.yaml` accepts, each with the entry that accepts it. */
  readonly accepted: { readonly finding: LintFinding; readonly entry: KubeScoreAccept }[];
}

/** `.kube-score.yaml`: every entry says why. */
export interface KubeScoreConfig {
  readonly kubernetesVersion?: string;
  readonly enableOptionalTests?: { readonly id: string; readonly why: string }[];
  readonly ignoreTests?: { readonly id: string; readonly why: string }[];
  readonly accept?: KubeScoreAccept[];
}

/** Findings to drop: every condition given must hold. */
export interface KubeScoreAccept {
  readonly test: string;
  /** The finding's text exactly (kube-score's summary, without the container). */
  readonly summary?: string;
  readonly kind?: string;
  /** Values at dotted paths in the object; null: the field is absent. */
  readonly where?: Record<string, unknown>;
  /** An object of `kind`, in the same namespace, whose `field` ({ kind, name }) names this object. */
  readonly referencedBy?: { readonly kind: string; readonly field: string };
  readonly why: string;
}

/** Why kube-linter is not installed (`npx projen tools` could not get it), or undefined if it is, or should be. */
export function kubeLinterUnavailable(): string | undefined {
  const note = `${KUBE_LINTER}.unavailable`;
  return !fs.existsSync(KUBE_LINTER) && fs.existsSync(note) ? fs.readFileSync(note, 'utf8').trim() : undefined;
}

/** The kube-linter binary; throws if it has not been installed. */
export function kubeLinterPath(): string {
  if (!fs.existsSync(KUBE_LINTER)) {
    throw new Error(`kube-linter is not installed at ${KUBE_LINTER}: ${kubeLinterUnavailable() ?? "run 'npx projen tools'"}`);
  }
  return KUBE_LINTER;
}

/** The kube-score binary; throws if it has not been installed. */
export function kubeScorePath(): string {
  if (!fs.existsSync(KUBE_SCORE)) {
    throw new Error(`kube-score is not installed at ${KUBE_SCORE}: run 'npx projen tools'`);
  }
  return KUBE_SCORE;
}

/**
 * `kube-linter lint` with `config` (the repository's `.kube-linter.yaml` unless given; null: kube-linter's defaults).
 * An object kube-linter cannot load is a finding too (check `failed-to-load-object`).
 */
export function kubeLinter(manifests: Manifests, options: { config?: string | null } = {}): LintFinding[] {
  const { text } = collect(manifests);
  const config = options.config === undefined ? KUBE_LINTER_CONFIG : options.config;
  return inTempDir((dir) => {
    const file = path.join(dir, 'manifests.yaml');
    fs.writeFileSync(file, text);
    const args = ['lint', '--format', 'json', '--fail-if-no-objects-found', '--fail-on-invalid-resource'];
    if (config !== null) args.push('--config', config);
    // In `dir`, where no .kube-linter.yaml is found by default; and no KUBE_LINTER_* setting of the user's.
    const result = run(kubeLinterPath(), [...args, file], dir, (name) => !name.startsWith('KUBE_LINTER'));
    const report = parseJson(result, 'kube-linter') as { Reports: KubeLinterReport[] | null };
    return sortFindings((report.Reports ?? []).map((r) => ({
      tool: 'kube-linter' as const,
      check: r.Check,
      kind: r.Object.K8sObject.GroupVersionKind?.Kind ?? '',
      namespace: r.Object.K8sObject.Namespace ?? '',
      name: r.Object.K8sObject.Name ?? '',
      message: r.Diagnostic.Message,
    })));
  });
}

/**
 * `kube-score score` with `config` (the repository's `.kube-score.yaml` unless given; null: kube-score's defaults):
 * the findings it does not accept, and the ones it does.
 */
export function kubeScore(manifests: Manifests, options: { config?: KubeScoreConfig | null } = {}): KubeScoreResult {
  const { text, objects } = collect(manifests);
  const config = options.config === undefined ? loadKubeScoreConfig() : options.config ?? {};
  const scorecard = inTempDir((dir) => {
    const file = path.join(dir, 'manifests.yaml');
    fs.writeFileSync(file, text);
    const result = run(kubeScorePath(), ['score', ...kubeScoreArgs(config), file], dir);
    // An empty list prints as null.
    return (parseJson(result, 'kube-score') ?? []) as KubeScoreObject[];
  });
  const findings: LintFinding[] = [];
  const accepted: { finding: LintFinding; entry: KubeScoreAccept }[] = [];
  for (const scored of scorecard) {
    for (const check of scored.checks) {
      if (check.skipped || check.grade >= GRADE_OK) continue;
      const comments = check.comments?.length ? check.comments : [{ path: '', summary: '' }];
      for (const comment of comments) {
        const finding: LintFinding = {
          tool: 'kube-score',
          check: check.check.id,
          kind: scored.type_meta.kind,
          namespace: scored.object_meta.namespace ?? '',
          name: scored.object_meta.name,
          message: comment.path ? `(${comment.path}) ${comment.summary}` : comment.summary,
          severity: GRADES[check.grade] ?? String(check.grade),
        };
        const entry = (config.accept ?? []).find((a) => accepts(a, finding, comment.summary, objects));
        if (entry !== undefined) accepted.push({ finding, entry });
        else findings.push(finding);
      }
    }
  }
  const scoredNames = scorecard.map((o) => `${o.type_meta.kind} ${o.object_meta.namespace ?? ''}/${o.object_meta.name}`);
  const order = sortFindings(accepted.map((a) => a.finding));
  accepted.sort((a, b) => order.indexOf(a.finding) - order.indexOf(b.finding));
  return { findings: sortFindings(findings), scored: scoredNames.sort(), accepted };
}

/** The repository's `.kube-score.yaml`, or another file of that format. */
export function loadKubeScoreConfig(file: string = KUBE_SCORE_CONFIG): KubeScoreConfig {
  return parse(fs.readFileSync(file, 'utf8')) as KubeScoreConfig;
}

/**
 * The flags `kube-score score` takes for `config`: JSON output, the Kubernetes version, the optional tests it enables
 * and the tests it ignores; and no opting out by the objects' kube-score/ignore annotations.
 */
export function kubeScoreArgs(config: KubeScoreConfig): string[] {
  const args = ['--output-format', 'json', '--color', 'never', '--disable-ignore-checks-annotations'];
  if (config.kubernetesVersion !== undefined) args.push('--kubernetes-version', config.kubernetesVersion);
  for (const t of config.enableOptionalTests ?? []) args.push('--enable-optional-test', t.id);
  for (const t of config.ignoreTests ?? []) args.push('--ignore-test', t.id);
  return args;
}

/** Every check kube-linter has (`kube-linter checks list`). */
export function kubeLinterChecks(): string[] {
  return inTempDir((dir) => {
    const list = parseJson(run(kubeLinterPath(), ['checks', 'list', '--format', 'json'], dir), 'kube-linter') as { name: string }[];
    return list.map((c) => c.name);
  });
}

/** Every test kube-score has (`kube-score list`), and whether it is optional. */
export function kubeScoreTests(): { id: string; targetType: string; optional: boolean }[] {
  return inTempDir((dir) => {
    const result = run(kubeScorePath(), ['list'], dir);
    if (result.status !== 0) throw new Error(`'kube-score list' failed:\n${result.stderr}`);
    // id,target type,comment (which may hold commas),default|optional
    return result.stdout.trim().split('\n').map((line) => {
      const [id, targetType] = line.split(',');
      return { id, targetType, optional: line.slice(line.lastIndexOf(',') + 1) === 'optional' };
    });
  });
}

/** A finding on one line: `kube-score deployment-replicas Deployment shop/orders: Deployment few replicas`. */
export function formatFinding(f: LintFinding): string {
  return `${f.tool} ${f.check} ${f.kind} ${f.namespace}/${f.name}: ${f.message}`;
}

const GRADE_OK = 10;
const GRADES: Record<number, string> = { 1: 'CRITICAL', 5: 'WARNING', 7: 'ALMOST_OK' };

interface KubeLinterReport {
  Check: string;
  Diagnostic: { Message: string };
  Object: { K8sObject: { Namespace?: string; Name?: string; GroupVersionKind?: { Kind: string } } };
}

interface KubeScoreObject {
  type_meta: { kind: string };
  object_meta: { name: string; namespace?: string };
  checks: {
    check: { id: string };
    grade: number;
    skipped: boolean;
    comments: { path: string; summary: string }[] | null;
  }[];
}

/** By object, then check and message: the tools' own order changes from run to run. */
function sortFindings(findings: LintFinding[]): LintFinding[] {
  const key = (f: LintFinding) => [f.kind, f.namespace, f.name, f.check, f.message].join('\u0000');
  return findings.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function accepts(entry: KubeScoreAccept, finding: LintFinding, summary: string, objects: any[]): boolean {
  if (entry.test !== finding.check) return false;
  if (entry.summary !== undefined && entry.summary !== summary) return false;
  if (entry.kind !== undefined && entry.kind !== finding.kind) return false;
  if (entry.where === undefined && entry.referencedBy === undefined) return true;
  const object = objects.find((o) => o.kind === finding.kind && o.metadata?.name === finding.name && (o.metadata?.namespace ?? '') === finding.namespace);
  if (object === undefined) return false;
  for (const [field, value] of Object.entries(entry.where ?? {})) {
    if ((at(object, field) ?? null) !== value) return false;
  }
  const by = entry.referencedBy;
  if (by !== undefined) {
    const referrers = objects.filter((o) => o.kind === by.kind && (o.metadata?.namespace ?? '') === finding.namespace);
    if (!referrers.some((o) => at(o, by.field)?.kind === finding.kind && at(o, by.field)?.name === finding.name)) return false;
  }
  return true;
}

function at(object: any, field: string): any {
  return field.split('.').reduce((value, key) => (value === null || value === undefined ? undefined : value[key]), object);
}

/** One YAML stream of all the manifests, text kept as written, and the objects in it. */
function collect(manifests: Manifests): { text: string; objects: any[] } {
  const items = Array.isArray(manifests) ? manifests : [manifests];
  const texts: string[] = [];
  const objects: any[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      for (const doc of parseAllDocuments(item)) {
        // The tools would report a broken document vaguely (kube-score) or not at all (kube-linter skips it).
        if (doc.errors.length > 0) throw new Error(`manifests do not parse as YAML: ${doc.errors[0].message}`);
        const object = doc.toJS();
        if (object !== null && object !== undefined) objects.push(object);
      }
      texts.push(item);
    } else {
      objects.push(item);
      // No anchors for objects used twice, and no folded lines: the text reads as the object.
      texts.push(stringify(item, { aliasDuplicateObjects: false, lineWidth: 0 }));
    }
  }
  if (objects.length === 0) throw new Error('no manifests to lint');
  // kube-score splits documents at '\n---\n' exactly.
  return { text: texts.map((t) => t.replace(/\n*$/, '\n')).join('---\n'), objects };
}

function parseJson(result: { status: number | null; stdout: string; stderr: string }, tool: string): unknown {
  // Both exit 1 when they find something, and print their report all the same; no report is a failure.
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(`${tool} printed no JSON report (exit code ${result.status}):\n${result.stderr}${result.stdout}`);
  }
}

function run(bin: string, args: string[], cwd: string, keepEnv: (name: string) => boolean = () => true) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => keepEnv(name)));
  const result = spawnSync(bin, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function inTempDir<T>(body: (dir: string) => T): T {
  // Fresh per call and removed after it: calls cannot see each other's files, and nothing is left behind.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-lint-'));
  try {
    return body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
