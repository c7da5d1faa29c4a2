import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, Names, YamlOutputType } from 'cdk8s';
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
 * so an invalid app writes nothing, and it reports all validation errors at once as a `GantryError`.
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

    fs.mkdirSync(this.outdir, { recursive: true });
    const ext = this.outputFileExtension;
    // Charts defined in an Environment go to <outdir>/<environment>/, named by their path below it.
    const indexed = (i: number, chart: Chart) => {
      const env = Environment.of(chart);
      if (env !== undefined) {
        return path.join(env.name, chart.node.path.slice(env.node.path.length + 1).split('/').join('-').toLowerCase());
      }
      return (hasDependantCharts ? `${String(i).padStart(4, '0')}-` : '') + Names.toDnsLabel(chart);
    };
    const dirOf = (chart: Chart) => path.join(this.outdir, Environment.of(chart)?.name ?? '');
    const fileOf = (o: ApiObject) => `${o.kind}.${o.name}`.replace(/[^0-9a-zA-Z-_.]/g, '') + ext;
    for (const chart of charts) fs.mkdirSync(dirOf(chart), { recursive: true });
    switch (this.yamlOutputType) {
      case YamlOutputType.FILE_PER_APP: {
        if (charts.length > 0) write(path.join(this.outdir, `app${ext}`), manifests.flatMap((m) => m.objects));
        break;
      }
      case YamlOutputType.FILE_PER_CHART:
        manifests.forEach((m, i) => write(path.join(this.outdir, indexed(i, m.chart) + ext), m.objects));
        break;
      case YamlOutputType.FILE_PER_RESOURCE:
        for (const m of manifests) {
          for (const o of m.objects) write(path.join(dirOf(m.chart), fileOf(o)), [o]);
        }
        break;
      case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
        manifests.forEach((m, i) => {
          const dir = path.join(this.outdir, indexed(i, m.chart));
          fs.mkdirSync(dir, { recursive: true });
          for (const o of m.objects) write(path.join(dir, fileOf(o)), [o]);
        });
        break;
      default:
        break;
    }
  }

  /**
   * Validates the app and returns all its manifests as one YAML stream.
   */
  public synthYaml(): string {
    const { charts } = prepareApp(this);
    return toYamlStream(charts.flatMap((chart) => chartObjects(chart).map((o) => o.toJson())));
  }
}

/** Renders and writes objects in chunks of about 1 MiB, so a chart's whole output never sits in memory at once. */
function write(file: string, objects: ApiObject[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    let chunk = '';
    objects.forEach((o, i) => {
      chunk += (i > 0 ? '---\n' : '') + toYaml(o.toJson());
      if (chunk.length > 1024 * 1024) {
        fs.writeSync(fd, chunk);
        chunk = '';
      }
    });
    fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
}
