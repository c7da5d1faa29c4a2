import { App, Chart, DependencyGraph } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as fc from 'fast-check';
import { dependencyOrder } from '../../src/core/synthesis';

/**
 * A generated construct tree: top-level charts, and constructs under earlier ones; ids include ones that look like
 * array indices ('0', '12'), which cdk8s's graph orders first, as object keys. Dependencies go from a later construct
 * to an earlier one, so that the graph has no cycle, and include some that leave the subtree under test.
 */
const trees = fc.record({
  parents: fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
  ids: fc.array(fc.oneof(fc.constantFrom('0', '1', '7', '12'), fc.stringMatching(/^[a-z]{1,3}$/)), { minLength: 40, maxLength: 40 }),
  dependencies: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 60 }),
});

function build(t: { parents: number[]; ids: string[]; dependencies: [number, number][] }): { root: IConstruct; nodes: IConstruct[] } {
  const app = new App();
  const nodes: IConstruct[] = [];
  t.parents.forEach((p, i) => {
    // Some constructs are top-level charts, the rest children of earlier ones.
    const parent = p % (i + 1) === i ? app : nodes[p % (i + 1)];
    const id = parent.node.tryFindChild(t.ids[i]) ? `${t.ids[i]}-${i}` : t.ids[i];
    nodes.push(parent === app ? new Chart(app, id) : new Construct(parent, id));
  });
  for (const [a, b] of t.dependencies) {
    const [x, y] = [a % nodes.length, b % nodes.length];
    const [from, to] = [Math.max(x, y), Math.min(x, y)];
    if (from !== to) nodes[from].node.addDependency(nodes[to]);
  }
  return { root: app, nodes };
}

describe('dependencyOrder', () => {
  test('orders every generated tree as cdk8s\'s DependencyGraph does, from the app and from any construct', () => {
    fc.assert(fc.property(trees, fc.nat(), (t, pick) => {
      const { root, nodes } = build(t);
      for (const scope of [root, nodes[pick % nodes.length]]) {
        const paths = (cs: IConstruct[]) => cs.map((c) => c.node.path);
        expect(paths(dependencyOrder(scope))).toEqual(paths(new DependencyGraph(scope.node).topology()));
      }
    }), { numRuns: 300 });
  });

  test('a dependency cycle is an error naming its constructs', () => {
    const app = new App();
    const chart = new Chart(app, 'shop');
    const a = new Construct(chart, 'a');
    const b = new Construct(chart, 'b');
    a.node.addDependency(b);
    b.node.addDependency(a);
    expect(() => dependencyOrder(chart)).toThrow('Dependency cycle detected: shop/a => shop/b => shop/a');
  });
});
