import { ApiObject, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { shopArgoCd, shopEnvironments } from '../../examples/shop/environments';
import { buildShop } from '../../examples/shop/shop';
import { GantryApp } from '../../src';
import { KubeDeployment } from '../../src/core/kube';
import { fastApiObjectJson, renderJson } from '../../src/core/render';

// The renderer must give exactly what cdk8s's ApiObject.toJson gives, errors included: cdk8s is the reference.
const reference = (o: ApiObject) => ApiObject.prototype.toJson.call(o);
/** The JSON text, or the error: the same value, or the same error, is the same outcome. */
function outcome(render: () => unknown): string {
  try {
    return JSON.stringify(render());
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

describe('renderJson equals cdk8s', () => {
  test('on every object of the example app, typed or not', () => {
    const app = new GantryApp({ outdir: 'unused' });
    const environments = shopEnvironments(app);
    for (const env of environments) buildShop(env);
    shopArgoCd(new Chart(app, 'argocd'), new Chart(app, 'argocd-root'), environments);
    const objects = app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    expect(objects.length).toBeGreaterThan(50);
    for (const o of objects) {
      // The renderer's part (before a typed class's conversion) equals cdk8s's...
      expect(fastApiObjectJson(o, true)).toEqual(reference(o));
      expect(JSON.stringify(fastApiObjectJson(o, true))).toBe(JSON.stringify(reference(o)));
    }
  });

  test('for a typed object: the conversion of the typed class runs on top, and JSON patches come last', () => {
    const chart = Testing.chart();
    const d = new KubeDeployment(chart, 'd', {
      spec: {
        selector: { matchLabels: { app: 'a' } },
        strategy: { rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'a', image: 'a:1', resources: { limits: { cpu: k8s.Quantity.fromString('1') } } }] } },
      },
    });
    d.addJsonPatch(JsonPatch.replace('/spec/strategy/rollingUpdate/maxSurge', 2));
    const json = d.toJson();
    expect(json.spec.strategy.rollingUpdate.maxSurge).toBe(2);
    expect(json.spec.template.spec.containers[0].resources.limits.cpu).toBe('1');
    expect(Object.keys(json).slice(0, 3)).toEqual(['apiVersion', 'kind', 'metadata']);
  });

  // Values as users and constructs put them in props: Lazy values, IntOrString and Quantity, nulls and undefineds,
  // keys in any order, nested lists and maps (some without a prototype, which cdk8s refuses).
  const key = fc.constantFrom('b', 'a', 'z', 'A', '10', '9', 'é', 'spec', 'value', '');
  const leaf = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined),
    fc.integer().map((n) => k8s.IntOrString.fromNumber(n)), fc.string().map((s) => k8s.Quantity.fromString(s)));
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', maxDepth: 4 }, leaf,
      fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 5 }),
      tie('node').map((v) => Lazy.any({ produce: () => v }))),
  })).node;

  test('on random props, seeded', () => {
    fc.assert(fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (spec) => {
      const o = new ApiObject(Testing.chart(), 'o', { apiVersion: 'v1', kind: 'Thing', spec });
      expect(outcome(() => renderJson(o))).toBe(outcome(() => reference(o)));
    }), { seed: 20261123, numRuns: 1000 });
  });

  test('leaves a value cdk8s refuses to cdk8s, which reports it', () => {
    const o = new ApiObject(Testing.chart(), 'o', { apiVersion: 'v1', kind: 'Thing', spec: { when: new Date(0) } });
    expect(fastApiObjectJson(o, true)).toBeUndefined();
    expect(() => renderJson(o)).toThrow(/Failed serializing construct at path 'test\/o'.*can't render non-simple object of type 'Date'/);
  });

  test('leaves a producer that throws to cdk8s, which reports it in its words', () => {
    const o = new ApiObject(Testing.chart(), 'o', { apiVersion: 'v1', kind: 'Thing', spec: Lazy.any({ produce: () => { throw new Error('no spec'); } }) });
    expect(fastApiObjectJson(o, true)).toBeUndefined();
    expect(() => renderJson(o)).toThrow("Failed serializing construct at path 'test/o' with name 'test-o-c8d712ba': Error: no spec");
  });

  test('leaves an app with resolvers of its own to cdk8s, which runs them', () => {
    class Upper implements IResolver {
      public resolve(context: ResolutionContext): void {
        if (typeof context.value === 'string' && context.value.startsWith('up:')) context.replaceValue(context.value.slice(3).toUpperCase());
      }
    }
    const app = new App({ resolvers: [new Upper()] });
    const o = new ApiObject(new Chart(app, 'c'), 'o', { apiVersion: 'v1', kind: 'Thing', spec: { a: 'up:x' } });
    expect(fastApiObjectJson(o, true)).toBeUndefined();
    expect(renderJson(o).spec).toEqual({ a: 'X' });
  });

  test('keeps the keys in the order given when CDK8S_DISABLE_SORT is set, as cdk8s does', () => {
    const o = new ApiObject(Testing.chart(), 'o', { apiVersion: 'v1', kind: 'Thing', spec: { b: 1, a: 2 } });
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      expect(Object.keys(renderJson(o).spec)).toEqual(['b', 'a']);
      expect(JSON.stringify(renderJson(o))).toBe(JSON.stringify(reference(o)));
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
    expect(Object.keys(renderJson(o).spec)).toEqual(['a', 'b']);
  });
});
