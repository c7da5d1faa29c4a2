/**
 * Helm export benchmark: how long `HelmExport.writeChart` takes, and the peak memory of the process, for the one-chart
 * app of 1,000 monitored services (10 objects each), in three setups, each a fresh process (`synth-worker.ts`):
 *
 *   own process, node     define, then export, as plain JavaScript against the compiled lib/: a job that builds the
 *                         chart, as a JavaScript caller (or a jsii host) runs the library
 *   own process, ts-node  the same under `ts-node --swc`, which holds about 150 MiB before any app code runs
 *   after synth, ts-node  define, synthesize, then export, in one process: the example's `cdk8s synth`
 *
 * Goal (issue: Helm export): the export of the chart of 1,000 monitored services in under 2 s, its process under
 * 250 MiB: measured in a process of its own, with node against lib/. The other two rows show what a TypeScript app adds.
 * Each row is the median of RUNS runs, column by column. The compiled rows need an up-to-date lib/ (`npx projen
 * compile`, which `npm run bench` runs first); without one they are skipped, saying so.
 *
 * Usage: npx ts-node --swc bench/export-bench.ts [--services=1000]
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const RUNS = 5;
const TIMEOUT_MS = 120_000;
const GOAL = { exportMs: 2000, rssMiB: 250 };
const root = path.resolve(__dirname, '..');
const services = Number(/^--services=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--services=')) ?? '')?.[1] ?? 1000);

/** The newest modification time of the .ts files under `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(p));
    else if (entry.name.endsWith('.ts')) latest = Math.max(latest, fs.statSync(p).mtimeMs);
  }
  return latest;
}

/** The worker as JavaScript, beside the TypeScript one (so that it finds node_modules), or why it cannot run. */
function javascriptWorker(): { file: string } | { skipped: string } {
  const lib = path.join(root, 'lib', 'index.js');
  if (!fs.existsSync(lib) || fs.statSync(lib).mtimeMs < newest(path.join(root, 'src'))) {
    return { skipped: 'lib/ is missing or older than src/: run `npx projen compile` first' };
  }
  const source = fs.readFileSync(path.join(__dirname, 'synth-worker.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } });
  const file = path.join(__dirname, '.build', 'synth-worker.js');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, outputText);
  return { file };
}

interface Setup {
  readonly name: string;
  readonly command: string[];
  readonly env: Record<string, string>;
}

interface Row {
  readonly setup: string;
  exportMs?: number;
  rssMiB?: number;
  skipped?: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(setup: Setup): Row {
  const exportMs: number[] = [];
  const rssMiB: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-export-bench-'));
    try {
      const child = spawnSync(process.execPath, [...setup.command, 'gantry', 'single', String(services), outdir, path.join(outdir, 'chart')], {
        cwd: root,
        encoding: 'utf8',
        timeout: TIMEOUT_MS,
        killSignal: 'SIGKILL',
        env: { ...process.env, GANTRY_BENCH_MONITORING: '1', ...setup.env },
      });
      if (child.status !== 0) return { setup: setup.name, skipped: `failed: ${child.stderr.trim().split('\n').slice(-3).join(' | ')}` };
      const result = JSON.parse(child.stdout.trim().split('\n').pop()!);
      exportMs.push(result.exportMs);
      rssMiB.push(result.exportRssKiB / 1024);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }
  return { setup: setup.name, exportMs: median(exportMs), rssMiB: median(rssMiB) };
}

const tsNode = [require.resolve('ts-node/dist/bin.js'), '--swc', path.join(__dirname, 'synth-worker.ts')];
const compiled = javascriptWorker();
const setups: (Setup | Row)[] = [
  'file' in compiled
    ? { name: 'own process, node', command: [compiled.file], env: { GANTRY_BENCH_EXPORT_ONLY: '1', GANTRY_BENCH_LIBRARY: path.join(root, 'lib') } }
    : { setup: 'own process, node', skipped: compiled.skipped },
  { name: 'own process, ts-node', command: tsNode, env: { GANTRY_BENCH_EXPORT_ONLY: '1' } },
  { name: 'after synth, ts-node', command: tsNode, env: {} },
];
const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(' ');
const rows = setups.map((s) => ('command' in s ? measure(s) : s));
const loadAfter = os.loadavg().map((l) => l.toFixed(2)).join(' ');

console.log(`Helm export of the one-chart app of ${services.toLocaleString('en-US')} monitored services (median of ${RUNS} runs)`);
console.log('setup                 export ms  peak RSS MiB');
for (const r of rows) {
  if (r.skipped !== undefined) console.log(`${r.setup.padEnd(20)}  skipped: ${r.skipped}`);
  else console.log(`${r.setup.padEnd(20)}  ${r.exportMs!.toFixed(0).padStart(9)}  ${r.rssMiB!.toFixed(1).padStart(12)}`);
}
console.log(`Load average (1, 5, 15 min) before: ${loadBefore}, after: ${loadAfter}; more than 2 means a busy machine.`);
const goal = rows[0];
const verdict = goal.exportMs === undefined ? 'NOT MEASURED' : goal.exportMs < GOAL.exportMs && goal.rssMiB! < GOAL.rssMiB ? 'MET' : 'MISSED';
console.log(`Goal (exporting the chart of ${services.toLocaleString('en-US')} monitored services in < ${GOAL.exportMs} ms, its own process `
  + `under ${GOAL.rssMiB} MiB, node against lib/): ${verdict}${goal.exportMs === undefined ? '' : ` (${goal.exportMs.toFixed(0)} ms, ${goal.rssMiB!.toFixed(0)} MiB)`}`);
