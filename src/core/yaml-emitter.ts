// A block-style YAML writer for manifests, byte-for-byte the output of js-yaml's `dump` with the options Gantry uses
// (indent 2, no line width, no references, unsorted keys, single quotes), about twice as fast.
//
// Why not js-yaml itself: serializing is the largest single cost of a big synthesis (a third of it for 1,000 monitored
// services), and most of js-yaml's time goes into work manifests do not need: finding a type for every value, and
// choosing the style of the same keys and label values again in every object. No maintained YAML library offers a
// faster writer for plain JSON data, so this one is written here, as a port of js-yaml 4's dumper (MIT, `dumper.js`:
// `writeNode`, `writeBlockMapping`, `writeBlockSequence`, `writeScalar`, `chooseScalarStyle`) restricted to what
// `toJson()` returns: plain objects, arrays, strings, numbers, booleans and null. It remembers the style of short strings.
// Anything else (a Date, a Buffer, a key over 1,024 characters, a string that needs escapes) goes to js-yaml, which
// stays the reference: test/core/yaml.test.ts compares the two on random documents and on every example manifest.

import * as jsyaml from 'js-yaml';

/** The options of every `dump`: js-yaml's default indent of 2, no folding, no anchors, keys in insertion order. */
export const DUMP_OPTIONS = { noRefs: true, lineWidth: -1, sortKeys: false } as const;

interface ScalarType {
  predicate: ((value: unknown) => boolean) | null;
  instanceOf: unknown;
  represent: ((value: unknown, style?: string) => string) | Record<string, (value: unknown, style?: string) => string> | null;
  defaultStyle: string | null;
  resolve: (text: string) => boolean;
}

/** Returned by the writer for a value it leaves to js-yaml. */
class NotPlainData extends Error {}

const STYLE_PLAIN = 1;
const STYLE_SINGLE = 2;
const STYLE_LITERAL = 3;
const STYLE_DOUBLE = 5;
/** In single quotes without escaping (js-yaml's compatibility quoting). */
const STYLE_QUOTED_AS_IS = 6;

const DEPRECATED_BOOLEANS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const DEPRECATED_BASE60 = /^[-+]?[0-9_]+(?::[0-9_]+)+(?:\.[0-9_]*)?$/;

/** Strings up to this length have their style remembered: keys, names, label values, short expressions. */
const REMEMBERED_LENGTH = 64;
const REMEMBERED_MAX = 50_000;

/** Printable ASCII and line feeds only (tab and DEL are not printable here, as in js-yaml). */
const PRINTABLE_ASCII_LINES = /^[\x20-\x7e\n]*$/;

/**
 * Writes documents as js-yaml would with `schema` and {@link DUMP_OPTIONS}.
 */
export class YamlEmitter {
  private readonly implicit: ScalarType[];
  private readonly keyStyles = new Map<string, number>();
  private readonly valueStyles = new Map<string, number>();
  private readonly indents: string[] = [''];
  /** How many documents were handed to js-yaml (for tests: plain manifests never are). */
  public handedOver = 0;

  constructor(private readonly schema: jsyaml.Schema) {
    this.implicit = (schema as unknown as { compiledImplicit: ScalarType[] }).compiledImplicit;
  }

  /** `jsyaml.dump(doc, { ...DUMP_OPTIONS, schema })`. */
  public dump(doc: unknown): string {
    try {
      const text = this.node(doc, 0, true, false);
      return text === undefined ? '' : text + '\n';
    } catch (e) {
      if (!(e instanceof NotPlainData)) throw e;
      this.handedOver++;
      return jsyaml.dump(doc, { ...DUMP_OPTIONS, schema: this.schema });
    }
  }

  private indent(level: number): string {
    let s = this.indents[level];
    if (s === undefined) s = this.indents[level] = ' '.repeat(2 * level);
    return s;
  }

  /**
   * js-yaml's writeNode: the text of a value, or undefined for a value that is left out (undefined). Everything is in
   * block context (no flow level), so js-yaml's `block` and `inblock` are always true here.
   */
  private node(value: unknown, level: number, compact: boolean, isKey: boolean): string | undefined {
    switch (typeof value) {
      case 'string':
        return this.scalar(value, level, isKey);
      case 'undefined':
        return undefined;
      case 'number':
      case 'boolean':
        return this.represent(value);
      case 'object':
        if (value === null) return this.represent(value);
        if (Array.isArray(value)) {
          return value.length > 0 ? this.sequence(value, level, compact) : this.flow(value);
        }
        if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) throw new NotPlainData();
        return Object.keys(value).length > 0 ? this.mapping(value as Record<string, unknown>, level, compact) : this.flow(value);
      default:
        throw new NotPlainData();
    }
  }

  /** null, booleans and numbers, by the schema's own implicit types (as js-yaml's detectType). */
  private represent(value: unknown): string {
    for (const type of this.implicit) {
      if (!type.instanceOf && type.predicate && type.predicate(value) && type.represent) {
        const style = type.defaultStyle ?? undefined;
        return typeof type.represent === 'function' ? type.represent(value, style) : type.represent[style!](value, style);
      }
    }
    throw new NotPlainData();
  }

  /** Only empty collections are written in flow style here (`{}`, `[]`). */
  private flow(value: object): string {
    if (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0) return Array.isArray(value) ? '[]' : '{}';
    throw new NotPlainData();
  }

  private mapping(object: Record<string, unknown>, level: number, compact: boolean): string {
    let result = '';
    for (const key of Object.keys(object)) {
      const value = this.node(object[key], level + 1, false, false);
      if (value === undefined) continue;
      const keyText = this.scalar(key, level + 1, true);
      if (keyText.length > 1024) throw new NotPlainData(); // js-yaml writes an explicit `? ` key
      if (!compact || result !== '') result += '\n' + this.indent(level);
      result += keyText + (value.charCodeAt(0) === 0x0a ? ':' : ': ') + value;
    }
    return result || '{}';
  }

  private sequence(array: unknown[], level: number, compact: boolean): string {
    let result = '';
    for (const item of array) {
      const value = this.node(item, level + 1, true, false) ?? this.represent(null);
      if (!compact || result !== '') result += '\n' + this.indent(level);
      result += (value.charCodeAt(0) === 0x0a ? '-' : '- ') + value;
    }
    return result || '[]';
  }

  /** js-yaml's writeScalar for a non-empty string, with the style of short strings remembered. */
  private scalar(s: string, level: number, isKey: boolean): string {
    if (s.length === 0) return "''";
    let style: number | undefined;
    const remembered = s.length <= REMEMBERED_LENGTH;
    const styles = isKey ? this.keyStyles : this.valueStyles;
    if (remembered) style = styles.get(s);
    if (style === undefined) {
      // js-yaml quotes YAML 1.1's boolean words and sexagesimal numbers before it looks at anything else.
      style = DEPRECATED_BOOLEANS.has(s) || DEPRECATED_BASE60.test(s) ? STYLE_QUOTED_AS_IS : this.chooseStyle(s, isKey);
      if (remembered) {
        if (styles.size >= REMEMBERED_MAX) styles.clear();
        styles.set(s, style);
      }
    }
    switch (style) {
      case STYLE_PLAIN:
        return s;
      case STYLE_QUOTED_AS_IS:
        return "'" + s + "'";
      case STYLE_SINGLE:
        return "'" + s.replace(/'/g, "''") + "'";
      case STYLE_LITERAL:
        return '|' + blockHeader(s) + dropEndingNewline(indentString(s, this.indent(Math.max(1, level))));
      default:
        // Escaped double quotes are rare in manifests (control characters); js-yaml writes them.
        throw new NotPlainData();
    }
  }

  /** js-yaml's chooseScalarStyle with lineWidth -1, single quotes and no forced quotes. */
  private chooseStyle(s: string, singleLineOnly: boolean): number {
    // The long strings of manifests (dashboards, config files, scripts) are mostly printable ASCII over several lines,
    // which the loop below makes a literal block: found with one native scan instead of a check of each character.
    if (!singleLineOnly && s.length > REMEMBERED_LENGTH && s.includes('\n') && PRINTABLE_ASCII_LINES.test(s)) return STYLE_LITERAL;
    let char = 0;
    let prev = -1;
    let hasLineBreak = false;
    let plain = isPlainSafeFirst(codePointAt(s, 0)) && isPlainSafeLast(codePointAt(s, s.length - 1));
    for (let i = 0; i < s.length; char >= 0x10000 ? i += 2 : i++) {
      char = codePointAt(s, i);
      if (char === 0x0a && !singleLineOnly) {
        hasLineBreak = true;
      } else if (!isPrintable(char)) {
        return STYLE_DOUBLE;
      }
      plain = plain && isPlainSafe(char, prev);
      prev = char;
    }
    if (!hasLineBreak) return plain && !this.ambiguous(s) ? STYLE_PLAIN : STYLE_SINGLE;
    return STYLE_LITERAL;
  }

  /** Whether a reader would take the plain string for another type (`true`, `1_000`, `null`, ...). */
  private ambiguous(s: string): boolean {
    for (const type of this.implicit) if (type.resolve(s)) return true;
    return false;
  }
}

function codePointAt(s: string, pos: number): number {
  const first = s.charCodeAt(pos);
  if (first >= 0xd800 && first <= 0xdbff && pos + 1 < s.length) {
    const second = s.charCodeAt(pos + 1);
    if (second >= 0xdc00 && second <= 0xdfff) return (first - 0xd800) * 0x400 + second - 0xdc00 + 0x10000;
  }
  return first;
}

function isPrintable(c: number): boolean {
  return (c >= 0x20 && c <= 0x7e)
    || (c >= 0xa1 && c <= 0xd7ff && c !== 0x2028 && c !== 0x2029)
    || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff)
    || (c >= 0x10000 && c <= 0x10ffff);
}

const isWhitespace = (c: number) => c === 0x20 || c === 0x09;

function isNsCharOrWhitespace(c: number): boolean {
  return isPrintable(c) && c !== 0xfeff && c !== 0x0d && c !== 0x0a;
}

/** js-yaml's isPlainSafe in block context, where flow indicators (`, [ ] { }`) are plain characters. */
function isPlainSafe(c: number, prev: number): boolean {
  const nsOrWhite = isNsCharOrWhitespace(c);
  const ns = nsOrWhite && !isWhitespace(c);
  return (nsOrWhite && c !== 0x23 && !(prev === 0x3a && !ns))
    || (isNsCharOrWhitespace(prev) && !isWhitespace(prev) && c === 0x23)
    || (prev === 0x3a && ns);
}

/** `- ? : , [ ] { } # & * ! | = > ' " % @` and a backquote. */
const INDICATORS = new Set([...'-?:,[]{}#&*!|=>\'"%@`'].map((ch) => ch.charCodeAt(0)));

function isPlainSafeFirst(c: number): boolean {
  return isPrintable(c) && c !== 0xfeff && !isWhitespace(c) && !INDICATORS.has(c);
}

function isPlainSafeLast(c: number): boolean {
  return !isWhitespace(c) && c !== 0x3a;
}

function blockHeader(s: string): string {
  const indicator = /^\n* /.test(s) ? '2' : '';
  const clip = s[s.length - 1] === '\n';
  const keep = clip && (s[s.length - 2] === '\n' || s === '\n');
  return indicator + (keep ? '+' : clip ? '' : '-') + '\n';
}

function dropEndingNewline(s: string): string {
  return s[s.length - 1] === '\n' ? s.slice(0, -1) : s;
}

/** Indents every line; empty lines stay empty. */
function indentString(s: string, ind: string): string {
  let result = '';
  let position = 0;
  while (position < s.length) {
    const next = s.indexOf('\n', position);
    const line = next === -1 ? s.slice(position) : s.slice(position, next + 1);
    position = next === -1 ? s.length : next + 1;
    if (line.length && line !== '\n') result += ind;
    result += line;
  }
  return result;
}
