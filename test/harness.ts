import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, ChartProps, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { GantryApp, GantryErrors } from '../src';
import { podSecurityProblems, schemaProblems, stopPodSecurityValidator } from './support/validators';

/**
 * Everything `synth` returned in this test file, with the findings each batch deliberately accepts. After the file's
 * tests, every batch must pass the Pod Security Standards restricted profile, best practices and link checks.
 */
const synthesized: { objects: any[]; accept: string[]; where: string }[] = [];

afterAll(async () => {
  try {
    const failures = [];
    for (const batch of synthesized) {
      const problems = await podSecurityProblems(batch.objects, { ignore: batch.accept });
      if (problems.length > 0) failures.push({ where: batch.where, problems });
    }
    expect(failures).toEqual([]);
  } finally {
    await stopPodSecurityValidator();
  }
}, 60_000);

/** Options of `synth`. */
export interface SynthOptions {
  /**
   * Pod security and best-practice rule ids whose findings the test deliberately accepts (an opt-out under test).
   * Unknown ids fail.
   */
  readonly accept?: string[];
  /** Objects that exist outside the chart, such as Secrets that Gantry only references. */
  readonly external?: any[];
}

/** A chart in a fresh GantryApp that writes to its own temporary directory. */
export function newChart(props: ChartProps = {}): { app: GantryApp; chart: Chart; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-test-'));
  fs.rmSync(outdir, { recursive: true });
  const app = new GantryApp({ outdir });
  const chart = new Chart(app, 'test', props);
  return { app, chart, outdir };
}

/**
 * The chart's manifests, as `cdk8s synth` writes them. Every object is checked against the upstream Kubernetes schema
 * here (no unknown fields), and queued for the pod security checks that run after the file's tests.
 */
export function synth(chart: Chart, options: SynthOptions = {}): any[] {
  const objects = Testing.synth(chart);
  expect(objects.flatMap((o) => schemaProblems(o))).toEqual([]);
  synthesized.push({
    objects: [...objects, ...(options.external ?? [])],
    accept: options.accept ?? [],
    where: expect.getState().currentTestName ?? chart.node.path,
  });
  return objects;
}

/**
 * Every file under `dir`, by path relative to it, sorted, with its text; then removes `dir` (each caller made it for
 * one synthesis).
 */
export function takeTree(dir: string): Map<string, string> {
  const files = new Map((fs.readdirSync(dir, { recursive: true }) as string[]).sort()
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
  fs.rmSync(dir, { recursive: true });
  return files;
}

/** The one object of `kind` (and `name`, when given) among `objects`. */
export function only(objects: any[], kind: string, name?: string): any {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` named ${name}` : ''}, found ${found.length}`);
  }
  return found[0];
}

/** The first container of a Deployment's pod template. */
export function container(objects: any[]): any {
  return only(objects, 'Deployment').spec.template.spec.containers[0];
}

/**
 * Runs `define` on a fresh chart, then synthesizes the app, and returns the GantryError either threw, after checking
 * that nothing was written to the output directory.
 */
export function gantryError(define: (chart: Construct) => void): Error {
  const { app, chart, outdir } = newChart();
  let error: any;
  try {
    define(chart);
    app.synth();
  } catch (e) {
    error = e;
  }
  const written = fs.existsSync(outdir) ? fs.readdirSync(outdir) : [];
  fs.rmSync(outdir, { recursive: true, force: true });
  if (error === undefined) throw new Error('expected a GantryError, but the app synthesized');
  if (!GantryErrors.isGantryError(error)) throw error;
  expect(written).toEqual([]);
  return error;
}
