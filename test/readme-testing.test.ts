import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The README's "Testing your app" snippets are snapshot tests, which only jest can run: each is written to a test file
// of a scratch project, with 'cdk8s-gantry' mapped to src/, and run by a jest of its own, as a reader's CI would. The
// first run writes the snapshots; `jest --ci` then passes on them, and fails, writing nothing, when one is missing.

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const SECTION = README.split('\n## Testing your app\n')[1].split('\n## ')[0];
const SNIPPETS = [...SECTION.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

/** The reader's own code a snippet calls without importing it (as in readme.test.ts): the example's shop here. */
const OWN_CODE: Record<string, string> = {
  buildShop: `import { buildShop } from ${JSON.stringify(path.join(ROOT, 'examples', 'shop', 'shop'))};\n`,
};

/** Runs jest in `dir` with `args`; its exit status and output. */
function jest(dir: string, ...args: string[]): { status: number | null; output: string } {
  const env = { ...process.env };
  delete env.JEST_WORKER_ID;
  const result = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--config', path.join(dir, 'jest.config.json'), ...args], {
    cwd: dir, encoding: 'utf8', env,
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('README: Testing your app', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-readme-testing-'));
    fs.writeFileSync(path.join(dir, 'jest.config.json'), JSON.stringify({
      rootDir: dir,
      testMatch: ['<rootDir>/*.test.ts'],
      moduleNameMapper: { '^cdk8s-gantry$': path.join(ROOT, 'src', 'index.ts') },
      moduleDirectories: ['node_modules', path.join(ROOT, 'node_modules')],
      transform: { '^.+\\.ts$': [require.resolve('@swc/jest'), { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
    }));
    SNIPPETS.forEach((snippet, i) => {
      const own = Object.keys(OWN_CODE).filter((name) => new RegExp(`\\b${name}\\(`).test(snippet)).map((name) => OWN_CODE[name]);
      fs.writeFileSync(path.join(dir, `snippet-${i + 1}.test.ts`), own.join('') + snippet);
    });
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('has its two snippets: a chart, and an app with environments', () => {
    expect(SNIPPETS.length).toBe(2);
    expect(SNIPPETS[0]).toContain('Testing.synth(chart)');
    expect(SNIPPETS[1]).toContain('new GantryApp()');
    expect(SNIPPETS[1]).toContain('.synthYaml()');
  });

  test('the first run writes snapshots holding the Deployments; jest --ci passes on them, and fails on a missing one', () => {
    const first = jest(dir, '--ci=false');
    expect(first.output).toContain('2 snapshots written');
    expect(first.status).toBe(0);
    const snapshot = (i: number) => path.join(dir, '__snapshots__', `snippet-${i}.test.ts.snap`);
    const chart = fs.readFileSync(snapshot(1), 'utf8');
    expect(chart).toContain('"kind": "Deployment"');
    expect(chart).toContain('"image": "ghcr.io/acme/orders:1.4.2"');
    const environments = fs.readFileSync(snapshot(2), 'utf8');
    // One YAML stream: each environment's three Deployments, in its namespace.
    expect(environments.match(/^kind: Deployment$/gm)?.length).toBe(6);
    expect(environments).toContain('  namespace: shop-dev\n');
    expect(environments).toContain('  namespace: shop\n');

    const again = jest(dir, '--ci');
    expect(again.output).toMatch(/Snapshots: +2 passed, 2 total/);
    expect(again.status).toBe(0);

    fs.rmSync(snapshot(2));
    const missing = jest(dir, '--ci');
    expect(missing.output).toContain('New snapshot was not written');
    expect(missing.status).toBe(1);
    expect(fs.existsSync(snapshot(2))).toBe(false);
  }, 120_000);
});
