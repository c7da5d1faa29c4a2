import { ApiObject, App, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';

// The JSON of an ApiObject, as cdk8s's `ApiObject.toJson()` computes it, at a fraction of its cost in time and garbage.
//
// cdk8s resolves every value of an object through the app's resolvers (a context object and a copy of the key path per
// value), then copies the result once more to drop empty values and sort keys: about 90 KB of garbage per object, most
// of the time of a large synthesis, and the garbage collector's work on top. With the three resolvers every cdk8s app
// has and nothing else, resolving a value is known: a Lazy is produced, an object with a `resolve()` method is resolved,
// an IntOrString or Quantity becomes `{ value }`, everything else stays. This does that and the sanitizing in one pass.
// Whatever it is not sure of (an app with resolvers of its own, a value cdk8s would refuse, a producer that throws) it
// leaves to cdk8s, so results and errors stay cdk8s's own. test/core/render.test.ts compares both on every object of
// the example app and on random values.

/** Left to cdk8s: a value this renderer does not handle. */
class LeftToCdk8s extends Error {}

const DEFAULT_RESOLVERS_ONLY = new WeakMap<App, boolean>();

function hasDefaultResolversOnly(app: App): boolean {
  let known = DEFAULT_RESOLVERS_ONLY.get(app);
  if (known === undefined) {
    const r = app.resolvers;
    known = r.length === 3 && r[0] instanceof LazyResolver && r[1] instanceof ImplicitTokenResolver && r[2] instanceof NumberStringUnionResolver;
    DEFAULT_RESOLVERS_ONLY.set(app, known);
  }
  return known;
}

/** Primitives pass the resolvers untouched, unless someone gave strings or numbers a `resolve` method. */
function primitivesAreInert(): boolean {
  const protos = [String.prototype, Number.prototype, Boolean.prototype] as any[];
  return protos.every((p) => typeof p.resolve !== 'function');
}

/**
 * `ApiObject.prototype.toJson` of `o`, without the object's JSON patches when `withPatches` is false; undefined where
 * cdk8s must compute it.
 */
export function fastApiObjectJson(o: ApiObject, withPatches: boolean): any {
  const props = (o as unknown as { props?: unknown }).props;
  if (props === null || typeof props !== 'object' || !hasDefaultResolversOnly(App.of(o)) || !primitivesAreInert()) return undefined;
  let json: any;
  try {
    const data = { ...props, metadata: o.metadata.toJson() };
    json = walk(data, !process.env.CDK8S_DISABLE_SORT);
  } catch (e) {
    // Also a producer's own error: cdk8s computes the object again and reports it in its words.
    return undefined;
  }
  const patches = (o as unknown as { patches?: JsonPatch[] }).patches;
  if (withPatches && patches !== undefined && patches.length > 0) {
    try {
      json = JsonPatch.apply(json, ...patches);
    } catch {
      return undefined;
    }
  }
  // cdk8s's order: apiVersion, kind and metadata first.
  const result: any = {};
  for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(json)]) if (k in json) result[k] = json[k];
  return result;
}

/** cdk8s's `resolve` with the default resolvers, then `sanitizeValue`; undefined for a value sanitizing drops. */
function walk(v: any, sortKeys: boolean): any {
  if (v === null || v === undefined) return undefined;
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      return v;
    case 'object':
      break;
    default:
      throw new LeftToCdk8s();
  }
  if (v instanceof Lazy) return walk(v.produce(), sortKeys);
  if (typeof v.resolve === 'function') return walk(v.resolve(), sortKeys);
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = walk(v[i], sortKeys);
    return out;
  }
  if (v.constructor === Object) {
    // Resolved in the order given (as cdk8s does, should a producer care), written in sorted order.
    const keys = Object.keys(v);
    const values = new Array(keys.length);
    let sorted = true;
    for (let i = 0; i < keys.length; i++) {
      values[i] = walk(v[keys[i]], sortKeys);
      if (i > 0 && keys[i - 1] > keys[i]) sorted = false;
    }
    const out: any = {};
    if (sorted || !sortKeys) {
      for (let i = 0; i < keys.length; i++) if (values[i] !== undefined && values[i] !== null) out[keys[i]] = values[i];
    } else {
      const order = keys.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
      for (const i of order) if (values[i] !== undefined && values[i] !== null) out[keys[i]] = values[i];
    }
    return out;
  }
  // An IntOrString, a Quantity: NumberStringUnionResolver's `{ value }`.
  const inner = v.value;
  if (typeof inner === 'number' || typeof inner === 'string') return { value: inner };
  throw new LeftToCdk8s();
}

/** `o.toJson()`, computed without cdk8s's resolver machinery where the result is the same. */
export function renderJson(o: ApiObject): any {
  if (Object.getPrototypeOf(o) === ApiObject.prototype) {
    const fast = fastApiObjectJson(o, true);
    if (fast !== undefined) return fast;
  }
  return o.toJson();
}
