/**
 * One benchmark measurement, run in its own process by `synth-bench.ts` (or by hand, e.g. under `node --cpu-prof`):
 *
 *   ts-node --swc bench/synth-worker.ts <gantry|cdk8s> <per-service|single> <services> <outdir> [<chartdir>]
 *
 * Loads cdk8s and the library, defines <services> generated GoMicroservices (one Chart each, or all in one Chart),
 * synthesizes them into <outdir>, and prints one JSON line with the times (ms) and the peak RSS (KiB). With
 * <chartdir>, it then also exports the app as a Helm chart there, timed apart (`exportMs`). `export-bench.ts` also runs
 * it as JavaScript against the compiled lib/, and without the synthesis.
 */
import type * as Cdk8s from 'cdk8s';
import type * as Gantry from '../src';

/** The times are taken inside this process: they exclude node/ts-node start-up, reported apart as `bootMs`. */
const bootMs = process.uptime() * 1000;
const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;

const t0 = process.hrtime.bigint();
// Loaded here, not with `import` (hoisted), so that loading and transpiling src/ are timed apart from the work.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdk8s: typeof Cdk8s = require('cdk8s');
// GANTRY_BENCH_LIBRARY: another build of the library to load (the compiled lib/, when this worker runs as JavaScript).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gantry: typeof Gantry = require(process.env.GANTRY_BENCH_LIBRARY ?? '../src');
const t1 = process.hrtime.bigint();
const loadRssKiB = process.resourceUsage().maxRSS;

const [appKind, structure, countArg, outdir, chartDir] = process.argv.slice(2);
const services = Number(countArg);
if (!['gantry', 'cdk8s'].includes(appKind) || !['per-service', 'single'].includes(structure)
  || !Number.isInteger(services) || services < 1 || !outdir) {
  console.error('usage: synth-worker.ts <gantry|cdk8s> <per-service|single> <services> <outdir>');
  process.exit(2);
}

/** Service `i` of the generated app: always the same props for the same `i`, 7 objects. */
function serviceProps(i: number): Gantry.GoMicroserviceProps {
  const name = `svc-${String(i).padStart(4, '0')}`;
  const next = `svc-${String((i + 1) % services).padStart(4, '0')}`;
  return {
    name,
    image: `ghcr.io/acme/svc-${i}:1.0.0`,
    partOf: 'bench',
    config: { 'config.yaml': `service: ${name}\nupstream: http://${next}\nrequest_timeout: 3s\n` },
    env: { LOG_LEVEL: 'info', UPSTREAM_URL: `http://${next}` },
    secretEnv: { DATABASE_PASSWORD: { secretName: `${name}-db`, key: 'password' } },
    autoscaling: { maxReplicas: 10 },
  };
}

const cpu0 = process.cpuUsage();
const t2 = process.hrtime.bigint();
const app = appKind === 'gantry' ? new gantry.GantryApp({ outdir }) : new cdk8s.App({ outdir });
const single = structure === 'single' ? new cdk8s.Chart(app, 'services') : undefined;
for (let i = 0; i < services; i++) {
  const props = serviceProps(i);
  const service = new gantry.GoMicroservice(single ?? new cdk8s.Chart(app, props.name!), props.name!, props);
  if (process.env.GANTRY_BENCH_MONITORING) service.addMonitoring({ availability: { objective: 99.9 } });
}
const t3 = process.hrtime.bigint();
// GANTRY_BENCH_EXPORT_ONLY: define, then export the chart without synthesizing (a job that only builds the chart).
if (!process.env.GANTRY_BENCH_EXPORT_ONLY) app.synth();
const t4 = process.hrtime.bigint();
// CPU time of the same work, all threads (GC helpers too); system time is mostly creating and writing files.
const cpu = process.cpuUsage(cpu0);
// Peak RSS of the whole process (node, ts-node and swc included), read as soon as the work is done.
const maxRssKiB = process.resourceUsage().maxRSS;

let exportMs: number | undefined;
let exportRssKiB: number | undefined;
if (chartDir) {
  const t5 = process.hrtime.bigint();
  gantry.HelmExport.writeChart(app, { name: 'bench', version: '0.1.0', outdir: chartDir });
  exportMs = ms(t5, process.hrtime.bigint());
  // The peak of the whole process, synthesis included: the export's own peak when it is the higher.
  exportRssKiB = process.resourceUsage().maxRSS;
}

const objectsInTree = app.node.findAll().filter((c) => c instanceof cdk8s.ApiObject).length;
console.log(JSON.stringify({
  bootMs,
  loadMs: ms(t0, t1),
  defineMs: ms(t2, t3),
  synthMs: ms(t3, t4),
  wallMs: ms(t2, t4),
  cpuMs: (cpu.user + cpu.system) / 1000,
  sysMs: cpu.system / 1000,
  loadRssKiB,
  maxRssKiB,
  objectsInTree,
  exportMs,
  exportRssKiB,
  // The define + synth window on the monotonic clock, in µs: the clock of `node --cpu-prof` timestamps.
  windowUs: [Number(t2 / 1000n), Number(t4 / 1000n)],
}));
