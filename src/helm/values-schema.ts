import { ValueDeclaration } from './registry';

// values.schema.json: every declared value typed, none unknown, and the repeated parts written once.
//
// Helm validates the values against values.schema.json on every install, upgrade, lint and template, and its
// validator compiles the whole schema each time, every `pattern` a regular expression of its own. The services of a
// chart declare the same schemas (image, resources, quantities, autoscaling, ...): for 1,000 services the schema was
// 9.6 MB, the same few parts a thousand times, and validating it about a tenth of `helm template`'s time. A part that
// occurs more than once goes under `definitions` and is referred to with `$ref`. JSON Schema tools dedupe schemas only
// by `$id` or by hand; none finds repeated subschemas, so this is written here.

/** Parts this long or longer (as JSON) are shared when they occur more than once: shorter ones are clearer in place. */
const MIN_SHARED_LENGTH = 80;

/** An object of values the schema is built with (a service's `autoscaling`, say), before sharing. */
interface Group {
  readonly schema: any;
  readonly name: string;
  readonly parent?: Group;
  readonly depth: number;
}

/**
 * The draft-07 schema of the declared values. A declared value's schema, or a group of values (an object of them),
 * that occurs more than once is written once under `definitions`, named after the key it first describes (with its
 * parent's key when that name is taken: `monitoring-enabled`). A service's own object stays in place, where a reader
 * looks for its keys. References change no value's validity, nor the messages, which name the value's path.
 */
export function buildValuesSchema(declarations: ValueDeclaration[]): any {
  const root: any = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: false, required: [], properties: {} };
  const rootGroup: Group = { schema: root, name: '', depth: 0 };
  const groups: Group[] = [];
  const groupOf = new Map<any, Group>([[root, rootGroup]]);
  const leaves: { group: Group; key: string; text: string }[] = [];
  const counts = new Map<string, number>();
  const count = (text: string) => counts.set(text, (counts.get(text) ?? 0) + 1);
  for (const d of declarations) {
    let group = rootGroup;
    for (const key of d.path.slice(0, -1)) {
      let schema = group.schema.properties[key];
      if (schema === undefined) {
        schema = { type: 'object', additionalProperties: false, required: [], properties: {} };
        group.schema.properties[key] = schema;
        group.schema.required.push(key);
        const created = { schema, name: key, parent: group, depth: group.depth + 1 };
        groups.push(created);
        groupOf.set(schema, created);
      }
      group = groupOf.get(schema)!;
    }
    const key = d.path[d.path.length - 1];
    group.schema.properties[key] = d.schema;
    group.schema.required.push(key);
    // The text of a declared schema, by the native serializer: the export declares tens of thousands of them.
    const text = JSON.stringify(d.schema);
    leaves.push({ group, key, text });
    count(text);
  }
  // Helm gives a subchart the parent's whole `global`, with keys of other charts: it must accept any, and need none.
  if (root.properties.global) {
    root.properties.global.additionalProperties = true;
    root.properties.global.required = [];
    root.required = root.required.filter((k: string) => k !== 'global');
  }

  const definitions: Record<string, any> = {};
  const names = new Map<string, string>();
  const share = (text: string, schema: any, name: string, qualified: string): any => {
    if (counts.get(text)! < 2 || text.length < MIN_SHARED_LENGTH) return schema;
    let defined = names.get(text);
    if (defined === undefined) {
      defined = uniqueName(name, qualified, definitions);
      names.set(text, defined);
      definitions[defined] = schema;
    }
    return { $ref: `#/definitions/${defined}` };
  };
  const qualifiedName = (g: Group, key: string) => (g.depth > 1 ? `${g.name}-${key}` : key);
  for (const { group, key, text } of leaves) {
    group.schema.properties[key] = share(text, group.schema.properties[key], key, qualifiedName(group, key));
  }
  // Then the groups, deepest first (a group's text has its shared parts as references by then), except a service's own.
  const nested = groups.filter((g) => g.depth > 1).sort((a, b) => b.depth - a.depth);
  const texts = new Map(nested.map((g) => [g, JSON.stringify(g.schema)]));
  for (const text of texts.values()) count(text);
  for (const g of nested) {
    g.parent!.schema.properties[g.name] = share(texts.get(g)!, g.schema, g.name, qualifiedName(g.parent!, g.name));
  }
  return Object.keys(definitions).length === 0 ? root : { ...root, definitions };
}

/** The schema `$ref` refers to in `root`, or `schema` itself. */
export function dereference(root: any, schema: any): any {
  const ref = schema?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/definitions/')) return schema;
  return root.definitions[ref.slice('#/definitions/'.length)];
}

/** A definition name (letters, digits, '-' and '_') not taken yet: `name`, else `qualified`, else with `-2`, `-3`, ... */
function uniqueName(name: string, qualified: string, taken: Record<string, unknown>): string {
  const clean = (n: string) => n.replace(/[^A-Za-z0-9_-]/g, '-') || 'schema';
  let candidate = clean(name);
  if (candidate in taken) candidate = clean(qualified);
  const base = candidate;
  for (let i = 2; candidate in taken; i++) candidate = `${base}-${i}`;
  return candidate;
}
