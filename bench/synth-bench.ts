/**
 * Synthesis benchmark: how long `app.synth()` takes, and how much memory it needs, for generated apps of 1, 10, 100
 * and 1,000 GoMicroservices (7 objects each: ServiceAccount, ConfigMap, Deployment, Service, PodDisruptionBudget,
 * NetworkPolicy, HorizontalPodAutoscaler), in two structures:
 *
 *   per-service  one Chart per service (one file per service)
 *   single       one Chart holding every service (one file)
 *
 * both with GantryApp, plus plain cdk8s `App` with one Chart per service at 100 and 1,000 services, as the baseline
 * whose synthesis is quadratic in the number of charts (one run each, killed after BASELINE_TIMEOUT_MS).
 *
 * Every measurement runs in a fresh child process (`synth-worker.ts`), so that peak RSS (the process's `maxRSS`,
 * which never goes down) belongs to that run alone, and no run inherits a warm JIT, caches or heap from another.
 * Reported per row, the median of RUNS runs for each column independently:
 *
 *   wall ms      defining the constructs + `app.synth()`, timed in the child with `process.hrtime.bigint()`
 *   process ms   the whole child process, from spawn to exit, timed by this script: node and ts-node start-up,
 *                loading, defining, synthesizing and exiting, as `cdk8s synth` runs an app
 *   CPU (sys)    CPU time of the same work, all threads, and its system part (mostly creating files): it tells
 *                work from waiting on a busy machine, and the file system's share. `TMPDIR=/dev/shm` takes the disk out.
 *   load ms      requiring cdk8s and `../src` (transpiled by swc), timed apart; node/ts-node start-up is excluded
 *   peak RSS     the child's `process.resourceUsage().maxRSS` right after synth (node, ts-node and swc included)
 *   objects      YAML documents written (top-level `kind:` lines), checked against the ApiObjects in the tree
 *   bytes        total size of the files written to a fresh `fs.mkdtempSync` directory, removed afterwards
 *
 * Usage: npm run bench, or, with options (the projen task passes none on):
 *   [TMPDIR=/dev/shm] npx ts-node --swc bench/synth-bench.ts [--json] [--sizes=1,10] [--no-baseline] [--monitoring]
 * `--monitoring` monitors every service with an availability SLO (10 objects a service instead of 7); its goal is to
 * synthesize 1,000 of them in at most half the time `helm template` takes on the exported chart, in under 250 MiB.
 * `npm run bench` runs both: every size without monitoring, then 1,000 monitored services.
 * Exits 0 whether or not the target (1,000 services in < 2 s wall and < 250 MiB peak RSS with GantryApp) is met.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const RUNS = 3;
const BASELINE_RUNS = 1;
const BASELINE_SIZES = [100, 1000];
const BASELINE_TIMEOUT_MS = 300_000;
const TIMEOUT_MS = 120_000;
const TARGET = { services: 1000, wallMs: 2000, rssMiB: 250 };

type AppKind = 'gantry' | 'cdk8s';
type Structure = 'per-service' | 'single';

interface Run {
  bootMs: number;
  loadMs: number;
  defineMs: number;
  synthMs: number;
  wallMs: number;
  cpuMs: number;
  sysMs: number;
  loadRssKiB: number;
  maxRssKiB: number;
  processMs: number;
  objectsInTree: number;
  objects: number;
  bytes: number;
}

interface Row {
  services: number;
  app: AppKind;
  structure: Structure;
  runs: number;
  error?: string;
  median?: Run;
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const sizesArg = args.find((a) => a.startsWith('--sizes='));
const sizes = sizesArg ? sizesArg.slice('--sizes='.length).split(',').map(Number) : [1, 10, 100, 1000];
const baseline = !args.includes('--no-baseline');
// Each service also monitored, with an availability SLO (a ServiceMonitor, a PrometheusRule and a dashboard more).
const monitoring = args.includes('--monitoring');
const workerEnv = { ...process.env, GANTRY_BENCH_MONITORING: monitoring ? '1' : '' };

const root = path.resolve(__dirname, '..');
const worker = path.join(__dirname, 'synth-worker.ts');
const tsNode = require.resolve('ts-node/dist/bin.js');
const log = (line: string) => process.stderr.write(line + '\n');

/** One measurement in a fresh `ts-node --swc` process (swc transpiles, nothing type-checks), as `npm run bench`. */
function measure(app: AppKind, structure: Structure, services: number, timeout: number): Run {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-bench-'));
  try {
    const t0 = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [tsNode, '--swc', worker, app, structure, String(services), outdir], {
      cwd: root, encoding: 'utf8', timeout, killSignal: 'SIGKILL', env: workerEnv,
    });
    const processMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (child.error || child.status !== 0) {
      const timedOut = (child.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
      const why = timedOut ? `killed after the ${timeout / 1000} s time limit` : child.error?.message ?? `exit ${child.status ?? child.signal}`;
      throw new Error(`${why}${child.stderr ? `: ${child.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`);
    }
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!);
    delete result.windowUs; // for profiling only
    let objects = 0;
    let bytes = 0;
    for (const file of fs.readdirSync(outdir, { recursive: true, encoding: 'utf8' })) {
      const full = path.join(outdir, file);
      if (!fs.statSync(full).isFile()) continue;
      const text = fs.readFileSync(full, 'utf8');
      bytes += Buffer.byteLength(text);
      objects += text.match(/^kind: /gm)?.length ?? 0;
    }
    if (objects !== result.objectsInTree) {
      throw new Error(`${objects} objects written, but ${result.objectsInTree} ApiObjects in the tree`);
    }
    return { ...result, objects, bytes, processMs };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function median(runs: Run[]): Run {
  const mid = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const keys = Object.keys(runs[0]) as (keyof Run)[];
  return Object.fromEntries(keys.map((k) => [k, mid(runs.map((r) => r[k]))])) as unknown as Run;
}

function bench(app: AppKind, structure: Structure, services: number, runs: number, timeout: number): Row {
  const row: Row = { services, app, structure, runs };
  const results: Run[] = [];
  for (let i = 1; i <= runs; i++) {
    try {
      const r = measure(app, structure, services, timeout);
      results.push(r);
      log(`  ${app} ${structure} ${services}: run ${i}/${runs} ${r.wallMs.toFixed(0)} ms, ${(r.maxRssKiB / 1024).toFixed(0)} MiB`);
    } catch (e) {
      row.error = (e as Error).message;
      log(`  ${app} ${structure} ${services}: run ${i}/${runs} FAILED: ${row.error}`);
      return row;
    }
  }
  row.median = median(results);
  return row;
}

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const loadBefore = load();
const rows: Row[] = [];
log(`Synthesis benchmark: ${sizes.join(', ')} services, ${RUNS} runs each, a fresh process per run`);
for (const services of sizes) {
  for (const structure of ['per-service', 'single'] as const) {
    rows.push(bench('gantry', structure, services, RUNS, TIMEOUT_MS));
  }
  if (baseline && BASELINE_SIZES.includes(services)) {
    log(`  cdk8s per-service ${services}: baseline, quadratic, may take minutes (limit ${BASELINE_TIMEOUT_MS / 1000} s)`);
    rows.push(bench('cdk8s', 'per-service', services, BASELINE_RUNS, BASELINE_TIMEOUT_MS));
  }
}

const loadAfter = load();

const targets = rows.filter((r) => r.app === 'gantry' && r.services === TARGET.services).map((r) => {
  const wallMs = r.median?.wallMs;
  const rssMiB = r.median ? r.median.maxRssKiB / 1024 : undefined;
  const met = wallMs !== undefined && rssMiB !== undefined && wallMs < TARGET.wallMs && rssMiB < TARGET.rssMiB;
  return { structure: r.structure, wallMs, rssMiB, met };
});

// Helm: the same apps exported as charts, and `helm template` on them (a fresh helm process each run, as in CI).
const helm = path.join(root, '.tools', 'bin', 'helm');
interface HelmRow {
  services: number;
  gantryMs?: number;
  gantryProcessMs?: number;
  gantryRssMiB?: number;
  exportMs?: number;
  exportRssMiB?: number;
  helmMs?: number;
  error?: string;
}
const helmRows: HelmRow[] = [];
if (!fs.existsSync(helm)) {
  log(`  helm is not installed at ${helm}: run 'npx projen tools' to compare with helm template`);
} else {
  const homes = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-bench-helm-home-'));
  const env = { ...process.env, HELM_CACHE_HOME: homes, HELM_CONFIG_HOME: homes, HELM_DATA_HOME: homes };
  for (const services of sizes) {
    const row: HelmRow = { services };
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-bench-'));
    const chartDir = path.join(outdir, 'chart');
    try {
      const child = spawnSync(process.execPath, [tsNode, '--swc', worker, 'gantry', 'single', String(services), outdir, chartDir], {
        cwd: root, encoding: 'utf8', timeout: TIMEOUT_MS, env: workerEnv,
      });
      if (child.status !== 0) throw new Error(child.stderr.trim().split('\n').slice(-3).join(' | '));
      const result = JSON.parse(child.stdout.trim().split('\n').pop()!);
      row.exportMs = result.exportMs;
      row.exportRssMiB = result.exportRssKiB / 1024;
      const single = rows.find((r) => r.app === 'gantry' && r.structure === 'single' && r.services === services)?.median;
      row.gantryMs = single?.wallMs;
      row.gantryProcessMs = single?.processMs;
      row.gantryRssMiB = single ? single.maxRssKiB / 1024 : undefined;
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = process.hrtime.bigint();
        // The same objects Gantry writes: the custom resources of a cluster that serves them, no helm test hooks.
        const apis = ['monitoring.coreos.com/v1/ServiceMonitor', 'monitoring.coreos.com/v1/PrometheusRule'].flatMap((a) => ['--api-versions', a]);
        const h = spawnSync(helm, ['template', 'bench', chartDir, '--skip-tests', ...apis], { env, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (h.status !== 0) throw new Error(h.stderr.trim());
      }
      row.helmMs = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
      log(`  helm template ${services}: ${row.helmMs.toFixed(0)} ms (export ${row.exportMs!.toFixed(0)} ms)`);
    } catch (e) {
      row.error = (e as Error).message;
      log(`  helm ${services}: FAILED: ${row.error}`);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
    helmRows.push(row);
  }
  fs.rmSync(homes, { recursive: true, force: true });
}

if (json) {
  const machine = { node: process.version, platform: `${os.type()} ${os.release()}`, cpus: os.cpus().length, cpu: os.cpus()[0]?.model };
  const loadavg = { before: loadBefore, after: loadAfter };
  const report = { date: new Date().toISOString(), machine, loadavg, runs: RUNS, target: TARGET, rows, targets, helm: helmRows };
  console.log(JSON.stringify(report, null, 2));
} else {
  const header = ['services', 'app', 'structure', 'objects', 'wall ms', 'define ms', 'synth ms', 'CPU (sys) ms', 'load ms', 'process ms', 'peak RSS MiB',
    'bytes written', 'runs'];
  const table = rows.map((r) => {
    const m = r.median;
    const head = [r.services.toLocaleString('en-US'), r.app === 'gantry' ? 'GantryApp' : 'cdk8s App', r.structure];
    if (!m) return [...head, 'FAILED', ...header.slice(4).map(() => '-')];
    return [...head, String(m.objects), m.wallMs.toFixed(1), m.defineMs.toFixed(1), m.synthMs.toFixed(1),
      `${m.cpuMs.toFixed(0)} (${m.sysMs.toFixed(0)})`, m.loadMs.toFixed(0), m.processMs.toFixed(0), (m.maxRssKiB / 1024).toFixed(1), m.bytes.toLocaleString('en-US'), String(r.runs)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  table.forEach((t) => console.log(line(t)));
  rows.filter((r) => r.error).forEach((r) => console.log(`FAILED ${r.app} ${r.structure} ${r.services}: ${r.error}`));
  console.log();
  console.log(`wall = define + synth, median of ${RUNS} runs (baseline: ${BASELINE_RUNS}); load = requiring cdk8s and src/, not in wall;`);
  console.log('process = the whole child process, spawn to exit (node and ts-node start-up included).');
  console.log(`Load average (1, 5, 15 min) before: ${loadBefore}, after: ${loadAfter}; more than ${os.cpus().length} means a busy machine.`);
  // The plain app's target; the monitored app's goal is against helm template (below).
  const target = `${TARGET.services.toLocaleString('en-US')} services in < ${TARGET.wallMs} ms wall and < ${TARGET.rssMiB} MiB peak RSS`;
  if (!monitoring) {
    for (const t of targets) {
      const got = t.wallMs === undefined ? 'no result' : `${t.wallMs.toFixed(0)} ms, ${t.rssMiB!.toFixed(1)} MiB`;
      console.log(`  GantryApp ${t.structure.padEnd(11)} ${t.met ? 'met   ' : 'MISSED'} (${got})`);
    }
    if (targets.length === 0) console.log(`Target (${target}): not measured, --sizes must include ${TARGET.services}`);
    else if (targets.every((t) => t.met)) console.log(`Target (${target}): MET by every GantryApp structure`);
    else console.log(`Target (${target}): MISSED by ${targets.filter((t) => !t.met).map((t) => t.structure).join(', ')}`);
  }

  if (helmRows.length > 0) {
    console.log();
    console.log('Helm: the single-chart app exported as a chart, then `helm template` of it (median of 3, helm start-up included).');
    console.log('services  Gantry synth ms  Gantry process ms  chart export ms  export peak MiB  helm template ms  Gantry / helm  process / helm');
    for (const h of helmRows) {
      const ratio = (x: number | undefined) => (x !== undefined && h.helmMs !== undefined ? (x / h.helmMs).toFixed(2) : '-');
      const cell = (x: number | undefined, w: number) => (x === undefined ? '-' : x.toFixed(0)).padStart(w);
      const cells = [cell(h.gantryMs, 15), cell(h.gantryProcessMs, 17), cell(h.exportMs, 15), cell(h.exportRssMiB, 15), cell(h.helmMs, 16),
        ratio(h.gantryMs).padStart(13),
        ratio(h.gantryProcessMs).padStart(14)];
      console.log(`${h.services.toLocaleString('en-US').padEnd(8)}  ${cells.join('  ')}${h.error ? `  FAILED: ${h.error}` : ''}`);
    }
    const last = helmRows.find((h) => h.services === TARGET.services);
    if (last?.gantryMs !== undefined && last.helmMs !== undefined) {
      console.log(`Goal (Gantry synthesizes ${TARGET.services.toLocaleString('en-US')} services no slower than helm template renders them): `
        + `${last.gantryMs <= last.helmMs ? 'MET' : 'MISSED'} (${last.gantryMs.toFixed(0)} ms against ${last.helmMs.toFixed(0)} ms)`);
      if (monitoring && last.gantryProcessMs !== undefined && last.gantryRssMiB !== undefined) {
        // The monitored app's goal: the whole process in at most half of helm template's time, under 250 MiB.
        const met = last.gantryProcessMs <= last.helmMs / 2 && last.gantryMs <= last.helmMs / 2 && last.gantryRssMiB < TARGET.rssMiB;
        console.log(`Goal (${TARGET.services.toLocaleString('en-US')} monitored services, synthesis and whole process in at most half of helm template's `
          + `time, peak RSS < ${TARGET.rssMiB} MiB): ${met ? 'MET' : 'MISSED'} (synthesis ${(last.gantryMs / last.helmMs).toFixed(2)}, `
          + `process ${(last.gantryProcessMs / last.helmMs).toFixed(2)} of helm template, ${last.gantryRssMiB.toFixed(0)} MiB)`);
      }
      if (monitoring && last.exportMs !== undefined && last.exportRssMiB !== undefined) {
        // The export's goal is measured by export-bench.ts, in a process of its own; this is the export after synthesis.
        console.log(`Export of the chart after synthesis, in the same ts-node process: ${last.exportMs.toFixed(0)} ms, process peak `
          + `${last.exportRssMiB.toFixed(0)} MiB (the export's goal: bench/export-bench.ts)`);
      }
    }
  }
}
