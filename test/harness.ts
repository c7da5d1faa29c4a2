import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, ChartProps, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { GantryApp, GantryErrors } from '../src';

/** A chart in a fresh GantryApp that writes to its own temporary directory. */
export function newChart(props: ChartProps = {}): { app: GantryApp; chart: Chart; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-test-'));
  fs.rmSync(outdir, { recursive: true });
  const app = new GantryApp({ outdir });
  const chart = new Chart(app, 'test', props);
  return { app, chart, outdir };
}

/** The chart's manifests, as `cdk8s synth` writes them. */
export function synth(chart: Chart): any[] {
  return Testing.synth(chart);
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
