import { ApiObject, Chart } from 'cdk8s';
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
  const charts = dependencyOrder(app).filter(isChart);
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
  return dependencyOrder(chart).filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
}

/**
 * The constructs under `scope` (itself included) in the order of cdk8s's `new DependencyGraph(scope.node).topology()`:
 * dependencies first, depth first from the constructs nothing under `scope` depends on, in tree order; dependencies
 * outside `scope` are left out. cdk8s's graph checks every new edge for a cycle by searching the graph and keeps two
 * sets per construct: for a chart of 10,000 objects, a tenth of an export's time and 10 MB of short-lived memory, twice
 * (the app's charts, then each chart's objects). This is the same walk with an array per construct; a test compares
 * the two orders on generated trees.
 */
export function dependencyOrder(scope: IConstruct): IConstruct[] {
  const all = scope.node.findAll();
  const index = new Map<IConstruct, number>(all.map((c, i) => [c, i]));
  const dependsOn: number[][] = all.map(() => []);
  const depended = new Array<boolean>(all.length).fill(false);
  all.forEach((c, i) => {
    for (const target of c.node.dependencies) {
      const t = index.get(target);
      if (t === undefined || dependsOn[i].includes(t)) continue;
      dependsOn[i].push(t);
      depended[t] = true;
    }
  });
  // cdk8s adopts the constructs nothing depends on in the order of its vertex object's keys (their paths): keys that
  // look like array indices ('0', '42') come first, in numeric order; a construct path can be one.
  const unordered = all.map((_, i) => i).filter((i) => !depended[i]);
  const indexLike = unordered.filter((i) => /^(0|[1-9]\d{0,8})$/.test(all[i].node.path))
    .sort((a, b) => Number(all[a].node.path) - Number(all[b].node.path));
  const roots = indexLike.length === 0 ? unordered : [...indexLike, ...unordered.filter((i) => !indexLike.includes(i))];
  const order: IConstruct[] = [];
  const state = new Array<number>(all.length).fill(0); // 0 new, 1 on the path, 2 done
  const path: number[] = [];
  const visit = (i: number): void => {
    if (state[i] === 2) return;
    if (state[i] === 1) {
      const cycle = [...path.slice(path.indexOf(i)), i].map((k) => all[k].node.path);
      throw new Error(`Dependency cycle detected: ${cycle.join(' => ')}`);
    }
    state[i] = 1;
    path.push(i);
    for (const d of dependsOn[i]) visit(d);
    path.pop();
    state[i] = 2;
    order.push(all[i]);
  };
  for (const r of roots) visit(r);
  // Constructs on a cycle only are reached from no root: cdk8s refuses them when it adds the edge that closes it.
  for (let i = 0; i < all.length; i++) visit(i);
  return order;
}

