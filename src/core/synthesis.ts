import { ApiObject, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import { GantryError } from './errors';

// Synthesis steps shared by GantryApp and the Helm export. Not part of the jsii API (free functions).

/**
 * Validates every construct under `app`, then turns implicit dependencies into explicit ones, once for the whole app.
 * Mirrors cdk8s's own `validate` and `resolveDependencies`; used by GantryApp and the Helm export.
 */
export function prepareApp(app: IConstruct): { charts: Chart[]; hasDependantCharts: boolean } {
  const all = app.node.findAll();
  const errors: { path: string; message: string }[] = [];
  for (const c of all) {
    for (const message of c.node.validate()) {
      // Gantry's own messages name their construct already; others get cdk8s's `[path]` prefix.
      errors.push({ path: c.node.path, message: message.includes(`'${c.node.path}'`) ? message : `[${c.node.path}] ${message}` });
    }
  }
  if (errors.length > 0) {
    const messages = errors.map((e) => e.message);
    throw new GantryError(messages.length === 1 ? messages[0] : `${messages.length} validation errors:\n  ${messages.join('\n  ')}`,
      errors[0].path, 'validation');
  }

  let hasDependantCharts = false;
  const isChart = (x: IConstruct): x is Chart => x instanceof Chart;
  for (const parent of all.filter(isChart)) {
    for (const child of parent.node.children.filter(isChart)) {
      parent.node.addDependency(child);
      hasDependantCharts = true;
    }
  }
  for (const dep of dependencies(all)) {
    const source = Chart.of(dep.source);
    const target = Chart.of(dep.target);
    if (source !== target) {
      source.node.addDependency(target);
      hasDependantCharts = true;
    }
  }
  const apiObjectsOf = (c: IConstruct, chart: Chart) =>
    c.node.findAll().filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
  for (const dep of dependencies(all)) {
    const targets = apiObjectsOf(dep.target, Chart.of(dep.target));
    const sources = apiObjectsOf(dep.source, Chart.of(dep.source));
    for (const target of targets) {
      for (const source of sources) {
        if (target !== source) source.node.addDependency(target);
      }
    }
  }
  const charts = new DependencyGraph(app.node).topology().filter(isChart);
  return { charts, hasDependantCharts };
}

function dependencies(all: IConstruct[]): { source: IConstruct; target: IConstruct }[] {
  const deps = [];
  for (const source of all) {
    for (const target of source.node.dependencies) deps.push({ source, target });
  }
  return deps;
}

/**
 * The chart's own API objects (not those of nested charts), in dependency order.
 */
export function chartObjects(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node).topology()
    .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
}

