import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, JsonPatch, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { GantryApp, GantryErrors, GoMicroservice } from '../../src';
import { gantryError, newChart } from '../harness';

/** A small app with nested charts, a chart dependency and an object dependency, built in any App class. */
function build(app: App): void {
  const base = new Chart(app, 'base', { namespace: 'shop' });
  new ApiObject(base, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  const orders = new Chart(app, 'orders', { namespace: 'shop' });
  const svc = new GoMicroservice(orders, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', config: { 'a.yaml': 'x: 1\n' } });
  svc.deployment.addDependency(svc.configMap!);
  orders.addDependency(base);
  const nested = new Chart(orders, 'nested');
  new ApiObject(nested, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' }, data: { on: 'yes', n: 'n' } });
}

function synthWith(AppClass: new (props: AppProps) => App, yamlOutputType: YamlOutputType): Map<string, any[]> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-app-'));
  const app = new AppClass({ outdir, yamlOutputType });
  build(app);
  app.synth();
  const files = new Map<string, any[]>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (fs.statSync(full).isDirectory()) walk(full);
      else files.set(path.relative(outdir, full), parseAllDocuments(fs.readFileSync(full, 'utf8')).map((d) => d.toJSON()));
    }
  };
  walk(outdir);
  fs.rmSync(outdir, { recursive: true });
  return files;
}

describe('GantryApp', () => {
  test.each([
    YamlOutputType.FILE_PER_CHART,
    YamlOutputType.FILE_PER_APP,
    YamlOutputType.FILE_PER_RESOURCE,
    YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE,
  ])('writes what cdk8s App writes, file for file and object for object (%s)', (type) => {
    const ours = synthWith(GantryApp, type);
    const upstream = synthWith(App, type);
    expect([...ours.keys()]).toEqual([...upstream.keys()]);
    expect(ours.size).toBeGreaterThan(0);
    for (const [file, docs] of upstream) {
      expect(ours.get(file)).toEqual(docs);
    }
  });

  test('output names and order, with dependent charts', () => {
    const files = synthWith(GantryApp, YamlOutputType.FILE_PER_CHART);
    expect([...files.keys()]).toEqual(['0000-base.k8s.yaml', '0001-orders-nested-c8a2078a.k8s.yaml', '0002-orders.k8s.yaml']);
    const kinds = files.get('0002-orders.k8s.yaml')!.map((o) => o.kind);
    expect(kinds.indexOf('ConfigMap')).toBeLessThan(kinds.indexOf('Deployment'));
  });

  test('quotes YAML 1.1 booleans, which Kubernetes would otherwise read as true and false', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-app-'));
    const app = new GantryApp({ outdir });
    build(app);
    const yaml = app.synthYaml();
    fs.rmSync(outdir, { recursive: true });
    expect(yaml).toContain("'on': 'yes'");
    expect(yaml).toContain("'n': 'n'");
    expect(parseAllDocuments(yaml).map((d) => d.toJSON().kind)).toEqual(['Namespace', 'ConfigMap', 'ServiceAccount', 'ConfigMap', 'Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy']);
  });

  test('synthesizing twice gives byte-identical files', () => {
    const read = () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-app-'));
      const app = new GantryApp({ outdir });
      build(app);
      app.synth();
      const out = fs.readdirSync(outdir).sort().map((f) => f + '\n' + fs.readFileSync(path.join(outdir, f), 'utf8'));
      fs.rmSync(outdir, { recursive: true });
      return out.join('\n');
    };
    expect(read()).toBe(read());
  });

  test('fails when any construct is invalid, listing every error and writing nothing', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-app-')), 'dist');
    const app = new GantryApp({ outdir });
    const chart = new Chart(app, 'c');
    new Construct(chart, 'a').node.addValidation({ validate: () => ['first problem'] });
    new Construct(chart, 'b').node.addValidation({ validate: () => ['second problem'] });
    let error: any;
    try {
      app.synth();
    } catch (e) {
      error = e;
    }
    expect(GantryErrors.isGantryError(error)).toBe(true);
    expect(error.message).toBe('2 validation errors:\n  [c/a] first problem\n  [c/b] second problem');
    expect(fs.existsSync(outdir)).toBe(false);
    fs.rmSync(path.dirname(outdir), { recursive: true });
  });

  test('keeps the previous output when a later synthesis fails on an object\'s metadata', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-app-')), 'dist');
    const define = (bad: boolean) => {
      const app = new GantryApp({ outdir });
      const svc = new GoMicroservice(new Chart(app, 'orders'), 'orders', { image: 'ghcr.io/acme/orders:1.4.2' });
      if (bad) svc.deployment.metadata.addAnnotation('example.com/notes', 'x'.repeat(300_000));
      return app;
    };
    define(false).synth();
    const before = fs.readFileSync(path.join(outdir, 'orders.k8s.yaml'), 'utf8');
    expect(() => define(true).synth()).toThrow(/'metadata.annotations' \(300017 bytes\) are larger than the 262144 bytes/);
    expect(fs.readFileSync(path.join(outdir, 'orders.k8s.yaml'), 'utf8')).toBe(before);
    fs.rmSync(path.dirname(outdir), { recursive: true });
  });
});

// Labels and annotations also arrive through cdk8s's own API and JSON patches, past Gantry's props: every object's
// metadata is checked as it is written, and all problems of one synthesis are reported together.
describe('metadata as written', () => {
  const IMAGE = 'ghcr.io/acme/orders:1.4.2';
  const orders = (c: Construct) => new GoMicroservice(c, 'orders', { image: IMAGE });

  test.each([
    ['an annotation key with a space', (c: Construct) => orders(c).deployment.metadata.addAnnotation('owner team', 'payments'),
      "KubeDeployment 'test/orders/Deployment': 'metadata.annotations.owner team' (owner team) is not a valid annotation key (an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.'); use a key such as 'example.com/owner'"],
    ['a label value that is too long', (c: Construct) => orders(c).service.metadata.addLabel('example.com/team', 'x'.repeat(64)),
      `KubeService 'test/orders/Service': 'metadata.labels.example.com/team' (${'x'.repeat(64)}) is not a valid label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit); shorten it or replace the other characters`],
    ['a label key set by a JSON patch', (c: Construct) => orders(c).deployment.addJsonPatch(JsonPatch.add('/metadata/labels/Team_Inc~1name', 'payments')),
      "KubeDeployment 'test/orders/Deployment': 'metadata.labels.Team_Inc/name' (Team_Inc/name) is not a valid label key (an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.'); use a key such as 'example.com/team'"],
    ['annotations over 256 KiB together', (c: Construct) => {
      const d = orders(c).deployment;
      for (const i of [1, 2, 3]) d.metadata.addAnnotation(`example.com/part-${i}`, 'x'.repeat(90_000));
    }, "KubeDeployment 'test/orders/Deployment': 'metadata.annotations' (270054 bytes) are larger than the 262144 bytes (256 KiB) Kubernetes allows for an object's annotations (the largest is 'example.com/part-1'); keep large data out of annotations: put it in a ConfigMap, or leave out kubectl's last-applied-configuration by applying server-side"],
  ] as [string, (c: Construct) => void, string][])('refuses %s, writing nothing', (_what, define, message) => {
    expect(gantryError(define).message).toBe(message);
  });

  test('passes annotations of exactly 256 KiB', () => {
    const { app, chart, outdir } = newChart();
    const key = 'example.com/notes';
    orders(chart).deployment.metadata.addAnnotation(key, 'x'.repeat(256 * 1024 - key.length));
    expect(() => app.synth()).not.toThrow();
    fs.rmSync(outdir, { recursive: true });
  });

  test('reports the problems of every object together', () => {
    const error = gantryError((c) => {
      const svc = orders(c);
      svc.deployment.metadata.addAnnotation('bad key', 'x');
      svc.service.metadata.addLabel('team', 'not ok');
    });
    expect(error.message).toMatch(/^2 errors:\n {2}KubeDeployment 'test\/orders\/Deployment': 'metadata.annotations.bad key'.*\n {2}KubeService 'test\/orders\/Service': 'metadata.labels.team' \(not ok\)/);
  });
});
