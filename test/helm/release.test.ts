import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, JsonPatch } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { shopEnvironments } from '../../examples/shop/environments';
import { buildShop } from '../../examples/shop/shop';
import { GantryApp, GoMicroservice, HelmExport } from '../../src';
import { toYaml } from '../../src/core/yaml';
import { TEST_SCRIPT } from '../../src/helm/chart-tests';
import { CUSTOM_APIS, helm, helmLint, helmTemplate, HelmTemplateOptions } from '../support/helm';
import { podSecurityProblems, schemaProblems, stopPodSecurityValidator } from '../support/validators';

// The exported chart as Helm users use it: installed into a namespace of their choosing, inside an umbrella chart with
// global values, with services switched off, on clusters with and without the operators its custom resources need.

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-helm-release-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

const keyOf = (o: any) => `${o.kind}/${o.metadata.name}`;

// The example shop's prod environment (namespace shop), synthesized and exported, as the quick start does.
const outdir = path.join(TMP, 'dist');
const app = new GantryApp({ outdir });
const environments = shopEnvironments(app);
for (const env of environments) buildShop(env);
app.synth();
const prodDir = path.join(outdir, 'prod');
const synthesized: any[] = fs.readdirSync(prodDir).sort()
  .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(prodDir, f), 'utf8')).map((d) => d.toJSON()));
const chartDir = path.join(TMP, 'shop');
HelmExport.writeChart(environments.find((e) => e.name === 'prod')!, { name: 'shop', version: '0.1.0', outdir: chartDir });

function render(dir: string, options: HelmTemplateOptions): any[] {
  const result = helmTemplate(dir, { apiVersions: CUSTOM_APIS, skipTests: true, ...options });
  if (!result.ok) throw new Error(result.stderr);
  expect(result.objects.flatMap((o) => schemaProblems(o))).toEqual([]);
  return result.objects;
}

describe('a release in another namespace', () => {
  const rendered = render(chartDir, { namespace: 'checkout' });
  const text = JSON.stringify(rendered);

  test('puts every object in the release namespace', () => {
    expect(synthesized.every((o) => o.metadata.namespace === 'shop')).toBe(true);
    expect(rendered.map(keyOf).sort()).toEqual(synthesized.map(keyOf).sort());
    expect(rendered.filter((o) => o.metadata.namespace !== 'checkout').map(keyOf)).toEqual([]);
  });

  test('points the ServiceMonitors, alerts, dashboards and service addresses at it, so alerts still fire', () => {
    const monitor = rendered.find((o) => o.kind === 'ServiceMonitor' && o.metadata.name === 'orders');
    expect(monitor.spec.namespaceSelector.matchNames).toEqual(['checkout']);
    const rules = rendered.find((o) => o.kind === 'PrometheusRule' && o.metadata.name === 'orders');
    const exprs: string[] = rules.spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.expr ?? ''));
    expect(exprs.filter((e) => e.includes('namespace=')).length).toBeGreaterThan(10);
    expect(exprs.filter((e) => e.includes('namespace=') && !e.includes('namespace="checkout"'))).toEqual([]);
    // Cluster DNS names (Istio hosts, addresses in config) follow too.
    const dnsNames = (objects: any[], ns: string) => JSON.stringify(objects).match(new RegExp(`[a-z-]+\\.${ns}\\.svc`, 'g')) ?? [];
    expect(dnsNames(synthesized, 'shop').length).toBeGreaterThan(0);
    expect(dnsNames(rendered, 'checkout')).toEqual(dnsNames(synthesized, 'shop').map((n) => n.replace('.shop.', '.checkout.')));
    // Nothing anywhere still names the namespace the app was defined for, as a namespace.
    expect(text).not.toMatch(/namespace=\\?"shop\\?"|\.shop\.svc|"namespace":"shop"/);
  });

  test('in the namespace the app was defined for, equals cdk8s synth object for object, Helm\'s labels aside', () => {
    const own = render(chartDir, { namespace: 'shop' });
    for (const o of own) {
      expect(o.metadata.labels['helm.sh/chart']).toBe('shop-0.1.0');
      expect(o.metadata.labels['app.kubernetes.io/managed-by']).toBe('Helm');
      delete o.metadata.labels['helm.sh/chart'];
      o.metadata.labels['app.kubernetes.io/managed-by'] = 'cdk8s-gantry';
    }
    expect(new Map(own.map((o) => [keyOf(o), o]))).toEqual(new Map(synthesized.map((o) => [keyOf(o), o])));
  });

  test('keeps Helm\'s labels off pods and selectors, which an upgrade to a new chart version must not change', () => {
    const deployments = rendered.filter((o) => o.kind === 'Deployment');
    expect(deployments.length).toBeGreaterThan(0);
    for (const d of deployments) {
      expect(d.spec.template.metadata.labels['helm.sh/chart']).toBeUndefined();
      expect(d.spec.selector.matchLabels['helm.sh/chart']).toBeUndefined();
    }
  });
});

describe('switches and clusters', () => {
  test('<service>.enabled=false leaves out every object of that service, monitoring included, and nothing else', () => {
    const rendered = render(chartDir, { namespace: 'shop', set: { 'payments.enabled': 'false' } });
    const payments = (o: any) => o.metadata.labels?.['app.kubernetes.io/name'] === 'payments' || o.metadata.name.startsWith('payments');
    expect(synthesized.filter(payments).length).toBeGreaterThan(5);
    expect(rendered.filter(payments).map(keyOf)).toEqual([]);
    expect(rendered.map(keyOf).sort()).toEqual(synthesized.filter((o) => !payments(o)).map(keyOf).sort());
  });

  test('on a cluster without prometheus-operator, Argo Rollouts or Istio, their objects are left out and the rest installs', () => {
    const result = helmTemplate(chartDir, { namespace: 'shop', skipTests: true });
    expect(result.ok).toBe(true);
    const custom = (o: any) => /(coreos\.com|argoproj\.io|istio\.io)\//.test(o.apiVersion);
    expect(synthesized.filter(custom).length).toBeGreaterThan(3);
    expect(result.objects.filter(custom)).toEqual([]);
    expect(result.objects.map(keyOf).sort()).toEqual(synthesized.filter((o) => !custom(o)).map(keyOf).sort());
  });
});

describe('inside an umbrella chart', () => {
  // A parent chart with the export as its dependency, as `helm dependency build` would lay it out.
  const parent = path.join(TMP, 'platform');
  fs.mkdirSync(path.join(parent, 'charts'), { recursive: true });
  fs.cpSync(chartDir, path.join(parent, 'charts', 'shop'), { recursive: true });
  fs.writeFileSync(path.join(parent, 'Chart.yaml'), [
    'apiVersion: v2', 'name: platform', 'version: 1.0.0',
    'dependencies:', '  - name: shop', '    version: 0.1.0', '    repository: file://charts/shop', '',
  ].join('\n'));
  fs.writeFileSync(path.join(parent, 'values.yaml'), [
    'global:', '  imageRegistry: registry.internal:5000', '  imagePullSecrets: [regcred, { name: mirror-cred }]', '  team: payments-platform',
    'shop:', '  orders:', '    replicas: 5', '',
  ].join('\n'));

  test('accepts global values (its own and other charts\'), mirrors every image and adds the pull secrets', () => {
    expect(helmLint(parent).ok).toBe(true);
    const rendered = render(parent, { namespace: 'shop' });
    // Rollouts take their pods from the Deployments (workloadRef).
    const pods = rendered.filter((o) => o.kind === 'Deployment').map((o) => o.spec.template.spec);
    expect(pods.length).toBeGreaterThan(2);
    for (const pod of pods) {
      expect(pod.containers[0].image).toMatch(/^registry\.internal:5000\/acme-shop\//);
      expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }, { name: 'mirror-cred' }]);
    }
  });

  test('switches a service of the subchart off from the parent', () => {
    const rendered = render(parent, { namespace: 'shop', set: { 'shop.inventory.enabled': 'false' } });
    expect(rendered.filter((o) => o.metadata.name.startsWith('inventory'))).toEqual([]);
    expect(rendered.filter((o) => o.metadata.name.startsWith('orders')).length).toBeGreaterThan(3);
  });

  test('a registry that is not one is refused by the schema, naming the value', () => {
    const result = helmTemplate(parent, { namespace: 'shop', set: { 'global.imageRegistry': 'https://registry.internal' } });
    expect(result.ok).toBe(false);
    expect(result.stderr).toMatch(/imageRegistry/);
  });
});

describe('values Helm users get wrong, refused by the schema naming the value', () => {
  test.each([
    ['a CPU limit that is not a quantity', 'orders.resources.limits.cpu', 'abc', /orders\.resources\.limits\.cpu: Does not match pattern/],
    ['a memory limit in MB, which Kubernetes does not know', 'orders.resources.limits.memory', '512MB', /orders\.resources\.limits\.memory: Does not match pattern/],
    ['a negative CPU request', 'orders.resources.requests.cpu', '-1', /orders\.resources\.requests\.cpu: Must be greater than or equal to 0/],
    ['a replica count that is not a number', 'payments.replicas', 'three', /payments\.replicas: Invalid type\. Expected: integer, given: string/],
    ['latest as a tag', 'orders.image.tag', 'latest', /orders\.image\.tag: Must not validate the schema \(not\)/],
    ['an unknown key under a service', 'orders.replicaCont', '3', /orders: Additional property replicaCont is not allowed/],
  ])('%s', (_what, key, value, message) => {
    const result = helmTemplate(chartDir, { namespace: 'shop', set: { [key]: value } });
    expect(result.ok).toBe(false);
    expect(result.stderr).toMatch(message);
  });

  test('quantities Kubernetes reads pass', () => {
    const rendered = render(chartDir, { namespace: 'shop', set: { 'orders.resources.limits.cpu': '1500m', 'orders.resources.limits.memory': '1Gi' } });
    const orders = rendered.find((o) => o.kind === 'Deployment' && o.metadata.name === 'orders');
    expect(orders.spec.template.spec.containers[0].resources.limits).toMatchObject({ cpu: '1500m', memory: '1Gi' });
  });
});

describe('values that behave as users expect', () => {
  const container = (objects: any[], name: string) => objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name).spec.template.spec.containers[0];

  test('an extraEnv entry with a name the chart sets replaces it, so the list never holds a name twice', () => {
    const before = container(synthesized, 'orders').env;
    expect(before.find((e: any) => e.name === 'LOG_LEVEL')).toEqual({ name: 'LOG_LEVEL', value: 'info' });
    const after = container(render(chartDir, { namespace: 'shop', set: { 'orders.extraEnv[0].name': 'LOG_LEVEL', 'orders.extraEnv[0].value': 'debug' } }), 'orders').env;
    expect(after.filter((e: any) => e.name === 'LOG_LEVEL')).toEqual([{ name: 'LOG_LEVEL', value: 'debug' }]);
    expect(after.map((e: any) => e.name).sort()).toEqual(before.map((e: any) => e.name).sort());
  });

  test('a new tag on a service pinned by digest is an error saying to clear the digest, and works once it is cleared', () => {
    expect(container(synthesized, 'inventory').image).toMatch(/^ghcr\.io\/acme-shop\/inventory@sha256:/);
    const refused = helmTemplate(chartDir, { namespace: 'shop', apiVersions: CUSTOM_APIS, skipTests: true, set: { 'inventory.image.tag': '2.4.0' } });
    expect(refused.ok).toBe(false);
    expect(refused.stderr).toMatch(/inventory\.image\.tag is "2\.4\.0", but inventory\.image\.digest still pins the image the chart was made with \(sha256:[0-9a-f]{64}\), and a digest wins over a tag: set inventory\.image\.digest to ''/);
    const rendered = render(chartDir, { namespace: 'shop', set: { 'inventory.image.tag': '2.4.0', 'inventory.image.digest': '' } });
    expect(container(rendered, 'inventory').image).toBe('ghcr.io/acme-shop/inventory:2.4.0');
  });

  test('appVersion names the services\' versions', () => {
    const chartYaml = parseAllDocuments(fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8'))[0].toJSON();
    const versions = synthesized.filter((o) => o.kind === 'Deployment' && !o.metadata.name.includes('-'))
      .map((o) => `${o.metadata.name}@${o.metadata.labels['app.kubernetes.io/version']}`);
    expect(chartYaml.appVersion.split(' ').sort()).toEqual(versions.sort());
  });
});

describe('the config checksum', () => {
  // A service whose config names another service by its cluster DNS name, which follows the release namespace.
  const dir = path.join(TMP, 'config-app');
  const configApp = new GantryApp({ outdir: path.join(dir, 'dist') });
  const chart = new Chart(configApp, 'shop', { namespace: 'shop' });
  new GoMicroservice(chart, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', config: { 'config.yaml': 'payments_url: http://payments.shop.svc.cluster.local\n' } });
  configApp.synth();
  const configChart = path.join(dir, 'chart');
  HelmExport.writeChart(configApp, { name: 'orders', version: '0.1.0', outdir: configChart });
  const pod = (objects: any[]) => objects.find((o) => o.kind === 'Deployment').spec.template.metadata.annotations['checksum/config'];
  const data = (objects: any[]) => objects.find((o) => o.kind === 'ConfigMap').data;

  test('is computed by the template from the data it renders: the same sum as cdk8s synth\'s, and a new one when the data changes', () => {
    const synthesizedOrders = parseAllDocuments(fs.readFileSync(path.join(dir, 'dist', 'shop.k8s.yaml'), 'utf8')).map((d) => d.toJSON());
    const own = render(configChart, { namespace: 'shop' });
    expect(pod(own)).toBe(pod(synthesizedOrders));
    const other = render(configChart, { namespace: 'checkout' });
    expect(data(other)['config.yaml']).toBe('payments_url: http://payments.checkout.svc.cluster.local\n');
    // Rolls the pods: the sum is the data's, as written.
    expect(pod(other)).not.toBe(pod(own));
    expect(pod(other)).toBe(createHash('sha256').update(toYaml(data(other))).digest('hex'));
  });
});

describe('upgrades and what Helm users read', () => {
  const selectors = (objects: any[]) => new Map(objects.filter((o) => o.spec?.selector !== undefined)
    .map((o) => [`${o.kind}/${o.metadata.name}`, JSON.stringify(o.spec.selector)]));

  test('helm upgrade never changes a selector: not with new images, versions, replicas or a new chart version', () => {
    const before = selectors(render(chartDir, { namespace: 'shop' }));
    expect(before.size).toBeGreaterThan(5);
    const upgraded = path.join(TMP, 'shop-0.2.0');
    fs.cpSync(chartDir, upgraded, { recursive: true });
    fs.writeFileSync(path.join(upgraded, 'Chart.yaml'), fs.readFileSync(path.join(upgraded, 'Chart.yaml'), 'utf8').replace('version: 0.1.0', 'version: 0.2.0'));
    const after = render(upgraded, {
      namespace: 'shop',
      set: { 'orders.image.tag': '1.9.0', 'orders.version': '1.9.0', 'payments.replicas': '5', 'inventory.image.tag': '2.4.0', 'inventory.image.digest': '' },
    });
    expect(selectors(after)).toEqual(before);
  });

  test('renderings in another namespace and with global values still pass the restricted Pod Security profile', async () => {
    const secrets = ['orders-db', 'payments-provider', 'regcred'].map((name) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'checkout' } }));
    const renderings = [
      render(chartDir, { namespace: 'checkout' }),
      render(chartDir, { namespace: 'checkout', set: { 'global.imageRegistry': 'registry.internal:5000', 'global.imagePullSecrets[0]': 'regcred' } }),
    ];
    for (const objects of renderings) expect(await podSecurityProblems([...objects, ...secrets])).toEqual([]);
  });

  test('helm show readme prints a README with every value: its type, default and description', () => {
    const readme = helm(['show', 'readme', chartDir]);
    expect(readme.status).toBe(0);
    expect(readme.stdout).toMatch(/^# shop\n\nGenerated by cdk8s-gantry from prod\n/);
    expect(readme.stdout).toContain('helm upgrade --install shop . --namespace shop --create-namespace');
    const leaves = (value: any, prefix: string): string[] => (value !== null && typeof value === 'object' && !Array.isArray(value)
      && !['resources', 'podAnnotations', 'nodeSelector', 'affinity', 'labels'].includes(prefix.split('.').pop()!)
      ? Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k)) : [prefix]);
    const values = parseAllDocuments(fs.readFileSync(path.join(chartDir, 'values.yaml'), 'utf8'))[0].toJSON();
    const rows = readme.stdout.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.map((l) => l.split('`')[1])).toEqual(leaves(values, ''));
    expect(rows.filter((l) => l.endsWith('|  |'))).toEqual([]); // every value described
    expect(rows).toContainEqual('| `orders.replicas` | integer | `4` | Pods when autoscaling is disabled |');
  });

  test('helm show values prints the values with their global keys, as values.yaml has them', () => {
    const shown = helm(['show', 'values', chartDir]);
    expect(shown.status).toBe(0);
    expect(shown.stdout.trimEnd()).toBe(fs.readFileSync(path.join(chartDir, 'values.yaml'), 'utf8').trimEnd());
    expect(parseAllDocuments(shown.stdout)[0].toJSON()).toMatchObject({ global: { imageRegistry: '', imagePullSecrets: [] }, orders: { enabled: true } });
  });
});

afterAll(() => stopPodSecurityValidator());

describe('helm test', () => {
  const hooks = (objects: any[]) => objects.filter((o) => o.metadata.annotations?.['helm.sh/hook'] === 'test');
  /** Whether a NetworkPolicy's podSelector (matchExpressions with In) selects pods with `labels`. */
  const selects = (policy: any, labels: Record<string, string>) =>
    policy.spec.podSelector.matchExpressions.every((e: any) => e.operator === 'In' && e.values.includes(labels[e.key]));
  const metricsServices = (objects: any[]) => objects.filter((o) => o.kind === 'Service' && o.spec.ports.some((p: any) => p.name === 'metrics'));
  const url = (s: any) => `http://${s.metadata.name}:${s.spec.ports.find((p: any) => p.name === 'metrics').port}/metrics`;

  test('one pod asks every service\'s metrics endpoint through its Service; one NetworkPolicy admits only that pod', async () => {
    const result = helmTemplate(chartDir, { namespace: 'checkout', apiVersions: CUSTOM_APIS });
    expect(result.ok).toBe(true);
    const tests = hooks(result.objects);
    expect(tests.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['NetworkPolicy/shop-helm-test', 'Pod/shop-helm-test']);
    const [policy, pod] = tests;
    const services = metricsServices(synthesized);
    expect(pod.spec.containers[0].command).toEqual(['sh', '-c', TEST_SCRIPT, 'helm-test']);
    expect([...pod.spec.containers[0].args].sort()).toEqual(services.map(url).sort());
    expect(pod.metadata.namespace).toBe('checkout');
    for (const s of services) {
      expect(selects(policy, s.spec.selector)).toBe(true);
      const port = s.spec.ports.find((p: any) => p.name === 'metrics');
      expect(policy.spec.ingress[0].ports).toContainEqual({ port: port.targetPort, protocol: 'TCP' });
    }
    // The test pod only, and no pod of another app.
    expect(policy.spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: pod.metadata.labels } }]);
    expect(selects(policy, { 'app.kubernetes.io/name': 'billing', 'app.kubernetes.io/instance': 'billing' })).toBe(false);
    // Created before the pod, both deleted when the test passes.
    expect(policy.metadata.annotations['helm.sh/hook-weight']).toBe('-1');
    expect(pod.metadata.annotations['helm.sh/hook-delete-policy']).toBe('before-hook-creation,hook-succeeded');
    expect(tests.flatMap((o) => schemaProblems(o))).toEqual([]);
    const secrets = ['orders-db', 'payments-provider'].map((name) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'checkout' } }));
    expect(await podSecurityProblems([...result.objects, ...secrets])).toEqual([]);
  });

  test('follows the global registry, and leaves out a service that is switched off', () => {
    const result = helmTemplate(chartDir, { namespace: 'shop', apiVersions: CUSTOM_APIS, set: { 'global.imageRegistry': 'registry.internal:5000', 'orders.enabled': 'false' } });
    expect(result.ok).toBe(true);
    const [policy, pod] = hooks(result.objects);
    expect(pod.spec.containers[0].image).toBe('registry.internal:5000/library/busybox:1.36.1');
    expect([...pod.spec.containers[0].args].sort()).toEqual(metricsServices(synthesized).filter((s) => s.metadata.name !== 'orders').map(url).sort());
    expect(selects(policy, { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders' })).toBe(false);
  });

  test('with every service switched off there is nothing to test, and no test', () => {
    const set = Object.fromEntries(['orders', 'inventory', 'payments'].map((s) => [`${s}.enabled`, 'false']));
    const result = helmTemplate(chartDir, { namespace: 'shop', apiVersions: CUSTOM_APIS, set });
    expect(result.ok).toBe(true);
    expect(hooks(result.objects)).toEqual([]);
  });

  test('the pod\'s script asks each URL, says which answered, and fails when one did not', () => {
    const bin = fs.mkdtempSync(path.join(TMP, 'fake-wget-'));
    // A wget that fails for the payments service, as an unreachable one would.
    fs.writeFileSync(path.join(bin, 'wget'), '#!/bin/sh\ncase "$*" in *payments*) exit 1;; esac\nexit 0\n', { mode: 0o755 });
    const run = (...urls: string[]) => spawnSync('sh', ['-c', TEST_SCRIPT, 'helm-test', ...urls], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` } });
    const ok = run('http://orders:9090/metrics', 'http://inventory:9090/metrics');
    expect([ok.status, ok.stdout]).toEqual([0, 'ok http://orders:9090/metrics\nok http://inventory:9090/metrics\n']);
    const failed = run('http://orders:9090/metrics', 'http://payments:9090/metrics', 'http://inventory:9090/metrics');
    expect([failed.status, failed.stdout])
      .toEqual([1, 'ok http://orders:9090/metrics\nFAILED http://payments:9090/metrics\nok http://inventory:9090/metrics\n']);
  });
});

describe('a failed export', () => {
  test('leaves the previous chart as it was, and nothing beside it', () => {
    const dir = path.join(TMP, 'kept');
    const good = new GantryApp({ outdir: path.join(TMP, 'kept-dist') });
    new GoMicroservice(new Chart(good, 'shop', { namespace: 'shop' }), 'orders', { image: 'ghcr.io/acme/orders:1.4.2' });
    HelmExport.writeChart(good, { name: 'kept', version: '0.1.0', outdir: dir });
    const before = new Map((fs.readdirSync(dir, { recursive: true }) as string[]).sort()
      .filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    // An app whose rendering fails halfway: a producer that throws in the second service's Deployment.
    const bad = new GantryApp({ outdir: path.join(TMP, 'bad-dist') });
    const chart = new Chart(bad, 'shop', { namespace: 'shop' });
    new GoMicroservice(chart, 'orders', { image: 'ghcr.io/acme/orders:1.4.2' });
    const payments = new GoMicroservice(chart, 'payments', { image: 'ghcr.io/acme/payments:1.0.0' });
    payments.deployment.addJsonPatch(JsonPatch.replace('/spec/no/such/field', 1));
    expect(() => HelmExport.writeChart(bad, { name: 'kept', version: '0.2.0', outdir: dir })).toThrow();
    const after = new Map((fs.readdirSync(dir, { recursive: true }) as string[]).sort()
      .filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    expect(after).toEqual(before);
    expect(fs.readdirSync(TMP).filter((f) => f.startsWith('kept.gantry-'))).toEqual([]);
  });
});
