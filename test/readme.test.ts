import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { transformSync } from '@swc/core';
import * as cdk8s from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { newChart, synth } from './harness';
import { buildShop } from '../examples/shop/shop';
import * as gantry from '../src';

// The README's TypeScript snippets are run, not just shown: each one that defines services is executed against a
// fresh chart, and what it synthesizes goes through the same schema and pod security checks as every other test.

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const SNIPPETS = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

/** Findings a snippet shows on purpose, keyed by a line of the snippet. */
const ACCEPTED: [string, string[]][] = [
  ['readOnlyRootFilesystem: false', ['KBP102', 'KBP106']], // the opt-outs it demonstrates
  ['IngressPeer.pods', ['LNK001']], // peers that are other services' pods
];
/** Objects a snippet references but does not create. */
const EXTERNAL = [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'orders-db', namespace: 'shop' } }];

function run(code: string, scope: Record<string, unknown>): void {
  const js = transformSync(code.replace(/^import .*$/gm, ''), {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  }).code;
  new Function(...Object.keys(scope), js)(...Object.values(scope));
}

describe('README', () => {
  const services = SNIPPETS.filter((s) => s.includes('new GoMicroservice(chart') && !s.includes('app.synth()'));

  test('has the snippets this test runs', () => {
    expect(services.length).toBeGreaterThanOrEqual(7);
  });

  test.each(services.map((s) => [s.split('\n').find((l) => l.includes('new GoMicroservice'))!.trim(), s]))('%s', (_title, snippet) => {
    const { chart } = newChart({ namespace: 'shop' });
    run(snippet, { ...cdk8s, ...plus, ...gantry, chart });
    const accept = ACCEPTED.filter(([line]) => snippet.includes(line)).flatMap(([, ids]) => ids);
    const objects = synth(chart, { accept, external: EXTERNAL });
    expect(objects.filter((o) => o.kind === 'Deployment').length).toBe(1);
  });

  test('the HelmValues snippet exposes a value', () => {
    const snippet = SNIPPETS.find((s) => s.includes('HelmValues.of(app).expose'))!;
    const app = cdk8s.Testing.app();
    const orders = new gantry.GoMicroservice(new cdk8s.Chart(app, 'orders'), 'orders', { image: 'ghcr.io/acme/orders:1.4.2' });
    run(snippet, { ...gantry, app, orders });
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-readme-')), 'chart');
    gantry.HelmExport.writeChart(app, { name: 'orders', version: '0.1.0', outdir });
    expect(fs.readFileSync(path.join(outdir, 'values.yaml'), 'utf8')).toContain('  terminationGracePeriodSeconds: 30\n');
    fs.rmSync(path.dirname(outdir), { recursive: true });
  });

  test('the GitOps snippet writes each environment and the Argo CD objects', () => {
    const snippet = SNIPPETS.find((s) => s.includes('new ArgoApplicationSet('))!;
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-readme-'));
    process.env.CDK8S_OUTDIR = outdir;
    try {
      run(snippet, { ...cdk8s, ...gantry, buildShop });
    } finally {
      delete process.env.CDK8S_OUTDIR;
    }
    expect((fs.readdirSync(outdir, { recursive: true }) as string[]).sort()).toEqual([
      'argocd-root.k8s.yaml', 'argocd.k8s.yaml', 'dev', 'dev/inventory.k8s.yaml', 'dev/orders.k8s.yaml', 'dev/payments.k8s.yaml',
      'prod', 'prod/inventory.k8s.yaml', 'prod/orders.k8s.yaml', 'prod/payments.k8s.yaml',
    ]);
    fs.rmSync(outdir, { recursive: true });
  });

  test('the complete app snippet synthesizes', () => {
    const snippet = SNIPPETS.find((s) => s.includes('app.synth()'))!;
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-readme-'));
    process.env.CDK8S_OUTDIR = outdir;
    try {
      run(snippet, { ...cdk8s, ...gantry });
    } finally {
      delete process.env.CDK8S_OUTDIR;
    }
    expect(fs.readdirSync(outdir)).toEqual(['orders.k8s.yaml']);
    fs.rmSync(outdir, { recursive: true });
  });
});
