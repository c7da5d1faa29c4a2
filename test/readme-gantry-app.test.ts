import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart } from 'cdk8s';
import { shopArgoCd, shopEnvironments } from '../examples/shop/environments';
import { buildShop } from '../examples/shop/shop';
import { GantryApp } from '../src';
import { takeTree } from './harness';

// What the README's "Use" section says GantryApp writes, compared with cdk8s's App, byte for byte: the same files with
// the same text but for the quoting of strings; and only GantryApp puts each Environment's charts in a folder of its own.

type AppClass = new (props: AppProps) => App;

/** What `define` adds to an app of `AppClass`, synthesized: each file's text by path, or the error synthesis threw. */
function synthesize(AppClass: AppClass, define: (app: App) => void): Map<string, string> | Error {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-readme-app-'));
  const app = new AppClass({ outdir });
  define(app);
  try {
    app.synth();
  } catch (error) {
    fs.rmSync(outdir, { recursive: true });
    return error as Error;
  }
  return takeTree(outdir);
}

/** The example shop's services, with no environment, and a chart that depends on another. */
function services(app: App): void {
  buildShop(app);
  const base = new Chart(app, 'base', { namespace: 'shop' });
  new ApiObject(base, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  app.node.findAll().filter((c): c is Chart => c instanceof Chart && c !== base).forEach((c) => c.addDependency(base));
}

/** The example shop in its three environments, with the Argo CD objects. */
function environments(app: App): void {
  const envs = shopEnvironments(app);
  for (const env of envs) buildShop(env);
  shopArgoCd(new Chart(app, 'argocd'), new Chart(app, 'argocd-root'), envs);
}

/** One ConfigMap holding `value`, as `AppClass` writes it: the line of `value`. */
function configMap(AppClass: AppClass, value: string): string {
  const files = synthesize(AppClass, (app) => {
    new ApiObject(new Chart(app, 'c'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { v: value } });
  }) as Map<string, string>;
  return files.get('c.k8s.yaml')!.split('\n').find((l) => l.startsWith('  v: '))!.slice(2);
}

describe('README: GantryApp and cdk8s App', () => {
  test('the same files, with the same text but for quoting: single quotes where App writes double ones', () => {
    const ours = synthesize(GantryApp, services) as Map<string, string>;
    const upstream = synthesize(App, services) as Map<string, string>;
    expect([...ours.keys()]).toEqual([...upstream.keys()]);
    // Numbered in the order they are written, as dependent charts are.
    expect([...ours.keys()].map((f) => f.replace(/^\d{4}-/, '')).sort()).toEqual(['base.k8s.yaml', 'inventory.k8s.yaml', 'orders.k8s.yaml', 'payments.k8s.yaml']);
    for (const [file, text] of upstream) {
      expect(ours.get(file)!.replace(/"/g, "'")).toBe(text.replace(/"/g, "'"));
      if (file !== '0000-base.k8s.yaml') expect(ours.get(file)).not.toBe(text);
    }
    expect(configMap(App, 'tab\there')).toBe('v: tab\there');
    expect(configMap(GantryApp, 'tab\there')).toBe('v: "tab\\there"');
  });

  test('GantryApp quotes every string Kubernetes would read as a number; App leaves 0o17 bare', () => {
    expect([configMap(App, '0o17'), configMap(App, '1_000'), configMap(App, '+.5')]).toEqual(['v: 0o17', 'v: "1_000"', 'v: "+.5"']);
    expect([configMap(GantryApp, '0o17'), configMap(GantryApp, '1_000'), configMap(GantryApp, '+.5')]).toEqual(["v: '0o17'", "v: '1_000'", "v: '+.5'"]);
  });

  test('only GantryApp writes the charts of an Environment to dist/<environment>/', () => {
    const ours = synthesize(GantryApp, environments) as Map<string, string>;
    expect([...ours.keys()].filter((f) => f.startsWith('dev/'))).toEqual(['dev/inventory.k8s.yaml', 'dev/orders.k8s.yaml', 'dev/payments.k8s.yaml']);
    // cdk8s's App would write them side by side in dist/, where no Application looks: it is refused.
    const upstream = synthesize(App, environments);
    expect(upstream).toBeInstanceOf(Error);
    expect((upstream as Error).message).toContain("Environment 'dev': 'scope' (App) is not a GantryApp");
  });
});
