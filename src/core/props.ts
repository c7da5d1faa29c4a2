import { IConstruct } from 'constructs';
import { closest, distance } from 'fastest-levenshtein';
import { GantryError } from './errors';
import { STRUCT_KEYS } from './struct-keys.generated';

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
  if (props === undefined) return;
  checkStruct(scope, struct, props, '');
}

function checkStruct(scope: IConstruct, struct: string, value: unknown, at: string): void {
  const known = STRUCT_KEYS[struct];
  if (!known) throw new Error(`no struct ${struct} in struct-keys.generated.ts: run scripts/struct-keys.ts`); // a bug, not input
  if (!isPlainObject(value)) {
    throw GantryError.of(scope, at || 'props', value, `is not an object of ${struct}`, `pass an object literal such as { ${firstKey(struct)}: ... }`);
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
      throw GantryError.of(scope, property, v, `is not a property of ${struct}`, fix);
    }
    const nested = known[key];
    if (nested === null || v === undefined || v === null) continue;
    const element = nested.slice(0, -2);
    if (nested.endsWith('[]')) {
      if (!Array.isArray(v)) throw GantryError.of(scope, property, v, `is not an array of ${element}`, `pass a list such as [{ ${firstKey(element)}: ... }]`);
      v.forEach((e, i) => isStructLike(e) && checkStruct(scope, element, e, `${property}[${i}]`));
    } else if (nested.endsWith('{}')) {
      if (!isPlainObject(v)) throw GantryError.of(scope, property, v, `is not a map of ${element}`, `pass an object such as { name: { ${firstKey(element)}: ... } }`);
      Object.entries(v).forEach(([k, e]) => isStructLike(e) && checkStruct(scope, element, e, `${property}.${k}`));
    } else if (isStructLike(v)) {
      checkStruct(scope, nested, v, property);
    }
  }
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
