import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ArgoCluster, Environment, GantryApp, GantryErrors, GoMicroservice, HelmExport } from '../../src';
import { takeTree } from '../harness';

// An Environment's Argo CD Application syncs dist/<env>/; only GantryApp writes charts there.

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-env-'));
}

function define(app: App): void {
  for (const name of ['dev', 'prod']) {
    const env = new Environment(app, name, { namespace: `shop-${name}`, cluster: ArgoCluster.inCluster() });
    new GoMicroservice(new Chart(env, 'orders'), 'orders', { image: 'ghcr.io/acme/orders:1.4.2' });
  }
}

describe('Environment output folders', () => {
  test('GantryApp writes each environment to its own folder', () => {
    const outdir = tmp();
    const app = new GantryApp({ outdir });
    define(app);
    app.synth();
    expect([...takeTree(outdir).keys()]).toEqual(['dev/orders.k8s.yaml', 'prod/orders.k8s.yaml']);
  });

  test('fails when an Environment is in a cdk8s App, and writes nothing', () => {
    const outdir = path.join(tmp(), 'dist');
    const app = new App({ outdir });
    define(app);
    let error: any;
    try {
      app.synth();
    } catch (e) {
      error = e;
    }
    expect(error.message).toContain("Environment 'dev': 'scope' (App) is not a GantryApp, so the environment's charts would not be written "
      + 'to their own folder (dev/) where its Argo CD Application looks; create the app with new GantryApp() in place of new App()');
    // cdk8s's App creates the output folder before it validates; nothing is written into it.
    expect(fs.readdirSync(outdir)).toEqual([]);
    fs.rmSync(path.dirname(outdir), { recursive: true });
  });

  test('the Helm export of such an app fails the same way, as a GantryError', () => {
    const app = new App({ outdir: tmp() });
    new Environment(app, 'qa', { namespace: 'shop-qa', cluster: ArgoCluster.inCluster() });
    const outdir = path.join(tmp(), 'chart');
    let error: any;
    try {
      HelmExport.writeChart(app, { name: 'shop', version: '0.1.0', outdir });
    } catch (e) {
      error = e;
    }
    expect(GantryErrors.isGantryError(error)).toBe(true);
    expect(error.message).toBe("Environment 'qa': 'scope' (App) is not a GantryApp, so the environment's charts would not be written to their own "
      + 'folder (qa/) where its Argo CD Application looks; create the app with new GantryApp() in place of new App()');
    expect(fs.existsSync(outdir)).toBe(false);
  });
});
