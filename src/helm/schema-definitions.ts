// values.schema.json with its repeated parts written once, under `definitions`, and referred to with `$ref`.
//
// Helm validates the values against values.schema.json on every install, upgrade, lint and template, and its
// validator compiles the whole schema each time, every `pattern` a regular expression of its own. The services of a
// chart declare the same schemas (image, resources, quantities, autoscaling, ...): for 1,000 services the schema was
// 9.6 MB, the same few parts a thousand times, and validating it was about a third of `helm template`'s time.
//
// JSON Schema tools dedupe schemas only by `$id` or by hand; none finds repeated subschemas, so this is written here.

/** Subschemas written this long or longer (as JSON) are shared when they occur more than once. */
const MIN_SHARED_LENGTH = 80;

/** The keywords whose value is one subschema, and those whose value is a list of them. */
const SUBSCHEMA = ['additionalProperties', 'items', 'not'];
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf'];

interface Node {
  readonly schema: any;
  /** The property name it is the schema of, or the keyword it is under: the name its definition gets. */
  readonly name: string;
  /** The name with its parent's, should another definition have the name already: `autoscaling-enabled`. */
  readonly qualified: string;
  /** Whether it is the schema of a top-level value (a service's): those stay in place, where a reader looks. */
  readonly topLevel: boolean;
  /** The id of its content: equal ids, equal schemas. */
  readonly key: string;
}

/**
 * `schema` (a draft-07 schema, as the export builds it: `properties`, `additionalProperties`, `items`, `anyOf`, ...) with
 * every subschema that occurs more than once and is not trivial moved to `definitions`, in the order first met. The
 * result accepts and refuses exactly the same values, with the same messages: validators report the value's path,
 * which references do not change.
 */
export function shareDefinitions(schema: any): any {
  // Pass 1: every subschema gets the id of its content, bottom-up (equal ids, equal schemas), and a count.
  const ids = new Map<string, string>();
  const counts = new Map<string, number>();
  const nodes = new Map<any, Node>();
  const visit = (s: any, name: string, parent?: Node): string => {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) return JSON.stringify(s);
    let node = nodes.get(s);
    if (node === undefined) {
      const self = { name, qualified: parent && parent.schema !== schema ? `${parent.name}-${name}` : name, topLevel: parent?.schema === schema };
      const text = textOf(s, (child, childName) => visit(child, childName, { ...self, schema: s, key: '' }));
      let id = ids.get(text);
      if (id === undefined) {
        id = `#${ids.size}`;
        ids.set(text, id);
      }
      node = { ...self, schema: s, key: id };
      nodes.set(s, node);
    }
    counts.set(node.key, (counts.get(node.key) ?? 0) + 1);
    return node.key;
  };
  visit(schema, 'root');

  // Pass 2: the shared ones get a name (the property they first describe), then the schema is rebuilt with references.
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const definitions: Record<string, any> = {};
  const long = new Map<string, boolean>();
  const shared = (node: Node) => {
    if (node.schema === schema || node.topLevel || counts.get(node.key)! < 2) return false;
    if (!long.has(node.key)) long.set(node.key, JSON.stringify(node.schema).length >= MIN_SHARED_LENGTH);
    return long.get(node.key)!;
  };
  const rebuild = (s: any): any => {
    const node = nodes.get(s);
    if (node === undefined) return s;
    if (!shared(node)) return mapChildren(s, rebuild);
    let name = names.get(node.key);
    if (name === undefined) {
      name = uniqueName(node, taken);
      names.set(node.key, name);
      definitions[name] = mapChildren(s, rebuild);
    }
    return { $ref: `#/definitions/${name}` };
  };
  const root = mapChildren(schema, rebuild);
  return Object.keys(definitions).length === 0 ? root : { ...root, definitions };
}

/** The JSON of `s` with each subschema written as the id `child(subschema)` gives it. */
function textOf(s: any, child: (sub: any, name: string) => string): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(s)) {
    let text: string;
    if (k === 'properties' && isMap(v)) {
      text = `{${Object.entries(v).map(([p, sub]) => `${JSON.stringify(p)}:${child(sub, p)}`).join(',')}}`;
    } else if (SUBSCHEMA.includes(k) && isMap(v)) {
      text = child(v, k);
    } else if (SUBSCHEMA_LISTS.includes(k) && Array.isArray(v)) {
      text = `[${v.map((sub, i) => child(sub, `${k}${i}`)).join(',')}]`;
    } else {
      text = JSON.stringify(v);
    }
    parts.push(`${JSON.stringify(k)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/** A copy of `s` with `f` applied to each subschema. */
function mapChildren(s: any, f: (sub: any) => any): any {
  const out: any = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'properties' && isMap(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([p, sub]) => [p, f(sub)]));
    } else if (SUBSCHEMA.includes(k) && isMap(v)) {
      out[k] = f(v);
    } else if (SUBSCHEMA_LISTS.includes(k) && Array.isArray(v)) {
      out[k] = v.map(f);
    } else {
      out[k] = v;
    }
  }
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The node's name as a definition name (letters, digits, '-' and '_'); if taken, the qualified one; then `-2`, ... */
function uniqueName(node: Node, taken: Set<string>): string {
  const clean = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '-') || 'schema';
  let candidate = clean(node.name);
  if (taken.has(candidate)) candidate = clean(node.qualified);
  const base = candidate;
  for (let i = 2; taken.has(candidate); i++) candidate = `${base}-${i}`;
  taken.add(candidate);
  return candidate;
}
