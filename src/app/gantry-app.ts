import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { GantryError } from '../core/errors';
import { problemsError, renderChecked } from '../core/metadata-checks';
import { chartObjects, prepareApp } from '../core/synthesis';
import { toYaml, toYamlStream } from '../core/yaml';
import { Environment } from '../environment/environment';
import { declareEnvironmentFolders } from '../environment/output-folders';

/**
 * A cdk8s `App` whose synthesis takes time linear in the number of objects, whatever the structure of charts, and which
 * writes each Environment's charts to a folder of its own.
 *
 * cdk8s 2's `App.synth()` validates and resolves dependencies over the whole app once for every chart, so an app with
 * one chart per service takes time quadratic in the number of services (about 10 s for 1,000 small charts here).
 * `GantryApp` does that work once. It also runs every construct's validation before it creates the output directory,
 * so an invalid app writes nothing, and it reports all validation errors at once as a `GantryError`. As it writes, it
 * checks every object's labels and annotations as the API server would (keys, values, 256 KiB of annotations), whoever
 * set them, and reports those problems together too. It refuses two
 * charts that would write one file, and writes every file aside first: a synthesis that fails halfway leaves the
 * previous output as it was.
 *
 * Use it where the code had `new App()`. Outside an `Environment` it writes the files `App` writes, with the same
 * names and the same objects in the same order, for every `yamlOutputType`; the YAML text differs in quoting
 * (js-yaml's single quotes, and every string YAML 1.1 readers would take for a number or boolean is quoted). The charts
 * defined in an `Environment` go to `<outdir>/<environment name>/`, named by their path below the environment, where
 * the environment's Argo CD Application looks for them.
 */
export class GantryApp extends App {
  private readonly recordsMetadata: boolean;

  /**
   * @param props as for cdk8s's `App`
   */
  constructor(props: AppProps = {}) {
    super(props);
    declareEnvironmentFolders(this);
    // Same rule as cdk8s's App, whose field is private.
    this.recordsMetadata = props.recordConstructMetadata ?? process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true';
  }

  /**
   * Validates the app and writes its manifests to `outdir`.
   */
  public synth(): void {
    if (this.recordsMetadata) {
      // Metadata recording is rare and upstream's writer is private: let cdk8s do the whole job.
      return super.synth();
    }
    const { charts, hasDependantCharts } = prepareApp(this);
    const manifests = charts.map((chart) => ({ chart, objects: chartObjects(chart) }));

    const ext = this.outputFileExtension;
    // Charts defined in an Environment go to <outdir>/<environment>/, named by their path below it.
    const indexed = (i: number, chart: Chart) => {
      const env = Environment.of(chart);
      if (env !== undefined) {
        return path.join(env.name, chart.node.path.slice(env.node.path.length + 1).split('/').join('-').toLowerCase());
      }
      return (hasDependantCharts ? `${String(i).padStart(4, '0')}-` : '') + Names.toDnsLabel(chart);
    };
    const dirOf = (chart: Chart) => Environment.of(chart)?.name ?? '';
    const fileOf = (o: ApiObject) => `${o.kind}.${o.name}`.replace(/[^0-9a-zA-Z-_.]/g, '') + ext;

    // Every file to write, with what goes in it and where it comes from.
    const plan: { file: string; objects: ApiObject[]; from: string }[] = [];
    switch (this.yamlOutputType) {
      case YamlOutputType.FILE_PER_APP:
        if (charts.length > 0) plan.push({ file: `app${ext}`, objects: manifests.flatMap((m) => m.objects), from: 'the app' });
        break;
      case YamlOutputType.FILE_PER_CHART:
        manifests.forEach((m, i) => plan.push({ file: indexed(i, m.chart) + ext, objects: m.objects, from: `chart ${m.chart.node.path}` }));
        break;
      case YamlOutputType.FILE_PER_RESOURCE:
        for (const m of manifests) {
          for (const o of m.objects) plan.push({ file: path.join(dirOf(m.chart), fileOf(o)), objects: [o], from: o.node.path });
        }
        break;
      case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
        manifests.forEach((m, i) => {
          for (const o of m.objects) plan.push({ file: path.join(indexed(i, m.chart), fileOf(o)), objects: [o], from: o.node.path });
        });
        break;
      default:
        break;
    }
    refuseCollisions(this, plan);

    // Written aside, then moved into place only when every file is written: a failure leaves the previous output as it
    // was, never half of a new one (Argo CD would prune what a half-written commit leaves out).
    const staging = `${path.resolve(this.outdir)}.gantry-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    try {
      // The metadata of every object is checked as it is rendered; its problems are reported together, and then
      // nothing is moved into place.
      const problems: { path: string; message: string }[] = [];
      for (const { file, objects } of plan) {
        fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
        write(path.join(staging, file), objects, problems);
      }
      const error = problemsError(problems);
      if (error) throw error;
      fs.mkdirSync(this.outdir, { recursive: true });
      for (const { file } of plan) {
        fs.mkdirSync(path.dirname(path.join(this.outdir, file)), { recursive: true });
        fs.renameSync(path.join(staging, file), path.join(this.outdir, file));
      }
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }

  /**
   * Validates the app and returns all its manifests as one YAML stream.
   */
  public synthYaml(): string {
    const { charts } = prepareApp(this);
    const problems: { path: string; message: string }[] = [];
    const docs = charts.flatMap((chart) => chartObjects(chart).map((o) => renderChecked(o, problems)));
    const error = problemsError(problems);
    if (error) throw error;
    return toYamlStream(docs);
  }
}

/**
 * Two charts or objects that would write the same file (`orders` + `api` and `orders-api`, say): the second would
 * overwrite the first, its objects would vanish from the output, and a GitOps sync would delete them from the cluster.
 */
function refuseCollisions(app: IConstruct, plan: { file: string; from: string }[]): void {
  const seen = new Map<string, string>();
  for (const { file, from } of plan) {
    const other = seen.get(file);
    if (other !== undefined) {
      throw GantryError.of(app, 'output', file, `would be written by both ${other} and ${from}, and the second would replace the first`,
        'give one of them another id or name');
    }
    seen.set(file, from);
  }
}

/**
 * Renders and writes objects in chunks of about 64 KiB, so a chart's whole output never sits in memory at once. (Larger
 * chunks cost memory, not time: at 1 MiB, the peak memory of 1,000 monitored services in one chart was 20 MiB higher.)
 */
function write(file: string, objects: ApiObject[], problems: { path: string; message: string }[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    let chunk = '';
    objects.forEach((o, i) => {
      chunk += (i > 0 ? '---\n' : '') + toYaml(renderChecked(o, problems));
      if (chunk.length > 64 * 1024) {
        fs.writeSync(fd, chunk);
        chunk = '';
      }
    });
    fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
}
