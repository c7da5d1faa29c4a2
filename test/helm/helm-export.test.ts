import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { shopEnvironments } from '../../examples/shop/environments';
import { buildShop } from '../../examples/shop/shop';
import {
  ArgoCluster, BlueGreenDeployment, Environment, GantryApp, GantryErrors, GoMicroservice, GoMicroserviceProps, HealthCheck, HelmExport,
  HelmValues, HpaMetric, IntOrPercent, IstioCanary, RollingDeployment, ValueType,
} from '../../src';
import { CUSTOM_APIS, helmLint, helmPackage, helmTemplate, HelmTemplateOptions } from '../support/helm';
import { podSecurityProblems, schemaProblems, stopPodSecurityValidator } from '../support/validators';

// Every directory this file makes lives under one root, removed at the end.
const TMP_ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-helm-test-'));
const tmp = (prefix: string) => fs.mkdtempSync(path.join(TMP_ROOT, prefix));

afterAll(async () => {
  fs.rmSync(TMP_ROOT, { recursive: true, force: true });
  await stopPodSecurityValidator();
});
const keyOf = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const byKey = (objects: any[]) => new Map(objects.map((o) => [keyOf(o), o]));
const EXTERNAL_SECRETS = ['orders-db', 'payments-provider'].map((name) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'shop' } }));

/** Every JSON path at which two renderings differ, such as `Deployment/shop/orders spec.replicas`. */
function differences(before: any[], after: any[]): string[] {
  const out: string[] = [];
  const walk = (a: any, b: any, at: string) => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[k], b[k], at ? `${at}.${k}` : k);
    } else {
      out.push(at);
    }
  };
  const A = byKey(before);
  const B = byKey(after);
  for (const k of new Set([...A.keys(), ...B.keys()])) {
    if (!B.has(k)) {out.push(`${k} removed`);} else if (!A.has(k)) {out.push(`${k} added`);} else {
      const from = out.length;
      walk(A.get(k), B.get(k), '');
      for (let i = from; i < out.length; i++) out[i] = `${k} ${out[i]}`;
    }
  }
  return out.sort();
}

/** Synthesizes `define`'s app with GantryApp and exports it as a chart; returns both. */
function exportApp(define: (app: App) => void): { objects: any[]; chartDir: string } {
  const outdir = tmp('gantry-helm-dist-');
  const app = new GantryApp({ outdir });
  define(app);
  app.synth();
  const objects = fs.readdirSync(outdir).sort().flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map((d) => d.toJSON()));
  const chartDir = path.join(tmp('gantry-helm-'), 'chart');
  HelmExport.writeChart(app, { name: 'test-chart', version: '0.1.0', outdir: chartDir });
  // The chart is installed into the namespace the app was defined for (most of its objects'), as its users would.
  const counts = new Map<string, number>();
  for (const o of objects) if (o.metadata.namespace) counts.set(o.metadata.namespace, (counts.get(o.metadata.namespace) ?? 0) + 1);
  const namespace = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (namespace) RELEASE_NAMESPACES.set(chartDir, namespace);
  return { objects, chartDir };
}

/** Helm's own labels, which `cdk8s synth` does not write: put back as synth has them, so renderings compare. */
function withoutHelmLabels(o: any): any {
  const labels = o?.metadata?.labels;
  if (labels) {
    expect(labels['helm.sh/chart']).toMatch(/^[a-z-]+-0\.[12]\.0$/);
    delete labels['helm.sh/chart'];
    if (labels['app.kubernetes.io/managed-by'] === 'Helm') labels['app.kubernetes.io/managed-by'] = 'cdk8s-gantry';
    if (Object.keys(labels).length === 0) delete o.metadata.labels;
  }
  return o;
}

/**
 * `helm template`'s objects, installed into the namespace the app was defined for, on a cluster that serves the custom
 * resources, without the `helm test` hooks (as `helm install` applies it); each one is checked against the upstream
 * schema (no unknown fields) here.
 */
const RELEASE_NAMESPACES = new Map<string, string>();

function render(chartDir: string, options: HelmTemplateOptions = {}): any[] {
  const result = helmTemplate(chartDir, { namespace: RELEASE_NAMESPACES.get(chartDir) ?? 'shop', apiVersions: CUSTOM_APIS, skipTests: true, ...options });
  if (!result.ok) throw new Error(result.stderr);
  expect(result.objects.flatMap((o) => schemaProblems(o))).toEqual([]);
  return result.objects.map(withoutHelmLabels);
}

function valuesFile(values: any): string {
  const file = path.join(tmp('gantry-values-'), 'values.yaml');
  fs.writeFileSync(file, JSON.stringify(values));
  return file;
}

describe('HelmExport: the example shop', () => {
  const { objects, chartDir } = exportApp(buildShop);

  test('chart files', () => {
    const files = ['Chart.yaml', 'README.md', 'values.yaml', 'values.schema.json',
      ...(fs.readdirSync(path.join(chartDir, 'templates'), { recursive: true }) as string[]).sort().map((f) => `templates/${f}`)
        .filter((f) => fs.statSync(path.join(chartDir, f)).isFile())];
    expect(files).toEqual(['Chart.yaml', 'README.md', 'values.yaml', 'values.schema.json',
      'templates/NOTES.txt', 'templates/_helpers.tpl', 'templates/inventory.yaml', 'templates/orders.yaml', 'templates/payments.yaml',
      'templates/tests/metrics.yaml']);
    for (const f of files) expect(fs.readFileSync(path.join(chartDir, f), 'utf8')).toMatchSnapshot(f);
  });

  test('helm lint --strict passes, and the chart packages', () => {
    const lint = helmLint(chartDir);
    expect(lint.output).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(lint.ok).toBe(true);
    expect(helmPackage(chartDir, tmp('gantry-pkg-')).ok).toBe(true);
  });

  test('helm template with default values renders exactly what cdk8s synth writes', () => {
    const rendered = render(chartDir);
    expect(rendered.length).toBe(objects.length);
    expect(byKey(rendered)).toEqual(byKey(objects));
  });

  test('an image tag changes exactly that container\'s image', () => {
    const after = render(chartDir, { set: { 'orders.image.tag': '1.9.0' } });
    expect(differences(objects, after)).toEqual(['Deployment/shop/orders spec.template.spec.containers.0.image']);
    expect(byKey(after).get('Deployment/shop/orders').spec.template.spec.containers[0].image).toBe('ghcr.io/acme-shop/orders:1.9.0');
    const pinned = render(chartDir, { set: { 'inventory.image.digest': 'sha256:' + 'b'.repeat(64) } });
    expect(byKey(pinned).get('Deployment/shop/inventory').spec.template.spec.containers[0].image).toBe(`ghcr.io/acme-shop/inventory@sha256:${'b'.repeat(64)}`);
  });

  test('replicas change exactly the replica count and the PodDisruptionBudget that follows it', () => {
    const after = render(chartDir, { set: { 'payments.replicas': '6' } });
    expect(differences(objects, after)).toEqual(['Deployment/shop/payments spec.replicas', 'PodDisruptionBudget/shop/payments spec.minAvailable']);
    expect(byKey(after).get('Deployment/shop/payments').spec.replicas).toBe(6);
    expect(byKey(after).get('PodDisruptionBudget/shop/payments').spec.minAvailable).toBe(3);
  });

  test('HPA bounds change exactly the HPA and the PodDisruptionBudget', () => {
    const after = render(chartDir, { set: { 'orders.autoscaling.minReplicas': '5', 'orders.autoscaling.maxReplicas': '40', 'orders.autoscaling.cpuUtilization': '60' } });
    expect(differences(objects, after)).toEqual([
      'HorizontalPodAutoscaler/shop/orders spec.maxReplicas',
      'HorizontalPodAutoscaler/shop/orders spec.metrics.1.resource.target.averageUtilization',
      'HorizontalPodAutoscaler/shop/orders spec.minReplicas',
      'PodDisruptionBudget/shop/orders spec.minAvailable',
    ]);
    const hpa = byKey(after).get('HorizontalPodAutoscaler/shop/orders');
    expect(hpa.spec).toMatchObject({ minReplicas: 5, maxReplicas: 40 });
    expect(byKey(after).get('PodDisruptionBudget/shop/orders').spec.minAvailable).toBe(3);
  });

  test('turning the HPA off removes it and puts replicas back on the Deployment', () => {
    const after = render(chartDir, { set: { 'orders.autoscaling.enabled': 'false', 'orders.replicas': '6' } });
    expect(differences(objects, after)).toEqual([
      'Deployment/shop/orders spec.replicas',
      'HorizontalPodAutoscaler/shop/orders removed',
      'PodDisruptionBudget/shop/orders spec.minAvailable',
    ]);
    expect(byKey(after).get('Deployment/shop/orders').spec.replicas).toBe(6);
    expect(byKey(after).get('PodDisruptionBudget/shop/orders').spec.minAvailable).toBe(3);
  });

  test('resources change exactly the container resources (merged over the defaults, as Helm merges maps)', () => {
    const resources = { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '512Mi' } };
    const after = render(chartDir, { valuesFiles: [valuesFile({ payments: { resources } })] });
    expect(differences(objects, after)).toEqual([
      'Deployment/shop/payments spec.template.spec.containers.0.resources.limits.cpu',
      'Deployment/shop/payments spec.template.spec.containers.0.resources.limits.memory',
      'Deployment/shop/payments spec.template.spec.containers.0.resources.requests.cpu',
      'Deployment/shop/payments spec.template.spec.containers.0.resources.requests.memory',
    ]);
    expect(byKey(after).get('Deployment/shop/payments').spec.template.spec.containers[0].resources).toEqual({
      requests: { ...resources.requests, 'ephemeral-storage': '64Mi' },
      limits: { ...resources.limits, 'ephemeral-storage': '256Mi' },
    });
  });

  test('scheduling, extra environment and pod annotations are added where Kubernetes expects them', () => {
    const after = render(chartDir, {
      valuesFiles: [valuesFile({
        orders: {
          nodeSelector: { 'cloud.example.com/pool': 'general' },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'shop', effect: 'NoSchedule' }],
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }] } } },
          extraEnv: [{ name: 'FEATURE_FLAGS', value: 'fast-checkout' }],
          podAnnotations: { 'example.com/team': 'checkout' },
        },
        payments: { podAnnotations: { 'example.com/team': 'payments' } },
      })],
    });
    const orders = byKey(after).get('Deployment/shop/orders').spec.template;
    expect(orders.spec.nodeSelector).toEqual({ 'cloud.example.com/pool': 'general' });
    expect(orders.spec.tolerations).toHaveLength(1);
    expect(orders.spec.affinity.nodeAffinity).toBeDefined();
    expect(orders.spec.containers[0].env.at(-1)).toEqual({ name: 'FEATURE_FLAGS', value: 'fast-checkout' });
    expect(orders.metadata.annotations).toEqual({ 'checksum/config': expect.any(String), 'example.com/team': 'checkout' });
    expect(byKey(after).get('Deployment/shop/payments').spec.template.metadata.annotations).toEqual({ 'example.com/team': 'payments' });
  });

  test('optional objects can be turned off, and the rest stays valid', async () => {
    const after = render(chartDir, { set: { 'payments.disruptionBudget.enabled': 'false', 'inventory.networkPolicy.enabled': 'false' } });
    expect(differences(objects, after)).toEqual(['NetworkPolicy/shop/inventory removed', 'PodDisruptionBudget/shop/payments removed']);
  });

  test('every object rendered under overrides passes the upstream schemas and pod security checks', async () => {
    const renders = [
      render(chartDir, { set: { 'orders.autoscaling.enabled': 'false', 'orders.replicas': '1', 'payments.replicas': '9' } }),
      render(chartDir, { set: { 'orders.image.tag': '2.0.0', 'inventory.image.tag': 'v3', 'inventory.image.digest': '' } }),
      render(chartDir, {
        valuesFiles: [valuesFile({
          orders: { extraEnv: [{ name: 'A', value: 'b' }], podAnnotations: { x: 'y' }, nodeSelector: { pool: 'a' } },
          payments: { resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } } },
        })],
      }),
    ];
    for (const objects2 of renders) {
      expect(objects2.flatMap((o) => schemaProblems(o))).toEqual([]);
      expect(await podSecurityProblems([...objects2, ...EXTERNAL_SECRETS])).toEqual([]);
    }
    const single = byKey(renders[0]).get('PodDisruptionBudget/shop/orders').spec;
    expect(single).toEqual(expect.objectContaining({ maxUnavailable: 1 }));
    expect(single).not.toHaveProperty('minAvailable');
  });

  test.each([
    ['an unknown key', { set: { 'orders.replicaCont': '3' } }, 'Additional property replicaCont is not allowed'],
    ['a wrong type', { set: { 'payments.replicas': 'two' } }, 'payments.replicas: Invalid type. Expected: integer, given: string'],
    ['the latest tag', { set: { 'orders.image.tag': 'latest' } }, 'orders.image.tag: Must not validate the schema (not)'],
    ['minReplicas above maxReplicas', { set: { 'orders.autoscaling.minReplicas': '30' } }, 'orders.autoscaling.minReplicas is greater than maxReplicas'],
    ['an extra env var without a name', { valuesFiles: [valuesFile({ orders: { extraEnv: [{ value: 'x' }] } })] }, 'name is required'],
  ] as [string, HelmTemplateOptions, string][])('rejects %s', (_what, options, message) => {
    const result = helmTemplate(chartDir, options);
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain(message);
  });
});

describe('HelmExport: each GoMicroservice variant', () => {
  const IMAGE = 'ghcr.io/acme/orders:1.4.2';
  const VARIANTS: [string, Partial<GoMicroserviceProps>][] = [
    ['defaults', {}],
    ['config and secret files', { config: { 'config.yaml': 'a: 1\n' }, secretFiles: { pw: { secretName: 'db', key: 'pw' } }, podAnnotations: { a: 'b' } }],
    ['gRPC', { grpcPort: 9000, healthChecks: { liveness: HealthCheck.grpc({ service: 'live' }), readiness: HealthCheck.grpc({ service: 'ready' }) } }],
    ['HPA on memory and a custom metric, no CPU', {
      autoscaling: { maxReplicas: 6, cpuUtilization: 0, memoryUtilization: 80, metrics: [HpaMetric.pods({ name: 'rps', averageValue: '10' })] },
    }],
    ['one replica', { replicas: 1 }],
    ['fixed minAvailable', { replicas: 4, disruptionBudget: { minAvailable: IntOrPercent.percent(50) } }],
    ['no PDB, no NetworkPolicy', { disruptionBudget: { enabled: false }, networkPolicy: { enabled: false } }],
    ['digest and tag', { image: `ghcr.io/acme/orders:1.4.2@sha256:${'c'.repeat(64)}` }],
    ['hyphenated name', { name: 'orders-api', shutdown: { timeout: Duration.seconds(40) } }],
    ['recreate strategy', { strategy: RollingDeployment.recreate({ minReady: Duration.seconds(0) }) }],
  ];

  test.each(VARIANTS)('%s: lints, and renders what cdk8s synth writes', (_what, props) => {
    const { objects, chartDir } = exportApp((app) => {
      const chart = new Chart(app, 'c', { namespace: 'team' });
      new GoMicroservice(chart, 'orders', { image: IMAGE, ...props });
    });
    expect(helmLint(chartDir).ok).toBe(true);
    expect(byKey(render(chartDir))).toEqual(byKey(objects));
  });

  test('objects outside services go into a template per chart, unchanged', () => {
    const { objects, chartDir } = exportApp((app) => {
      const chart = new Chart(app, 'platform');
      new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
      new GoMicroservice(new Chart(app, 'svc', { namespace: 'team' }), 'orders', { image: IMAGE });
    });
    expect(fs.readdirSync(path.join(chartDir, 'templates')).sort()).toEqual(['NOTES.txt', '_helpers.tpl', 'orders.yaml', 'platform.yaml', 'tests']);
    // No template action: the Namespace has no values, and Helm's label is written as text.
    const platform = fs.readFileSync(path.join(chartDir, 'templates', 'platform.yaml'), 'utf8');
    expect(platform).not.toContain('{{');
    expect(platform).toContain('helm.sh/chart: test-chart-0.1.0');
    expect(byKey(render(chartDir))).toEqual(byKey(objects));
  });

  test('a hyphenated service name is camelCased in values', () => {
    const { chartDir } = exportApp((app) => new GoMicroservice(new Chart(app, 'c'), 'orders-api', { image: IMAGE }));
    const after = render(chartDir, { set: { 'ordersApi.replicas': '3' } });
    expect(after.find((o) => o.kind === 'Deployment').spec.replicas).toBe(3);
  });
});

describe('HelmValues.expose', () => {
  test('exposes any field with its synthesized value as default', () => {
    const { objects, chartDir } = exportApp((app) => {
      const svc = new GoMicroservice(new Chart(app, 'c'), 'orders', { image: 'ghcr.io/acme/orders:1.4.2' });
      HelmValues.of(app).expose({
        key: 'orders.terminationGracePeriodSeconds',
        apiObject: svc.deployment,
        field: '/spec/template/spec/terminationGracePeriodSeconds',
        type: ValueType.INTEGER,
        description: 'Seconds to shut down',
      });
      HelmValues.of(app).expose({ key: 'platform.serviceType', apiObject: svc.service, field: '/spec/type', type: ValueType.STRING });
    });
    const values = fs.readFileSync(path.join(chartDir, 'values.yaml'), 'utf8');
    expect(values).toContain('terminationGracePeriodSeconds: 30');
    expect(values).toContain('serviceType: ClusterIP');
    const schema = JSON.parse(fs.readFileSync(path.join(chartDir, 'values.schema.json'), 'utf8'));
    expect(schema.properties.orders.properties.terminationGracePeriodSeconds).toEqual({ type: 'integer', description: 'Seconds to shut down' });
    expect(byKey(render(chartDir))).toEqual(byKey(objects));
    const after = render(chartDir, { set: { 'orders.terminationGracePeriodSeconds': '90', 'platform.serviceType': 'NodePort' } });
    expect(differences(objects, after)).toEqual(['Deployment//orders spec.template.spec.terminationGracePeriodSeconds', 'Service//orders spec.type']);
    expect(helmTemplate(chartDir, { set: { 'orders.terminationGracePeriodSeconds': 'soon' } }).ok).toBe(false);
  });

  test('fails when the field does not exist', () => {
    const app = Testing.app();
    const svc = new GoMicroservice(new Chart(app, 'c'), 'orders', { image: 'ghcr.io/acme/orders:1.4.2' });
    HelmValues.of(app).expose({ key: 'orders.priority', apiObject: svc.deployment, field: '/spec/template/spec/priorityClassName', type: ValueType.STRING });
    let error: any;
    try {
      HelmExport.writeChart(app, { name: 'x', version: '1.0.0', outdir: tmp('gantry-helm-') });
    } catch (e) {
      error = e;
    }
    expect(GantryErrors.isGantryError(error)).toBe(true);
    expect(error.message).toBe("KubeDeployment 'c/orders/Deployment': 'values.orders.priority' (/spec/template/spec/priorityClassName) points to no field of the synthesized object; give the pointer of a field the object has");
  });

  test.each([
    ['a key with spaces', { key: 'orders.log level', field: '/spec/type' },
      "KubeService 'c/orders/Service': 'key' (orders.log level) is not a values key (names of letters, digits, '_' and '-', separated by dots); use a key such as 'orders.priorityClassName'"],
    ['a field that is not a pointer', { key: 'orders.type', field: 'spec.type' },
      "KubeService 'c/orders/Service': 'field' (spec.type) is not a JSON pointer; use a pointer such as '/spec/template/spec/priorityClassName'"],
    ['a key that a service already declares', { key: 'orders.replicas', field: '/spec/type' },
      "GoMicroservice 'c/orders': 'values' (orders.replicas) is declared twice, here and by c/orders/Service; expose one of them under another key"],
  ] as [string, { key: string; field: string }, string][])('fails when given %s', (_what, { key, field }, message) => {
    const app = Testing.app();
    const svc = new GoMicroservice(new Chart(app, 'c'), 'orders', { image: 'ghcr.io/acme/orders:1.4.2' });
    let error: any;
    try {
      HelmValues.of(app).expose({ key, apiObject: svc.service, field, type: ValueType.STRING });
      HelmExport.writeChart(app, { name: 'x', version: '1.0.0', outdir: tmp('gantry-helm-') });
    } catch (e) {
      error = e;
    }
    expect(GantryErrors.isGantryError(error)).toBe(true);
    expect(error.message).toBe(message);
  });

  test.each([
    ['a chart name with capitals', { name: 'Shop', version: '1.0.0' }, "App '': 'name' (Shop) is not a valid chart name (lowercase letters, digits and '-', at most 53); use a name such as 'shop'"],
    ['a version that is not SemVer', { name: 'shop', version: '1.0' }, "App '': 'version' (1.0) is not a SemVer 2 version, which Helm requires; use a version such as '0.1.0'"],
  ])('fails when given %s', (_what, options, message) => {
    const app = Testing.app();
    new GoMicroservice(new Chart(app, 'c'), 'orders', { image: 'ghcr.io/acme/orders:1.4.2' });
    expect(() => HelmExport.writeChart(app, { ...options, outdir: tmp('gantry-helm-') })).toThrow(message);
  });
});

// Per-environment values express what differs in values: images, replicas, autoscaling, resources, and how alerts
// route (the namespace follows the release); and, with switches, the objects an environment lacks: staging's and
// prod's circuit breaker, prod's canary and blue-green Rollouts.
const buildShopWithoutMesh = (scope: Construct) => buildShop(scope, { mesh: false });

describe('HelmExport: one chart, a values file per environment', () => {
  const outdir = tmp('gantry-helm-envs-');
  const app = new GantryApp({ outdir });
  const environments = shopEnvironments(app);
  environments.forEach((env) => buildShop(env));
  app.synth();
  const chartDir = path.join(outdir, 'helm', 'shop');
  HelmExport.writeChart(environments[2], { name: 'shop', version: '0.1.0', outdir: chartDir, environments });
  const synthesized = (env: string) => fs.readdirSync(path.join(outdir, env)).sort()
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(outdir, env, f), 'utf8')).map((d) => d.toJSON()));

  test.each(['dev', 'staging', 'prod'])('helm template -f values-%s.yaml renders exactly that environment', (env) => {
    expect(helmLint(chartDir, ['-f', path.join(chartDir, `values-${env}.yaml`)]).ok).toBe(true);
    const namespace = environments.find((e) => e.name === env)!.namespace;
    const rendered = render(chartDir, { namespace, valuesFiles: [path.join(chartDir, `values-${env}.yaml`)] });
    expect(byKey(rendered)).toEqual(byKey(synthesized(env)));
  });

  test.each(['dev', 'staging', 'prod'])('helm test with values-%s.yaml asks exactly that environment\'s services', (env) => {
    const namespace = environments.find((e) => e.name === env)!.namespace;
    const result = helmTemplate(chartDir, { namespace, apiVersions: CUSTOM_APIS, skipTests: false, valuesFiles: [path.join(chartDir, `values-${env}.yaml`)] });
    expect(result.ok).toBe(true);
    const pod = result.objects.find((o) => o.kind === 'Pod' && o.metadata.annotations?.['helm.sh/hook'] === 'test');
    const expected = synthesized(env).filter((o) => o.kind === 'Service' && o.spec.ports.some((p: any) => p.name === 'metrics'))
      .map((s) => `http://${s.metadata.name}:${s.spec.ports.find((p: any) => p.name === 'metrics').port}/metrics`);
    expect([...pod.spec.containers[0].args].sort()).toEqual(expected.sort());
  });

  test('the alerts of each environment route as that environment says: dev pages nobody', () => {
    const values = (env: string) => parseAllDocuments(fs.readFileSync(path.join(chartDir, `values-${env}.yaml`), 'utf8'))[0].toJSON();
    expect(values('dev').alerting).toEqual({ page: false, labels: { environment: 'dev' } });
    expect(values('prod').alerting).toMatchObject({ page: true, labels: { environment: 'prod' } });
    const devRules = render(chartDir, { namespace: 'shop-dev', valuesFiles: [path.join(chartDir, 'values-dev.yaml')] })
      .filter((o) => o.kind === 'PrometheusRule').flatMap((o) => o.spec.groups.flatMap((g: any) => g.rules));
    expect(devRules.filter((r: any) => r.alert).length).toBeGreaterThan(10);
    expect(devRules.filter((r: any) => r.labels?.severity === 'critical')).toEqual([]);
    expect(devRules.every((r: any) => r.labels?.environment === 'dev')).toBe(true);
  });

  test('the environments\' values differ only where the environments do', () => {
    const values = (env: string) => parseAllDocuments(fs.readFileSync(path.join(chartDir, `values-${env}.yaml`), 'utf8'))[0].toJSON();
    // The namespace is the release's (helm install -n shop-dev), not a value.
    expect(values('dev').namespace).toBeUndefined();
    expect(values('dev').orders.image.tag).toBe('1.9.0-rc.1');
    expect(values('prod').orders.autoscaling).toMatchObject({ minReplicas: 4, maxReplicas: 40 });
    expect(values('prod').payments.replicas).toBe(3);
    expect(values('staging').payments.replicas).toBe(2);
    // The switches of the objects an environment lacks.
    expect([values('dev'), values('staging'), values('prod')].map((v) => [v.inventory.circuitBreaker, v.orders.canary, v.payments.rollout])).toEqual([
      [{ enabled: false }, { enabled: false }, { enabled: false }],
      [{ enabled: true }, { enabled: false }, { enabled: false }],
      [{ enabled: true }, { enabled: true }, { enabled: true }],
    ]);
  });

  test('with the canary switched off, the HPA scales the Deployment again and the Rollout and its routes are gone', () => {
    const prod = render(chartDir, { namespace: 'shop', valuesFiles: [path.join(chartDir, 'values-prod.yaml')], set: { 'orders.canary.enabled': 'false' } });
    expect(prod.filter((o) => ['Rollout', 'VirtualService', 'AnalysisTemplate'].includes(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`))
      .toEqual(['AnalysisTemplate/payments-analysis', 'Rollout/payments']);
    expect(prod.find((o) => o.kind === 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' });
    expect(prod.filter((o) => o.kind === 'DestinationRule').map((o) => o.metadata.name)).toEqual(['inventory']);
  });

  test('fails when an environment differs in a way no value expresses, and says where', () => {
    const app2 = new GantryApp({ outdir: tmp('gantry-app-') });
    const envs = shopEnvironments(app2);
    envs.forEach(buildShopWithoutMesh);
    const odd = new Environment(app2, 'odd', { namespace: 'shop-odd', cluster: ArgoCluster.inCluster(), services: { payments: { env: { DEBUG: '1' } } } });
    buildShopWithoutMesh(odd);
    let error: any;
    try {
      HelmExport.writeChart(envs[2], { name: 'shop', version: '0.1.0', outdir: tmp('gantry-helm-'), environments: [...envs, odd] });
    } catch (e) {
      error = e;
    }
    expect(GantryErrors.isGantryError(error)).toBe(true);
    expect(error.message).toBe("Environment 'odd': 'environments' (odd) differs from the exported chart in Deployment payments, "
      + 'field spec.template.spec.containers.env (templates/payments.yaml line 97): '
      + 'the chart has "{{- with .Values.payments.extraEnv }}" where odd has "- name: DEBUG", and no value expresses that; '
      + 'keep environment differences to image, replicas, autoscaling and resources, or export that environment as a chart of its own');
  });
});

describe('HelmExport: canary weight, canary image and the live colour as values', () => {
  const { objects, chartDir } = exportApp((app) => {
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const orders = new GoMicroservice(chart, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', autoscaling: { minReplicas: 4, maxReplicas: 8 } });
    new IstioCanary(chart, 'orders-canary', { service: orders, canaryImage: 'ghcr.io/acme/orders:1.5.0', weight: 10, gateways: ['istio-system/public'] });
    const payments = new GoMicroservice(chart, 'payments', { image: 'ghcr.io/acme/payments:3.0.1' });
    new BlueGreenDeployment(chart, 'payments-release', { service: payments, greenImage: 'ghcr.io/acme/payments:3.1.0' });
  });

  test('default values render exactly what cdk8s synth writes', () => {
    expect(byKey(render(chartDir))).toEqual(byKey(objects));
  });

  test('the canary weight moves the weights of both routes, and nothing else', () => {
    const after = render(chartDir, { set: { 'orders.canary.weight': '50' } });
    expect(differences(objects, after)).toEqual([0, 1].flatMap((route) => [0, 1].map((d) => `VirtualService/shop/orders spec.http.${route}.route.${d}.weight`)));
    expect(byKey(after).get('VirtualService/shop/orders').spec.http.map((r: any) => r.route.map((d: any) => d.weight))).toEqual([[50, 50], [50, 50]]);
  });

  test('the canary image changes the canary Deployment\'s image only', () => {
    const after = render(chartDir, { set: { 'orders.canary.image.tag': '1.5.1' } });
    expect(differences(objects, after)).toEqual(['Deployment/shop/orders-canary spec.template.spec.containers.0.image']);
  });

  test('the live colour switches the two Services\' selectors', () => {
    const after = render(chartDir, { set: { 'payments.blueGreen.active': 'green' } });
    expect(differences(objects, after)).toEqual([
      'Service/shop/payments spec.selector.gantry.dev/track', 'Service/shop/payments-preview spec.selector.gantry.dev/track',
    ]);
    expect(byKey(after).get('Service/shop/payments').spec.selector['gantry.dev/track']).toBe('green');
    expect(byKey(after).get('Service/shop/payments-preview').spec.selector['gantry.dev/track']).toBe('blue');
  });

  test.each([
    ['a weight above 100', { 'orders.canary.weight': '150' }, 'orders.canary.weight: Must be less than or equal to 100'],
    ['a colour that is not blue or green', { 'payments.blueGreen.active': 'red' }, 'payments.blueGreen.active: payments.blueGreen.active must be one of the following: "blue", "green"'],
  ])('the schema refuses %s', (_what, set, message) => {
    const result = helmTemplate(chartDir, { set });
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain(message);
  });
});

describe('HelmExport: the output directory', () => {
  const define = (app: App) => new GoMicroservice(new Chart(app, 'orders', { namespace: 'shop' }), 'orders', { image: 'ghcr.io/acme/orders:1.4.2' });

  test('replaces a chart an earlier export wrote', () => {
    const { chartDir } = exportApp(define);
    fs.writeFileSync(path.join(chartDir, 'templates', 'stale.yaml'), 'kind: Stale\n');
    const app = new GantryApp({ outdir: tmp('gantry-helm-dist-') });
    define(app);
    HelmExport.writeChart(app, { name: 'test-chart', version: '0.2.0', outdir: chartDir });
    expect(fs.existsSync(path.join(chartDir, 'templates', 'stale.yaml'))).toBe(false);
    expect(fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8')).toContain('version: 0.2.0\n');
  });

  test('fails when the directory holds anything else, and leaves it as it was', () => {
    const dir = tmp('gantry-project-');
    fs.writeFileSync(path.join(dir, 'package.json'), '{}\n');
    const app = new GantryApp({ outdir: tmp('gantry-helm-dist-') });
    define(app);
    let error: any;
    try {
      HelmExport.writeChart(app, { name: 'test-chart', version: '0.1.0', outdir: dir });
    } catch (e) {
      error = e;
    }
    expect(GantryErrors.isGantryError(error)).toBe(true);
    expect(error.message).toBe(`GantryApp '': 'outdir' (${dir}) holds files that are not a chart Gantry exported, and the export would delete them; `
      + 'give an empty directory, or one an earlier export wrote, such as \'dist/helm/shop\'');
    expect(fs.readdirSync(dir)).toEqual(['package.json']);
  });
});
