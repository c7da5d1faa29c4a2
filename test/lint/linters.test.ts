/**
 * kube-linter and kube-score over what Gantry synthesizes: every environment of the example shop, its Argo CD objects,
 * and the Helm rendering of prod's chart. They find nothing but what .kube-linter.yaml and .kube-score.yaml accept,
 * each with its reason. Custom resources (Rollout, AnalysisTemplate, VirtualService, DestinationRule, ServiceMonitor,
 * PrometheusRule, the Argo CD objects) go in with the rest, and must not make either tool fail.
 *
 * Each tool runs once per set of manifests. Self-tests prove that both can fail, with the repository's settings: a
 * badly written Deployment gets the findings it deserves.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Chart } from 'cdk8s';
import { parse, parseAllDocuments } from 'yaml';
import { shopArgoCd, shopEnvironments } from '../../examples/shop/environments';
import { buildShop } from '../../examples/shop/shop';
import { GantryApp, HelmExport } from '../../src';
import { CUSTOM_APIS, helmTemplate } from '../support/helm';
import {
  formatFinding, KUBE_LINTER_CONFIG, kubeLinter, kubeLinterChecks, kubeLinterUnavailable, kubeScore, KubeScoreAccept,
  KubeScoreResult, kubeScoreTests, LintFinding, loadKubeScoreConfig,
} from '../support/linters';

/** The shop as examples/shop/main.ts builds it, by set: each environment, the Argo CD objects, prod's Helm chart. */
function synthShop(): Map<string, any[]> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-lint-shop-'));
  try {
    const app = new GantryApp({ outdir });
    const environments = shopEnvironments(app);
    for (const env of environments) buildShop(env);
    shopArgoCd(new Chart(app, 'argocd'), new Chart(app, 'argocd-root'), environments);
    app.synth();
    const chartDir = path.join(outdir, 'helm', 'shop');
    HelmExport.writeChart(environments.find((e) => e.name === 'prod')!, { name: 'shop', version: '0.1.0', outdir: chartDir });

    const sets = new Map<string, any[]>();
    const read = (file: string) => parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8')).map((d) => d.toJS());
    for (const env of environments) {
      sets.set(env.name, fs.readdirSync(path.join(outdir, env.name)).sort().flatMap((f) => read(path.join(env.name, f))));
    }
    sets.set('argocd', ['argocd.k8s.yaml', 'argocd-root.k8s.yaml'].flatMap(read));
    // As `helm template shop dist/helm/shop -n shop` renders it for a cluster with the operators, with default values.
    const rendered = helmTemplate(chartDir, { releaseName: 'shop', namespace: 'shop', apiVersions: CUSTOM_APIS, skipTests: true });
    if (!rendered.ok) throw new Error(`helm template failed:\n${rendered.stderr}`);
    sets.set('helm prod', rendered.objects);
    return sets;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const SETS = synthShop();
const SET_NAMES = [...SETS.keys()];
/** The kinds among the example's objects that kube-score scores. */
const SCORED_KINDS = new Set(['Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy', 'HorizontalPodAutoscaler']);
const lines = (findings: LintFinding[]) => findings.map(formatFinding);

/** A Deployment written the way Gantry never writes one: `latest`, no resources, root, no probes, no policy. */
const BAD_DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  // Objects cannot silence kube-score: the helper disables these annotations.
  metadata: { name: 'bad', namespace: 'lint', annotations: { 'kube-score/ignore': 'container-image-tag,container-resources' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'bad' } },
    template: {
      metadata: { labels: { app: 'bad' } },
      spec: { containers: [{ name: 'app', image: 'nginx:latest', securityContext: { runAsUser: 0 } }] },
    },
  },
};
/** An HPA whose target does not exist: only an HPA in front of an Argo Rollout is accepted. */
const DANGLING_HPA = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'bad', namespace: 'lint' },
  spec: { minReplicas: 2, maxReplicas: 4, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'missing' } },
};

test('the example synthesizes every set, custom resources included, and no object opts out of a linter', () => {
  expect(SET_NAMES).toEqual(['dev', 'staging', 'prod', 'argocd', 'helm prod']);
  const kinds = new Set([...SETS.values()].flat().map((o) => o.kind));
  for (const kind of ['Rollout', 'AnalysisTemplate', 'VirtualService', 'DestinationRule', 'ServiceMonitor', 'PrometheusRule', 'AppProject', 'ApplicationSet', 'Application']) {
    expect(kinds).toContain(kind);
  }
  // kube-linter honours ignore-check.kube-linter.io/<check> annotations, and has no flag to turn them off.
  const optOuts = [...SETS.values()].flat().flatMap((o) => Object.keys(o.metadata?.annotations ?? {}))
    .filter((a) => a.startsWith('ignore-check.kube-linter.io/') || a.startsWith('kube-score/'));
  expect(optOuts).toEqual([]);
});

describe('kube-score', () => {
  const config = loadKubeScoreConfig();
  let results: Map<string, KubeScoreResult>;
  beforeAll(() => {
    results = new Map(SET_NAMES.map((name) => [name, kubeScore(SETS.get(name)!, { config })]));
  });

  test.each(SET_NAMES)('%s: no finding but those .kube-score.yaml accepts', (name) => {
    expect(lines(results.get(name)!.findings)).toEqual([]);
  });

  test('it scores every object of a kind it knows, and skips custom resources, ConfigMaps and ServiceAccounts', () => {
    for (const [name, objects] of SETS) {
      const scorable = objects.filter((o) => SCORED_KINDS.has(o.kind));
      expect([name, results.get(name)!.scored]).toEqual([name, scorable.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`).sort()]);
    }
    expect(results.get('argocd')!.scored).toEqual([]);
  });

  test('every accepted finding is still found somewhere, so no entry outlives its reason', () => {
    const used = new Set<KubeScoreAccept>([...results.values()].flatMap((r) => r.accepted.map((a) => a.entry)));
    expect((config.accept ?? []).filter((a) => !used.has(a)).map((a) => a.test)).toEqual([]);
    // prod's Rollouts are why the two narrow entries exist; the Helm chart renders the same objects.
    for (const name of ['prod', 'helm prod']) {
      expect(lines(results.get(name)!.accepted.filter((a) => a.entry.test !== 'pod-networkpolicy').map((a) => a.finding))).toEqual([
        'kube-score deployment-replicas Deployment shop/orders: Deployment few replicas',
        'kube-score horizontalpodautoscaler-has-target HorizontalPodAutoscaler shop/orders: The HPA target does not match anything',
      ]);
    }
  });

  test('.kube-score.yaml names only tests kube-score has, each with a reason', () => {
    const tests = new Map(kubeScoreTests().map((t) => [t.id, t]));
    const entries = [
      ...(config.enableOptionalTests ?? []), ...(config.ignoreTests ?? []), ...(config.accept ?? []).map((a) => ({ id: a.test, why: a.why })),
    ];
    expect(entries.filter((e) => !tests.has(e.id)).map((e) => e.id)).toEqual([]);
    expect(entries.filter((e) => typeof e.why !== 'string' || e.why.trim().length < 20).map((e) => e.id)).toEqual([]);
    // Enabling a default test, or ignoring an optional one that is not enabled, would do nothing.
    expect((config.enableOptionalTests ?? []).filter((e) => !tests.get(e.id)?.optional).map((e) => e.id)).toEqual([]);
    expect((config.ignoreTests ?? []).filter((e) => tests.get(e.id)?.optional).map((e) => e.id)).toEqual([]);
  });

  test('self-test: a bad Deployment and a dangling HPA fail, with the repository settings and despite kube-score/ignore', () => {
    const { findings } = kubeScore([BAD_DEPLOYMENT, DANGLING_HPA]);
    const checks = new Set(findings.map((f) => f.check));
    for (const check of [
      'container-image-tag', // latest, though the object asks to ignore it
      'container-resources', // no requests or limits
      'container-security-context-user-group-id', // runs as root
      'container-security-context-readonlyrootfilesystem',
      'container-seccomp-profile', // an optional test .kube-score.yaml enables
      'deployment-has-poddisruptionbudget',
      'horizontalpodautoscaler-has-target', // accepted only when the target is a Rollout
    ]) {
      expect(checks).toContain(check);
    }
    expect(lines(findings)).toContain('kube-score container-image-tag Deployment lint/bad: (app) Image with latest tag');
    // The accepted egress finding is that one only: a pod with no NetworkPolicy at all is reported.
    expect(lines(findings)).toContain('kube-score pod-networkpolicy Deployment lint/bad: The pod does not have a matching NetworkPolicy');
  });

  test('self-test: an object kube-score cannot read, or YAML that does not parse, is an error, not a pass', () => {
    const unreadable = { ...BAD_DEPLOYMENT, spec: { ...BAD_DEPLOYMENT.spec, replicas: 'two' } };
    expect(() => kubeScore([unreadable])).toThrow(/kube-score printed no JSON report[\s\S]*cannot unmarshal string/);
    expect(() => kubeScore('kind: Deployment\nmetadata: [\n')).toThrow('manifests do not parse as YAML');
  });
});

const unavailable = kubeLinterUnavailable();
// Where the Go module proxy refuses kube-linter, `npx projen tools` says so and leaves a note: these tests are skipped
// then, and only then (a kube-linter that is merely missing fails them).
const describeKubeLinter = unavailable === undefined ? describe : describe.skip;
if (unavailable !== undefined) {
  console.warn(`kube-linter tests skipped: ${unavailable}`);
}

describeKubeLinter('kube-linter', () => {
  // In a hook, not at collection: describe.skip still runs this function's body.
  let results: Map<string, LintFinding[]>;
  beforeAll(() => {
    results = new Map(SET_NAMES.map((name) => [name, kubeLinter(SETS.get(name)!)]));
  });

  test.each(SET_NAMES)('%s: no finding but those .kube-linter.yaml excludes', (name) => {
    expect(lines(results.get(name)!)).toEqual([]);
  });

  test('.kube-linter.yaml excludes only checks kube-linter has, each under a comment that says why', () => {
    const text = fs.readFileSync(KUBE_LINTER_CONFIG, 'utf8');
    const config = parse(text);
    expect(config.checks.addAllBuiltIn).toBe(true);
    const known = new Set(kubeLinterChecks());
    const excluded: string[] = config.checks.exclude;
    expect(excluded.filter((c) => !known.has(c))).toEqual([]);
    // Each excluded name sits in a block of lines (up to a blank line) that starts with a comment.
    const list = text.slice(text.indexOf('\n', text.indexOf('  exclude:')) + 1);
    const blocks = list.split(/\n\s*\n/);
    const uncommented = excluded.filter((c) => {
      const block = blocks.find((b) => b.split('\n').some((l) => l.trim() === `- ${c}`));
      return block === undefined || !block.trimStart().startsWith('#');
    });
    expect(uncommented).toEqual([]);
  });

  test('self-test: a bad Deployment fails, with the repository configuration', () => {
    const findings = kubeLinter([BAD_DEPLOYMENT, DANGLING_HPA]);
    const checks = new Set(findings.map((f) => f.check));
    for (const check of [
      'latest-tag',
      'unset-cpu-requirements', 'unset-memory-requirements',
      'run-as-non-root',
      'no-read-only-root-fs',
      'no-liveness-probe', 'no-readiness-probe', // opt-in checks: addAllBuiltIn runs them
      'non-isolated-pod', // no NetworkPolicy selects it
      'default-service-account',
    ]) {
      expect(checks).toContain(check);
    }
    expect(lines(findings)).toContain('kube-linter run-as-non-root Deployment lint/bad: container "app" is not set to runAsNonRoot');
  });

  test('self-test: an object kube-linter cannot load is a finding, and YAML that does not parse an error', () => {
    const unreadable = { ...BAD_DEPLOYMENT, spec: { ...BAD_DEPLOYMENT.spec, replicas: 'two' } };
    expect(kubeLinter([unreadable]).map((f) => f.check)).toEqual(['failed-to-load-object']);
    expect(() => kubeLinter('kind: Deployment\nmetadata: [\n')).toThrow('manifests do not parse as YAML');
  });
});
