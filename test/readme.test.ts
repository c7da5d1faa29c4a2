import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import * as constructs from 'constructs';
import * as ts from 'typescript';
import { newChart, synth } from './harness';
import { buildShop } from '../examples/shop/shop';
import * as gantry from '../src';

// The README's TypeScript snippets are compiled and run, not just shown. Each one imports what it uses, as a reader who
// copies it needs: it is type-checked with its own imports only ('cdk8s-gantry' is src/), then run with `require`
// serving the same modules. Those that define services run against a fresh chart, and what they synthesize goes
// through the same schema and pod security checks as every other test.

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const MATCHES = [...README.matchAll(/```ts\n([\s\S]*?)```/g)];
const SNIPPETS = MATCHES.map((m) => m[1]);
/** Each snippet's number and the README heading it is under, to name its tests. */
const TITLES = MATCHES.map((m, i) => `${i + 1}. ${[...README.slice(0, m.index).matchAll(/^#+ (.*)$/gm)].pop()?.[1] ?? 'intro'}`);

/** What a snippet may import, and what `require` gives it. */
const MODULES: Record<string, unknown> = { 'cdk8s': cdk8s, 'cdk8s-plus-28': plus, 'constructs': constructs, 'cdk8s-gantry': gantry };

/**
 * The variables a snippet may use without defining them, with their types: the ones a snippet continues from an
 * earlier one (`chart` from "Use", `orders` from "Monitoring with Prometheus", ...) and the reader's own code
 * (`buildShop`). Never a name of the library or of cdk8s: those a snippet imports.
 */
const FREE: Record<string, string> = {
  chart: "import('cdk8s').Chart",
  app: "import('cdk8s').App",
  orders: "import('cdk8s-gantry').GoMicroservice",
  payments: "import('cdk8s-gantry').GoMicroservice",
  buildShop: "(scope: import('constructs').Construct) => void",
};

/** A snippet that uses `Duration` without importing it: the type-check and the run must both refuse it. */
const UNIMPORTED = "import { GoMicroservice } from 'cdk8s-gantry';\n\n"
  + "new GoMicroservice(chart, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', shutdown: { timeout: Duration.seconds(45) } });\n";

/** The free variables `snippet` uses and does not declare itself. */
function freeVariables(snippet: string): string[] {
  const used = new Set<string>();
  const declared = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      if ((ts.isVariableDeclaration(parent) || ts.isBindingElement(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent)
        || ts.isClassDeclaration(parent) || ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent))
        && parent.name === node) {
        declared.add(node.text);
      } else if (!((ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent)) && parent.name === node)) {
        used.add(node.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('snippet.ts', snippet, ts.ScriptTarget.ES2022, true));
  return Object.keys(FREE).filter((name) => used.has(name) && !declared.has(name));
}

/** The snippet as a module, after `declare`s of its free variables (which emit nothing). */
function asModule(snippet: string): string {
  return freeVariables(snippet).map((name) => `declare const ${name}: ${FREE[name]};\n`).join('') + snippet;
}

/**
 * The type errors of each snippet, compiled together in one program (one pass over src/) but each as its own module,
 * with test/tsconfig.json's options.
 */
function typeErrors(snippets: string[]): string[][] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'test', 'tsconfig.json'), {}, {
    ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  })!;
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    moduleDetection: ts.ModuleDetectionKind.Force,
    paths: { 'cdk8s-gantry': [path.join(ROOT, 'src', 'index.ts')] },
  };
  const files = snippets.map((_, i) => path.join(ROOT, 'test', `readme-snippet-${i + 1}.ts`));
  const text = new Map(files.map((f, i) => [f, asModule(snippets[i])]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (f, lang, ...rest) => (text.has(f) ? ts.createSourceFile(f, text.get(f)!, lang) : getSourceFile(f, lang, ...rest));
  host.fileExists = (f) => text.has(f) || fileExists(f);
  host.readFile = (f) => text.get(f) ?? readFile(f);
  const program = ts.createProgram({ rootNames: files, options, host });
  return files.map((f, i) => ts.getPreEmitDiagnostics(program, program.getSourceFile(f)).map((d) => {
    // Lines of the snippet itself, after its `declare`s.
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 - freeVariables(snippets[i]).length : 0;
    const at = line > 0 ? `line ${line}: ` : '';
    return at + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  }));
}

/** Runs `snippet` as CommonJS, with MODULES for `require` and `free` for its free variables. */
function run(snippet: string, free: Record<string, unknown> = {}): void {
  const names = freeVariables(snippet);
  const missing = names.filter((n) => !(n in free));
  if (missing.length > 0) throw new Error(`the test gives the snippet no ${missing.join(', ')}`);
  const js = ts.transpileModule(snippet, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  const load = (id: string) => {
    if (!(id in MODULES)) throw new Error(`a README snippet imports '${id}', which this test does not serve`);
    return MODULES[id];
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', ...names, js)(load, module, module.exports, ...names.map((n) => free[n]));
}

/** Findings a snippet shows on purpose, keyed by a line of the snippet. */
const ACCEPTED: [string, string[]][] = [
  ['readOnlyRootFilesystem: false', ['KBP102', 'KBP106']], // the opt-outs it demonstrates
  ['IngressPeer.pods', ['LNK001']], // peers that are other services' pods
];
/** Objects a snippet references but does not create. */
const EXTERNAL = [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'orders-db', namespace: 'shop' } }];

describe('README', () => {
  // Snapshot tests (Testing your app) run in a jest of their own: readme-testing.test.ts.
  const services = SNIPPETS.filter((s) => s.includes('new GoMicroservice(chart') && !s.includes('app.synth()') && !s.includes('toMatchSnapshot'));
  let errors: string[][];

  beforeAll(() => {
    errors = typeErrors([...SNIPPETS, UNIMPORTED]);
  }, 120_000);

  test('has the snippets this test runs', () => {
    expect(services.length).toBeGreaterThanOrEqual(7);
  });

  test.each(TITLES.map((t, i) => [t, i]))('type-checks with its own imports: %s', (_title, i) => {
    expect(errors[i as number]).toEqual([]);
  });

  test('a snippet that uses a name it does not import fails, type-checked and run', () => {
    expect(errors[SNIPPETS.length]).toEqual([expect.stringContaining("Cannot find name 'Duration'")]);
    expect(() => run(UNIMPORTED, { chart: newChart().chart })).toThrow('Duration is not defined');
  });

  test('free variables are never names the library or its peers export', () => {
    for (const name of Object.keys(FREE)) {
      expect(Object.entries(MODULES).filter(([, m]) => name in (m as object)).map(([id]) => id)).toEqual([]);
    }
  });

  test.each(services.map((s) => [s.split('\n').find((l) => l.includes('new GoMicroservice'))!.trim(), s]))('%s', (_title, snippet) => {
    const { chart } = newChart({ namespace: 'shop' });
    run(snippet, { chart });
    const accept = ACCEPTED.filter(([line]) => snippet.includes(line)).flatMap(([, ids]) => ids);
    const objects = synth(chart, { accept, external: EXTERNAL });
    expect(objects.filter((o) => o.kind === 'Deployment').length).toBe(1);
  });

  test.each(TITLES.map((t, i) => [t, SNIPPETS[i]]).filter(([, s]) => /^(orders|payments)\.addMonitoring\(/m.test(s) && !s.includes('new GoMicroservice')
    && !/new (IstioCanary|ArgoRollout)\(/.test(s)))(
    'continues a service: %s', (_title, snippet) => {
      const { chart } = newChart({ namespace: 'shop' });
      const service = (name: string) => new gantry.GoMicroservice(chart, name, { image: `ghcr.io/acme/${name}:1.4.2` });
      run(snippet, { orders: service('orders'), payments: service('payments') });
      const objects = synth(chart);
      expect(objects.filter((o) => o.kind === 'PrometheusRule').length).toBe(1);
    });

  test.each(TITLES.map((t, i) => [t, SNIPPETS[i]]).filter(([, s]) => /new (IstioCanary|ArgoRollout|BlueGreenDeployment|IstioCircuitBreaker)\(/.test(s)))(
    'releases a service: %s', (_title, snippet) => {
      const { chart } = newChart({ namespace: 'shop' });
      const service = (name: string) => new gantry.GoMicroservice(chart, name, { image: `ghcr.io/acme/${name}:1.4.2`, autoscaling: { maxReplicas: 6 } });
      run(snippet, { chart, orders: service('orders'), payments: service('payments') });
      const objects = synth(chart);
      // Istio or Argo Rollouts objects, or the second Deployment of a blue-green pair.
      expect(objects.filter((o) => /VirtualService|DestinationRule|Rollout/.test(o.kind) || o.metadata.name === 'payments-green').length).toBeGreaterThan(0);
    });

  test('the cdk8s-plus snippet lets a cdk8s-plus workload reach the service', () => {
    const snippet = SNIPPETS.find((s) => s.includes('web.connections.allowTo(orders'))!;
    const { chart } = newChart({ namespace: 'shop' });
    const orders = new gantry.GoMicroservice(chart, 'orders', { image: 'ghcr.io/acme/orders:1.4.2' });
    run(snippet, { chart, orders });
    // The cdk8s-plus Deployment is the reader's, with cdk8s-plus's defaults: only the policy is checked here.
    const egress = cdk8s.Testing.synth(chart).filter((o) => o.kind === 'NetworkPolicy' && o.spec.egress);
    expect(egress.map((o) => o.spec.egress[0].to[0].podSelector)).toEqual([{ matchLabels: orders.selectorLabels }]);
  });

  test('the Helm export snippet writes the app and its chart', () => {
    const snippet = SNIPPETS.find((s) => s.includes('HelmExport.writeChart(app'))!;
    const cwd = process.cwd();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-readme-'));
    process.chdir(dir); // the snippet writes to dist/ and dist/helm/shop, relative paths
    try {
      run(snippet, { buildShop });
    } finally {
      process.chdir(cwd);
    }
    expect((fs.readdirSync(path.join(dir, 'dist'), { recursive: true }) as string[]).filter((f) => !f.startsWith('helm/shop/')).sort())
      .toEqual(['helm', 'helm/shop', 'inventory.k8s.yaml', 'orders.k8s.yaml', 'payments.k8s.yaml']);
    expect(fs.readFileSync(path.join(dir, 'dist', 'helm', 'shop', 'Chart.yaml'), 'utf8')).toContain('name: shop\n');
    fs.rmSync(dir, { recursive: true });
  });

  test('the Terraform snippet writes the environment\'s stack', () => {
    const snippet = SNIPPETS.find((s) => s.includes('TerraformExport.writeStacks(app'))!;
    const cwd = process.cwd();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-readme-'));
    process.chdir(dir); // the snippet writes to dist/ and dist/terraform, relative paths
    try {
      run(snippet, { buildShop });
    } finally {
      process.chdir(cwd);
    }
    const stack = JSON.parse(fs.readFileSync(path.join(dir, 'dist', 'terraform', 'prod', 'cdk.tf.json'), 'utf8'));
    expect(stack.terraform.backend).toEqual({ s3: { bucket: 'acme-shop-terraform', key: 'shop/prod.tfstate', region: 'eu-west-1' } });
    expect(Object.keys(stack.resource.kubernetes_manifest)).toContain('deployment_shop_orders');
    fs.rmSync(dir, { recursive: true });
  });

  test('the HelmValues snippet exposes a value', () => {
    const snippet = SNIPPETS.find((s) => s.includes('HelmValues.of(app).expose'))!;
    const app = cdk8s.Testing.app();
    const orders = new gantry.GoMicroservice(new cdk8s.Chart(app, 'orders'), 'orders', { image: 'ghcr.io/acme/orders:1.4.2' });
    run(snippet, { app, orders });
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
      run(snippet, { buildShop });
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
      run(snippet);
    } finally {
      delete process.env.CDK8S_OUTDIR;
    }
    expect(fs.readdirSync(outdir)).toEqual(['orders.k8s.yaml']);
    fs.rmSync(outdir, { recursive: true });
  });

  test('the Install section asks for the peer versions package.json names', () => {
    const peers: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).peerDependencies;
    const install = README.split('## Install')[1].split('\n## ')[0];
    for (const [name, range] of Object.entries(peers)) expect(install).toContain(` ${name}@${range}`);
  });
});
