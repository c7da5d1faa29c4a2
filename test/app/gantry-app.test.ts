import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { GantryApp, GantryErrors, GoMicroservice } from '../../src';

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
});
