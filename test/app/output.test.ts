import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Lazy, YamlOutputType } from 'cdk8s';
import { ArgoCluster, Environment, GantryApp, GantryErrors, GoMicroservice } from '../../src';
import { takeTree } from '../harness';

// Nothing lost: no two charts write one file, and a synthesis that fails halfway leaves the previous output as it was.

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-output-'));

describe('GantryApp output', () => {
  test('fails when two charts would write the same file, and writes nothing', () => {
    const outdir = path.join(tmp(), 'dist');
    const app = new GantryApp({ outdir });
    const dev = new Environment(app, 'dev', { namespace: 'shop-dev', cluster: ArgoCluster.inCluster() });
    // In an environment, charts are named by their path: 'orders' + 'api' and 'orders-api' both make dev/orders-api.k8s.yaml.
    new GoMicroservice(new Chart(new Chart(dev, 'orders'), 'api'), 'a', { image: 'ghcr.io/acme/a:1.0.0' });
    new GoMicroservice(new Chart(dev, 'orders-api'), 'b', { image: 'ghcr.io/acme/b:1.0.0' });
    let error: any;
    try {
      app.synth();
    } catch (e) {
      error = e;
    }
    expect(GantryErrors.isGantryError(error)).toBe(true);
    expect(error.message).toBe("GantryApp '': 'output' (dev/orders-api.k8s.yaml) would be written by both chart dev/orders/api and chart dev/orders-api, "
      + 'and the second would replace the first; give one of them another id or name');
    expect(fs.existsSync(outdir)).toBe(false);
    fs.rmSync(path.dirname(outdir), { recursive: true });
  });

  test('fails when two objects of one chart would write the same file, one file per resource', () => {
    const dir = tmp();
    const app = new GantryApp({ outdir: path.join(dir, 'dist'), yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    const chart = new Chart(app, 'shop');
    new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
    new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'other' } });
    expect(() => app.synth()).toThrow("GantryApp '': 'output' (ConfigMap.settings.k8s.yaml) would be written by both shop/a and shop/b");
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });

  test('a synthesis that fails while writing leaves the previous output intact, and no half-written file', () => {
    const outdir = path.join(tmp(), 'dist');
    const first = new GantryApp({ outdir });
    new GoMicroservice(new Chart(first, 'orders'), 'orders', { image: 'ghcr.io/acme/orders:1.0.0' });
    new GoMicroservice(new Chart(first, 'payments'), 'payments', { image: 'ghcr.io/acme/payments:1.0.0' });
    first.synth();
    const before = new Map([...fs.readdirSync(outdir)].map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]));

    const second = new GantryApp({ outdir });
    new GoMicroservice(new Chart(second, 'orders'), 'orders', { image: 'ghcr.io/acme/orders:2.0.0' });
    // The second chart fails to render: its data cannot be produced.
    new ApiObject(new Chart(second, 'payments'), 'broken', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'broken' }, data: Lazy.any({ produce: () => { throw new Error('the disk is full'); } }),
    });
    expect(() => second.synth()).toThrow('the disk is full');
    expect(new Map([...takeTree(outdir)])).toEqual(before);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual([]);
    fs.rmSync(path.dirname(outdir), { recursive: true });
  });
});

describe('environments on different clusters', () => {
  test('may use the same namespace and the same service names', () => {
    const outdir = path.join(tmp(), 'dist');
    const app = new GantryApp({ outdir });
    for (const [name, cluster] of [['eu', ArgoCluster.byName('eu-1')], ['us', ArgoCluster.byName('us-1')]] as const) {
      const env = new Environment(app, name, { namespace: 'shop', cluster });
      new GoMicroservice(new Chart(env, 'orders'), 'orders', { image: 'ghcr.io/acme/orders:1.0.0' });
    }
    app.synth();
    expect([...takeTree(outdir).keys()]).toEqual(['eu/orders.k8s.yaml', 'us/orders.k8s.yaml']);
    fs.rmSync(path.dirname(outdir), { recursive: true });
  });

  test('but one environment still refuses two services of one name in one namespace', () => {
    const app = new GantryApp({ outdir: path.join(tmp(), 'dist') });
    const env = new Environment(app, 'eu', { namespace: 'shop', cluster: ArgoCluster.byName('eu-1') });
    new GoMicroservice(new Chart(env, 'a'), 'orders', { image: 'ghcr.io/acme/orders:1.0.0' });
    expect(() => new GoMicroservice(new Chart(env, 'b'), 'orders', { image: 'ghcr.io/acme/orders:1.0.0' }))
      .toThrow("GoMicroservice 'eu/b/orders': 'name' (orders) is already used by eu/a/orders in namespace shop, so both would write the same objects");
  });
});
