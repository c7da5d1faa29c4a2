import { IConstruct } from 'constructs';
import { closest, distance } from 'fastest-levenshtein';
import { GantryError } from './errors';
import { ENUM_VALUES, INTERFACE_MEMBERS, STRUCT_KEYS, STRUCT_REQUIRED } from './struct-keys.generated';

// Props from plain JavaScript (or from a TypeScript variable, which escapes the compiler's excess-property check)
// reach the constructs unchecked: a misspelt option would be silently ignored and its default used. Every construct
// therefore checks its props against the structs the package exports (src/core/struct-keys.generated.ts, generated
// from the TypeScript declarations) and names the nearest known property.

/**
 * Checks that `props` is an object whose keys, and those of the structs nested in it, are properties of `struct`.
 * @param scope the construct the props were given to
 * @param struct the exported struct name, such as `GoMicroserviceProps`
 * @param props the props as received
 */
export function checkProps(scope: IConstruct, struct: string, props: unknown): void {
  // No props at all is an empty object: fine unless the struct requires some.
  if (props === undefined) props = {};
  // Every problem of the props is found before any is reported: a caller fixes them all in one go.
  const problems: GantryError[] = [];
  checkStruct(problems, scope, struct, props, '');
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) {
    throw new GantryError(`${problems.length} errors in the props of ${scope.node.path}:\n  ${problems.map((p) => p.message).join('\n  ')}`,
      scope.node.path, problems[0].property);
  }
}

type Problems = GantryError[];

function checkStruct(problems: Problems, scope: IConstruct, struct: string, value: unknown, at: string): void {
  const known = STRUCT_KEYS[struct];
  if (!known) throw new Error(`no struct ${struct} in struct-keys.generated.ts: run scripts/struct-keys.ts`); // a bug, not input
  if (!isPlainObject(value)) {
    problems.push(GantryError.of(scope, at || 'props', value, `is ${kindOf(value)}, not an object of ${struct}`,
      `pass an object literal such as { ${firstKey(struct)}: ... }`));
    return;
  }
  // A required property written with a typo is reported once, as the typo (with 'did you mean').
  const unknown = Object.keys(value).filter((k) => !Object.prototype.hasOwnProperty.call(known, k)).map((k) => k.toLowerCase());
  const misspelt = (key: string) => unknown.some((k) => distance(k, key.toLowerCase()) <= Math.max(2, Math.floor(k.length / 3)));
  for (const key of STRUCT_REQUIRED[struct] ?? []) {
    if (value[key] === undefined && !misspelt(key)) {
      const type = known[key];
      problems.push(GantryError.of(scope, at ? `${at}.${key}` : key, undefined, `is missing; ${struct} requires it`, `pass ${missingExample(key, type)}`));
    }
  }
  for (const [key, v] of Object.entries(value)) {
    const property = at ? `${at}.${key}` : key;
    if (!Object.prototype.hasOwnProperty.call(known, key)) {
      const names = Object.keys(known);
      // Case is ignored when looking for the nearest name: `HTTPPort` means `httpPort`.
      const lower = names.map((n) => n.toLowerCase());
      const match = lower.length ? closest(key.toLowerCase(), lower) : undefined;
      const nearest = match === undefined ? undefined : names[lower.indexOf(match)];
      const fix = nearest && distance(key.toLowerCase(), match!) <= Math.max(2, Math.floor(key.length / 3))
        ? `did you mean '${nearest}'?`
        : `remove it; ${struct} has ${names.map((n) => `'${n}'`).join(', ')}`;
      problems.push(GantryError.of(scope, property, v, `is not a property of ${struct}`, fix));
      continue;
    }
    const type = known[key];
    if (type === null || v === undefined) continue;
    if (v === null) {
      problems.push(GantryError.of(scope, property, v, 'is null', 'leave it out (or pass undefined) to use the default'));
      continue;
    }
    if (type.endsWith('[]')) {
      const element = type.slice(0, -2);
      if (!Array.isArray(v)) {
        const fix = typeof v === 'string' || typeof v === 'number' ? `wrap it in a list: [${literal(v)}]` : `pass a list of ${plural(element)}`;
        problems.push(GantryError.of(scope, property, v, `is ${kindOf(v)}, not a list of ${plural(element)}`, fix));
        continue;
      }
      v.forEach((e, i) => checkValue(problems, scope, element, e, `${property}[${i}]`));
    } else if (type.endsWith('{}')) {
      const element = type.slice(0, -2);
      if (!isPlainObject(v)) {
        problems.push(GantryError.of(scope, property, v, `is ${kindOf(v)}, not a map of ${plural(element)}`, `pass an object such as { key: ${example(element)} }`));
        continue;
      }
      Object.entries(v).forEach(([k, e]) => checkValue(problems, scope, element, e, `${property}.${k}`));
    } else {
      checkValue(problems, scope, type, v, property);
    }
  }
}

/** Checks one value against a type without a list or map suffix. */
function checkValue(problems: Problems, scope: IConstruct, type: string, v: unknown, property: string): void {
  if (type === 'string' || type === 'number' || type === 'boolean') {
    if (typeof v === type) return;
    const fix = type === 'number' && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? `write it without quotes: ${Number(v)}`
      : type === 'string' && (typeof v === 'number' || typeof v === 'boolean') ? `quote it: '${v}'`
        : type === 'boolean' ? 'use true or false' : `pass ${article(type)}`;
    problems.push(GantryError.of(scope, property, v, `is ${kindOf(v)}, not ${article(type)}`, fix));
    return;
  }
  if (type.startsWith('class:')) {
    const name = type.slice('class:'.length);
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !isPlainObject(v)) return; // an instance: its class checks it
    problems.push(GantryError.of(scope, property, v, `is ${kindOf(v)}, not ${article(name)} object`, `create one with ${example(type)}`));
    return;
  }
  if (type.startsWith('enum:')) {
    const name = type.slice('enum:'.length);
    const members = Object.entries(ENUM_VALUES[name]);
    if (members.some(([, value]) => value === v)) return;
    const shown = members.map(([, value]) => `'${value}'`).join(', ');
    // The nearest value, or the member whose name was written instead of its value ('CRITICAL' for 'critical').
    const near = typeof v === 'string' ? members.find(([m, value]) => value.toLowerCase() === v.toLowerCase() || m === v)
      ?? members.find(([, value]) => value === closest(v, members.map(([, x]) => x))) : undefined;
    const fix = near !== undefined && distance(String(v).toLowerCase(), near[1].toLowerCase()) <= Math.max(1, Math.floor(near[1].length / 3))
      || near !== undefined && near[0] === v
      ? `did you mean '${near[1]}' (${name}.${near[0]})?` : `use one of ${members.map(([m]) => `${name}.${m}`).join(', ')}`;
    problems.push(GantryError.of(scope, property, v, `is not ${article(name)} value (${shown})`, fix));
    return;
  }
  if (type.startsWith('interface:')) {
    const name = type.slice('interface:'.length);
    const missing = v !== null && typeof v === 'object' && !Array.isArray(v)
      ? INTERFACE_MEMBERS[name].filter((m) => !(m in (v as object))) : undefined;
    if (missing?.length === 0) return;
    const lacks = missing === undefined ? `is ${kindOf(v)}` : `lacks ${missing.slice(0, 3).map((m) => `'${m}'`).join(', ')}${missing.length > 3 ? ', ...' : ''}`;
    problems.push(GantryError.of(scope, property, v, `is not ${article(name)} (it ${lacks})`,
      `pass the construct itself${INTERFACE_EXAMPLES[name] ? `, such as ${INTERFACE_EXAMPLES[name]}` : ''}`));
    return;
  }
  if (isStructLike(v)) checkStruct(problems, scope, type, v, property);
}

// Values to show for required properties that are missing, by name; others get one by type.
const PROPERTY_EXAMPLES: Record<string, string> = {
  image: '\'ghcr.io/acme/orders:1.4.2\'',
  greenImage: '\'ghcr.io/acme/orders:1.5.0\'',
  namespace: '\'shop\'',
  repoURL: '\'https://github.com/acme/deploy.git\'',
  sourceRepos: '[\'https://github.com/acme/deploy.git\']',
  secretName: '\'orders-db\'',
  key: '\'password\'',
  objective: '99.9',
  maxReplicas: '10',
  name: '\'orders\'',
};

function missingExample(key: string, type: string | null | undefined): string {
  if (PROPERTY_EXAMPLES[key]) return PROPERTY_EXAMPLES[key];
  if (!type) return 'a value';
  if (type.endsWith('[]')) return `a list of ${plural(type.slice(0, -2))}`;
  if (type.endsWith('{}')) return `a map of ${plural(type.slice(0, -2))}`;
  return ['string', 'number', 'boolean'].includes(type) ? article(type) : example(type);
}

const INTERFACE_EXAMPLES: Record<string, string> = {
  IGoMicroservice: 'a GoMicroservice',
  IMonitorable: 'a GoMicroservice',
  IScalableWorkload: 'a GoMicroservice',
};

// Ready-made examples for the classes users meet most; the others get a pointer to their constructor or factories.
const CLASS_EXAMPLES: Record<string, string> = {
  Duration: 'Duration.seconds(30)',
  Size: 'Size.mebibytes(256)',
  IntOrPercent: 'IntOrPercent.count(1)',
  ArgoCluster: 'ArgoCluster.inCluster()',
};

function example(type: string): string {
  if (type.startsWith('interface:')) return INTERFACE_EXAMPLES[type.slice('interface:'.length)] ?? `an object that implements ${type.slice('interface:'.length)}`;
  if (type.startsWith('enum:')) {
    const name = type.slice('enum:'.length);
    return `${name}.${Object.keys(ENUM_VALUES[name])[0]}`;
  }
  if (type.startsWith('class:')) {
    const name = type.slice('class:'.length);
    return CLASS_EXAMPLES[name] ?? `new ${name}(...) or one of ${name}'s static methods`;
  }
  if (type === 'string') return '\'value\'';
  if (type === 'number') return '1';
  if (type === 'boolean') return 'true';
  return `{ ${firstKey(type)}: ... }`;
}

function plural(type: string): string {
  if (type.startsWith('class:')) return `${type.slice('class:'.length)} objects`;
  return ['string', 'number', 'boolean'].includes(type) ? `${type}s` : `${type} objects`;
}

function article(word: string): string {
  return `${/^[AEIOUaeiou]/.test(word) ? 'an' : 'a'} ${word}`;
}

function literal(v: string | number): string {
  return typeof v === 'string' ? `'${v}'` : `${v}`;
}

/** What a value is, in words: 'a string', 'a list', 'an object', ... */
function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (isPlainObject(v)) return 'an object';
  if (typeof v === 'object') return `${article((v as object).constructor?.name ?? 'object')}`;
  return article(typeof v);
}

/**
 * Whether a value given for a struct is checked as one: anything but a class instance, which TypeScript lets implement
 * a struct's interface and which carries its own (checked) fields.
 */
function isStructLike(value: unknown): boolean {
  return isPlainObject(value) || value === null || typeof value !== 'object' || Array.isArray(value);
}

function firstKey(struct: string): string {
  return Object.keys(STRUCT_KEYS[struct] ?? {})[0] ?? 'name';
}

/** An object literal (or `Object.create(null)`), not an array, class instance or primitive. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
