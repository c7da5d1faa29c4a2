// How a place in a synthesized object becomes Helm template text.
//
// The export renders each object to JSON exactly as `cdk8s synth` does, puts a unique token where a value goes
// (as a value, a map key or a list item), dumps the YAML, then replaces each token's line with template text. The
// text around the tokens is the plain manifest, so with default values `helm template` gives back the same objects.
// No template library exists for this direction (JSON to Go template), so it is written here.

/** Pointers parsed so far: every service's objects are templated at the same few pointers. */
const PARSED = new Map<string, readonly string[]>();

/** A parsed JSON pointer (RFC 6901). */
function parsePointer(pointer: string): readonly string[] {
  let keys = PARSED.get(pointer);
  if (keys === undefined) {
    if (pointer !== '' && !pointer.startsWith('/')) throw new Error(`not a JSON pointer: ${pointer}`);
    keys = pointer === '' ? [] : pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (PARSED.size < 10_000) PARSED.set(pointer, keys);
  }
  return keys;
}

/** The value at the first `n` keys of `keys` in `json`, or undefined. */
function valueAt(json: any, keys: readonly string[], n: number): any {
  let node = json;
  for (let i = 0; i < n; i++) {
    if (node === null || typeof node !== 'object') return undefined;
    node = node[keys[i]];
  }
  return node;
}

/** The value at `pointer` in `json`, or undefined. */
export function getAt(json: any, pointer: string): any {
  const keys = parsePointer(pointer);
  return valueAt(json, keys, keys.length);
}

function parentOf(json: any, pointer: string): { parent: any; key: string } {
  const keys = parsePointer(pointer);
  const parent = keys.length === 0 ? undefined : valueAt(json, keys, keys.length - 1);
  if (parent === null || typeof parent !== 'object') throw new Error(`no object at the parent of ${pointer}`);
  return { parent, key: keys[keys.length - 1] };
}

/** A reference to a value: `.Values.orders.replicas`, or `index` for keys that are not identifiers. */
export function valuesRef(path: string[]): string {
  return path.every((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
    ? `.Values.${path.join('.')}`
    : `(index .Values ${path.map((k) => JSON.stringify(k)).join(' ')})`;
}

/** A template condition that holds when all of `conditions` do: the one expression, or `and` of them. */
export function allOf(conditions: string[]): string {
  return conditions.length === 1 ? conditions[0] : `and ${conditions.map((c) => `(${c})`).join(' ')}`;
}

/**
 * One templated place in one object: where the token goes, and what replaces the line that holds it.
 */
export interface TemplateHook {
  /** Puts `token` into the object's JSON. */
  place(json: any, token: string): void;
  /** The text that replaces `line`, the whole YAML line holding `token`. */
  render(line: string, token: string): string;
}

const leading = (line: string) => line.length - line.trimStart().length;

/** The column of the key on `line` (after any list dash). */
export function keyColumn(line: string): number {
  const m = /^(\s*)(- )*/.exec(line)!;
  return m[0].length;
}

/**
 * A scalar field whose value is a template expression: `replicas: {{ .Values.orders.replicas }}`. A class, not a pair of
 * closures: charts of thousands of services hold tens of thousands of these until the export ends. It holds no state,
 * so one can template the same field of several objects.
 */
class ScalarHook implements TemplateHook {
  constructor(private readonly pointer: string, private readonly expression: string) {}

  public place(json: any, token: string): void {
    const { parent, key } = parentOf(json, this.pointer);
    parent[key] = token;
  }

  public render(line: string, token: string): string {
    return line.replace(token, `{{ ${this.expression} }}`);
  }
}

export function scalarHook(pointer: string, expression: string): TemplateHook {
  return new ScalarHook(pointer, expression);
}

/** A field, key and value, replaced by template lines at the key's indentation (`{{- if }}` one value `{{- else }}` another). */
export function fieldBlockHook(pointer: string, lines: (indent: string) => string[]): TemplateHook {
  return {
    place: (json, token) => {
      const { parent, key } = parentOf(json, pointer);
      parent[key] = token;
    },
    render: (line) => lines(' '.repeat(keyColumn(line))).join('\n'),
  };
}

/** A map or list field rendered from a structured value: `resources:` then `{{- toYaml ... | nindent N }}`. */
export function structuredHook(pointer: string, expression: string): TemplateHook {
  return {
    place: (json, token) => {
      const { parent, key } = parentOf(json, pointer);
      parent[key] = token;
    },
    render: (line, token) => {
      const col = keyColumn(line) + 2;
      return `${line.slice(0, line.indexOf(token)).trimEnd()}\n${' '.repeat(col)}{{- toYaml ${expression} | nindent ${col} }}`;
    },
  };
}

/**
 * Template lines at the place of a key of the map at `pointer`, indented like the map's keys. `lines` gets that
 * indentation and returns the lines; a key of the same name already there is removed.
 */
export function blockHook(pointer: string, removeKeys: string[], lines: (indent: string) => string[]): TemplateHook {
  return {
    place: (json, token) => {
      const map = getAt(json, pointer);
      if (map === null || typeof map !== 'object' || Array.isArray(map)) throw new Error(`no map at ${pointer}`);
      for (const k of removeKeys) delete map[k];
      map[token] = 'x';
    },
    render: (line) => lines(' '.repeat(keyColumn(line))).join('\n'),
  };
}

/** A map field that is there only when the structured value `expression` is not empty (`with`). */
export function optionalMapFieldHook(pointer: string, field: string, expression: string): TemplateHook {
  return blockHook(pointer, [field], (indent) => [
    `${indent}{{- with ${expression} }}`,
    `${indent}${field}:`,
    `${indent}  {{- toYaml . | nindent ${indent.length + 2} }}`,
    `${indent}{{- end }}`,
  ]);
}

/** Entries of the structured value `expression` merged into the map at `pointer`. */
export function mergeMapHook(pointer: string, expression: string): TemplateHook {
  return blockHook(pointer, [], (indent) => [
    `${indent}{{- with ${expression} }}`,
    `${indent}{{- toYaml . | nindent ${indent.length} }}`,
    `${indent}{{- end }}`,
  ]);
}

/** Items of the list value `expression` appended to the list at `pointer`. */
export function appendListHook(pointer: string, expression: string): TemplateHook {
  return {
    place: (json, token) => {
      const list = getAt(json, pointer);
      if (!Array.isArray(list)) throw new Error(`no list at ${pointer}`);
      list.push(token);
    },
    render: (line) => {
      const indent = ' '.repeat(leading(line));
      return [`${indent}{{- with ${expression} }}`, `${indent}{{- toYaml . | nindent ${indent.length} }}`, `${indent}{{- end }}`].join('\n');
    },
  };
}

/**
 * The image of a service from its image value (`.Values.orders.image`, named `key` in messages) and the chart's
 * global values. `pinned` is the digest the chart was made with, if any: a new tag with that digest left in place is
 * an error (the digest would win, and the old image would run).
 */
export function imageExpression(imageRef: string, key: string, pinned?: { tag: string; digest: string }): string {
  const pin = pinned?.digest ? ` "key" ${JSON.stringify(key)} "pinnedTag" ${JSON.stringify(pinned.tag)} "pinnedDigest" ${JSON.stringify(pinned.digest)}` : '';
  return `include "gantry.image" (dict "image" ${imageRef} "global" $.Values.global${pin}) | quote`;
}

/**
 * The chart's `global.imagePullSecrets` added to the pod spec at `specPointer`: after the pod's own, or as the list
 * when the pod has none.
 */
export function pullSecretsHook(specPointer: string): TemplateHook {
  const expression = '$.Values.global.imagePullSecrets';
  let appended = false;
  return {
    place: (json, token) => {
      const spec = getAt(json, specPointer);
      if (spec === null || typeof spec !== 'object') throw new Error(`no pod spec at ${specPointer}`);
      appended = Array.isArray(spec.imagePullSecrets);
      if (appended) spec.imagePullSecrets.push(token);
      else spec[token] = 'x';
    },
    render: (line) => {
      if (appended) {
        const indent = ' '.repeat(leading(line));
        return [`${indent}{{- with ${expression} }}`, `${indent}{{- include "gantry.pullSecrets" . | trim | nindent ${indent.length} }}`, `${indent}{{- end }}`].join('\n');
      }
      const indent = ' '.repeat(keyColumn(line));
      return [`${indent}{{- with ${expression} }}`, `${indent}imagePullSecrets:`,
        `${indent}  {{- include "gantry.pullSecrets" . | trim | nindent ${indent.length + 2} }}`, `${indent}{{- end }}`].join('\n');
    },
  };
}

/**
 * The item of the list at `listPointer` that `match` finds, rendered only while `condition` holds: two marker items
 * around it become `{{- if ... }}` and `{{- end }}`. Nothing happens when no item matches.
 */
export function listItemConditionHook(listPointer: string, match: (item: any) => boolean, condition: string): TemplateHook {
  return {
    place: (json, token) => {
      const list = getAt(json, listPointer);
      const index = Array.isArray(list) ? list.findIndex(match) : -1;
      if (index < 0) return;
      list.splice(index + 1, 0, `${token}end`);
      list.splice(index, 0, `${token}if`);
    },
    render: (line, token) => {
      const indent = ' '.repeat(leading(line));
      return line.includes(`${token}if`) ? `${indent}{{- if ${condition} }}` : `${indent}{{- end }}`;
    },
  };
}

/**
 * The items of the list at `listPointer` whose `name` is one of `names`, each rendered only while `conditionOf(name)`
 * holds (one hook for all of them): two marker items around each become `{{- if ... }}` and `{{- end }}`.
 */
export function namedItemsConditionHook(listPointer: string, names: string[], conditionOf: (name: string) => string): TemplateHook {
  return {
    place: (json, token) => {
      const list = getAt(json, listPointer);
      if (!Array.isArray(list)) return;
      for (let i = list.length - 1; i >= 0; i--) {
        const k = names.indexOf(list[i]?.name);
        if (k < 0) continue;
        list.splice(i + 1, 0, `${token}end`);
        list.splice(i, 0, `${token}if${k}`);
      }
    },
    render: (line, token) => {
      const indent = ' '.repeat(leading(line));
      const at = line.indexOf(`${token}if`);
      const k = at < 0 ? undefined : /^\d+/.exec(line.slice(at + token.length + 2))?.[0];
      return k === undefined ? `${indent}{{- end }}` : `${indent}{{- if ${conditionOf(names[Number(k)])} }}`;
    },
  };
}

/** A template action before the first item of the list at `listPointer` (a variable the items' conditions share). */
export function listPreludeHook(listPointer: string, action: string): TemplateHook {
  return {
    place: (json, token) => {
      const list = getAt(json, listPointer);
      if (Array.isArray(list)) list.unshift(token);
    },
    render: (line) => `${' '.repeat(leading(line))}{{- ${action} }}`,
  };
}
