/**
 * Writes src/core/struct-keys.generated.ts: for every struct (props or options interface) the package exports, its
 * property names and their types, as far as a runtime check can tell them apart. GoMicroservice
 * and the other constructs check a caller's props against it at runtime, so a typo from plain JavaScript (where no
 * compiler sees it) is an error naming the nearest known property instead of an option silently ignored.
 *
 * The list comes from TypeScript's own checker, so inherited properties are included. test/core/props.test.ts fails
 * when the committed file differs from what this computes: run `npx ts-node --swc scripts/struct-keys.ts` after
 * changing a struct.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
export const GENERATED = path.join(ROOT, 'src', 'core', 'struct-keys.generated.ts');

/** Struct name → property name → the property's type (see `describe`), or null. */
export type StructKeys = Record<string, Record<string, string | null>>;

/** The tables: structs, the values of the enums they use, and the members the interfaces they use require. */
export interface Tables {
  structs: StructKeys;
  /** Struct name → the properties it requires. */
  required: Record<string, string[]>;
  enums: Record<string, Record<string, string>>;
  interfaces: Record<string, string[]>;
}

// eslint-disable-next-line no-bitwise -- TypeScript's symbol flags are a bit set
const hasFlag = (flags: number, flag: number): boolean => (flags & flag) !== 0;

/** Computes the tables from src/index.ts's exports. */
export function structKeys(): Tables {
  const index = path.join(ROOT, 'src', 'index.ts');
  const program = ts.createProgram([index], { strict: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, noEmit: true });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
  // jsii's rule: an interface whose name is not I + capital letter is a struct (plain data); one whose name is, is a
  // behavioural interface (a construct or an object with methods).
  const isStructName = (name: string) => !/^I[A-Z]/.test(name);
  const structs = new Map<string, ts.Symbol>();
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = hasFlag(exported.flags, ts.SymbolFlags.Alias) ? checker.getAliasedSymbol(exported) : exported;
    if (hasFlag(symbol.flags, ts.SymbolFlags.Interface) && isStructName(symbol.name)) structs.set(symbol.name, symbol);
  }
  const enums: Record<string, Record<string, string>> = {};
  const interfaces: Record<string, string[]> = {};
  // A property's type as the runtime check reads it: `string`, `number`, `boolean`, a struct's name, `class:<Name>`,
  // `enum:<Name>`, `interface:<Name>`, each optionally followed by `[]` (a list) or `{}` (a map); null for anything else
  // (unions of several types). Structs of other packages met on the way (cdk8s-plus-28's ContainerResources) are added.
  const describe = (type: ts.Type, nested = false): string | null => {
    const t = checker.getNonNullableType(type);
    if (checker.isArrayType(t)) {
      const element = describe(checker.getTypeArguments(t as ts.TypeReference)[0], true);
      return element && !nested ? `${element}[]` : null;
    }
    const symbol = t.getSymbol() ?? t.aliasSymbol;
    if (symbol && hasFlag(symbol.flags, ts.SymbolFlags.Enum)) {
      enums[symbol.name] = Object.fromEntries(symbol.declarations!.flatMap((d) => (d as ts.EnumDeclaration).members)
        .map((m) => [m.name.getText(), String(checker.getConstantValue(m))]));
      return `enum:${symbol.name}`;
    }
    if (hasFlag(t.flags, ts.TypeFlags.StringLike) || (t.isUnion() && t.types.every((u) => hasFlag(u.flags, ts.TypeFlags.StringLiteral)) && !t.aliasSymbol)) return 'string';
    if (hasFlag(t.flags, ts.TypeFlags.NumberLike) && !t.isUnion()) return 'number';
    if (hasFlag(t.flags, ts.TypeFlags.BooleanLike)) return 'boolean';
    const values = checker.getIndexTypeOfType(t, ts.IndexKind.String);
    if (values) {
      const element = describe(values, true);
      return element && !nested ? `${element}{}` : null;
    }
    if (!symbol || t.isUnion()) return null;
    if (structs.has(symbol.name)) return symbol.name;
    if (hasFlag(symbol.flags, ts.SymbolFlags.Class)) return `class:${symbol.name}`;
    if (hasFlag(symbol.flags, ts.SymbolFlags.Interface)) {
      if (isStructName(symbol.name)) {
        structs.set(symbol.name, symbol);
        return symbol.name;
      }
      interfaces[symbol.name] = checker.getPropertiesOfType(t).filter((p) => !hasFlag(p.flags, ts.SymbolFlags.Optional)).map((p) => p.name).sort();
      return `interface:${symbol.name}`;
    }
    return null;
  };
  const table: StructKeys = {};
  const required: Record<string, string[]> = {};
  // Structs found while describing others join the list; the loop ends when no new one turns up.
  for (let done = 0; done < structs.size;) {
    for (const name of [...structs.keys()].filter((n) => !(n in table))) {
      const symbol = structs.get(name)!;
      const declaration = symbol.declarations![0];
      const properties: Record<string, string | null> = {};
      for (const property of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)).sort((a, b) => a.name.localeCompare(b.name))) {
        properties[property.name] = describe(checker.getTypeOfSymbolAtLocation(property, declaration));
      }
      table[name] = properties;
      const needed = checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)).filter((p) => !hasFlag(p.flags, ts.SymbolFlags.Optional));
      if (needed.length > 0) required[name] = needed.map((p) => p.name).sort();
    }
    done = Object.keys(table).length;
  }
  const sorted = <T>(r: Record<string, T>) => Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]]));
  return { structs: sorted(table), required: sorted(required), enums: sorted(enums), interfaces: sorted(interfaces) };
}

/** The generated module's text. */
export function render(tables: Tables): string {
  return [
    '// Generated by scripts/struct-keys.ts from the structs src/index.ts exports; do not edit.',
    '/* eslint-disable */',
    '',
    '/**',
    ' * Struct name → property name → the property\'s type: `string`, `number`, `boolean`, a struct\'s name, `class:<Name>`,',
    ' * `enum:<Name>` or `interface:<Name>`, each optionally followed by `[]` (a list) or `{}` (a map); null for types not',
    ' * checked (unions of several types).',
    ' * @internal',
    ' */',
    'export const STRUCT_KEYS: Record<string, Record<string, string | null>> = {',
    ...Object.entries(tables.structs).map(([name, properties]) => `  ${name}: ${JSON.stringify(properties)},`),
    '};',
    '',
    '/**',
    ' * Struct name → the properties it requires (the others are optional).',
    ' * @internal',
    ' */',
    'export const STRUCT_REQUIRED: Record<string, string[]> = {',
    ...Object.entries(tables.required).map(([name, names]) => `  ${name}: ${JSON.stringify(names)},`),
    '};',
    '',
    '/**',
    ' * Enum name → member name → its value, as a caller from JavaScript writes it.',
    ' * @internal',
    ' */',
    'export const ENUM_VALUES: Record<string, Record<string, string>> = {',
    ...Object.entries(tables.enums).map(([name, values]) => `  ${name}: ${JSON.stringify(values)},`),
    '};',
    '',
    '/**',
    ' * Behavioural interface name → the members an object must have to implement it.',
    ' * @internal',
    ' */',
    'export const INTERFACE_MEMBERS: Record<string, string[]> = {',
    ...Object.entries(tables.interfaces).map(([name, members]) => `  ${name}: ${JSON.stringify(members)},`),
    '};',
    '',
  ].join('\n');
}

if (require.main === module) {
  fs.writeFileSync(GENERATED, render(structKeys()));
  console.log(`wrote ${path.relative(ROOT, GENERATED)}`);
}
