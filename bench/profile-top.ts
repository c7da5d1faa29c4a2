/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): the functions with the most self time, and self time by
 * package. Used for docs/benchmarks.md:
 *
 *   d=$(mktemp -d); node --cpu-prof --cpu-prof-dir=/tmp/prof node_modules/ts-node/dist/bin.js --swc \
 *     bench/synth-worker.ts gantry per-service 1000 "$d" | tee /tmp/prof/worker.json; rm -rf "$d"
 *   npx ts-node --swc bench/profile-top.ts /tmp/prof/CPU.*.cpuprofile /tmp/prof/worker.json [top=25]
 *
 * With the worker's output, only the samples taken while it defined and synthesized the app count (its `windowUs`,
 * on the same monotonic clock as the profile's timestamps); without, the whole process (start-up and loading too).
 */
import * as fs from 'fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const [file, workerFile, topArg] = process.argv.slice(2);
const profile: { nodes: Node[]; startTime: number; samples: number[]; timeDeltas: number[] } =
  JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const [from, to]: number[] = workerFile ? JSON.parse(fs.readFileSync(workerFile, 'utf8')).windowUs : [-Infinity, Infinity];

// Self time of each node: the intervals of the samples that landed in it (a sample's delta precedes its timestamp).
const selfUs = new Map<number, number>();
let t = profile.startTime;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  if (t >= from && t <= to) selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
});
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

const where = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/work\/main\//, '');
const pkg = (url: string) => {
  if (!url) return '(native/V8: GC, idle, program)';
  if (url.startsWith('node:')) return 'node: (fs, path, ...)';
  const m = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  return m ? m[1] : where(url).split('/').slice(0, 2).join('/');
};

const keyOf = (id: number) => {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  return `${functionName || '(anonymous)'}  ${url ? `${where(url)}:${lineNumber + 1}` : ''}`;
};
const parent = new Map<number, number>();
profile.nodes.forEach((n) => n.children?.forEach((c) => parent.set(c, n.id)));

const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const url = byId.get(id)!.callFrame.url;
  byFunction.set(keyOf(id), (byFunction.get(keyOf(id)) ?? 0) + us);
  byPackage.set(pkg(url), (byPackage.get(pkg(url)) ?? 0) + us);
  // Inclusive time: once per function on the stack, however deep it recurses.
  const onStack = new Set<string>();
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) onStack.add(keyOf(n));
  onStack.forEach((k) => inclusive.set(k, (inclusive.get(k) ?? 0) + us));
}

const show = (title: string, m: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  [...m].sort((a, b) => b[1] - a[1]).slice(0, n).forEach(([k, us]) =>
    console.log(`${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${k}`));
};
console.log(`sampled: ${(totalUs / 1000).toFixed(0)} ms${workerFile ? ' (define + synth only)' : ' (whole process)'}`);
show('self time by package', byPackage, 12);
show('self time by function', byFunction, Number(topArg ?? 25));
// Leave out the frames every sample goes through (node's and ts-node's loaders, the worker's top level).
const plumbing = /^\(root\)|node:internal|ts-node\/|synth-worker\.ts:1$/;
show('inclusive time by function', new Map([...inclusive].filter(([k]) => !plumbing.test(k))), Number(topArg ?? 25));
console.log('\n(line numbers in src/ are of the swc output, a few lines off the .ts source)');
