import { yamlPathAt } from './chart-files';
import { TESTS_FILE } from './chart-tests';
import { ValueDeclaration } from './registry';
import { valuesRef } from './template-hooks';
import { GantryError } from '../core/errors';
import { Environment } from '../environment/environment';

// One chart for several environments: each environment's values file must make the chart render exactly what the
// environment synthesizes. Values cover what varies within a structure (image, replicas, alert routing); switches
// declared `structural` cover objects an environment may lack altogether (a circuit breaker only staging and prod
// run, a Rollout only prod runs): an environment without them gets the switch off, and is compared with the chart as
// it renders with that switch off.

/** What a rendering of a scope gives: its template files as pieces (one per object) and its values. */
export interface ChartRendering {
  readonly files: Map<string, string[]>;
  /** The object each piece is (`Deployment payments`), per file, for messages. */
  readonly owners: Map<string, string[]>;
  readonly values: any;
  readonly declarations: ValueDeclaration[];
}

/**
 * The values of `env` for the chart `chart`: the environment's own values, and its structural switches off for the
 * objects it lacks. Fails, naming the object, field and template line, when something differs that no value expresses.
 */
export function environmentValues(env: Environment, chart: ChartRendering, theirs: ChartRendering): any {
  const declared = new Set(theirs.declarations.map((d) => d.path.join('.')));
  const off = chart.declarations.filter((d) => d.structural && !declared.has(d.path.join('.')));
  const refs = off.map((d) => valuesRef(d.path));
  for (const [file, allPieces] of chart.files) {
    // The test pod asks every Service under that Service's own conditions, which the Service's file compares.
    if (file === TESTS_FILE) continue;
    const evaluated = allPieces.map((p, i) => ({ text: withSwitchesOff(p, refs), owner: chart.owners.get(file)?.[i] ?? file }))
      .filter((p): p is { text: string; owner: string } => p.text !== undefined);
    const pieces = evaluated.map((p) => p.text);
    const theirPieces = theirs.files.get(file) ?? [];
    const i = pieces.findIndex((p, k) => theirPieces[k] !== p);
    if (i < 0 && theirPieces.length === pieces.length) continue;
    const at = Math.max(i, 0);
    const mine = (pieces[at] ?? '').split('\n');
    const their = (theirPieces[at] ?? '').split('\n');
    const line = mine.findIndex((l, k) => their[k] !== l);
    // Shown: their first line of manifest, not a template action that guards it.
    let theirLine = line;
    while (theirLine < their.length - 1 && their[theirLine].trim().startsWith('{{')) theirLine++;
    const lineInFile = pieces.slice(0, at).reduce((n, p) => n + p.split('\n').length - 1, 0) + line + 1;
    const field = yamlPathAt(mine, line);
    throw GantryError.of(env, 'environments', env.name,
      `differs from the exported chart in ${evaluated[at]?.owner ?? file}${field ? `, field ${field}` : ''} (templates/${file}.yaml line ${lineInFile}): `
      + `the chart has ${JSON.stringify(mine[line]?.trim() ?? '')} where ${env.name} has ${JSON.stringify(their[theirLine]?.trim() ?? '')}, `
      + 'and no value expresses that',
      'keep environment differences to image, replicas, autoscaling and resources, or export that environment as a chart of its own');
  }
  const values = JSON.parse(JSON.stringify(theirs.values));
  for (const d of off) {
    let node = values;
    for (const key of d.path.slice(0, -1)) node = node[key] ??= {};
    node[d.path[d.path.length - 1]] = false;
  }
  return values;
}

/**
 * A template piece as it renders with the boolean values `refs` false, its other template text kept: undefined when
 * the piece's condition needs one of them, else the piece without the blocks they guard (`{{- if <ref> }}` up to its
 * `{{- else }}` or `{{- end }}`).
 */
export function withSwitchesOff(piece: string, refs: string[]): string | undefined {
  if (refs.length === 0) return piece;
  const mentions = (text: string) => refs.some((r) => new RegExp(`${r.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w.])`).test(text));
  const lines = piece.split('\n');
  // The piece's own condition is the line before its document marker; its terms are joined with `and`.
  const marker = lines.indexOf('---');
  if (marker > 0 && lines[marker - 1].startsWith('{{- if ') && mentions(lines[marker - 1])) return undefined;
  const out: string[] = [];
  // Open blocks: a switch's (dropping its `if` branch, then keeping its `else`), or any other action's.
  const stack: { switch: boolean; dropping: boolean }[] = [];
  const dropping = () => stack.some((f) => f.switch && f.dropping);
  for (const line of lines) {
    const action = /^\s*\{\{-? (if|with|range|else|end)\b(.*?)-?\}\}$/.exec(line);
    if (action?.[1] === 'if' && refs.includes(action[2].trim())) {
      stack.push({ switch: true, dropping: true });
      continue;
    }
    if (action?.[1] === 'if' || action?.[1] === 'with' || action?.[1] === 'range') {
      stack.push({ switch: false, dropping: false });
    } else if (action?.[1] === 'else' && stack[stack.length - 1]?.switch) {
      stack[stack.length - 1].dropping = false;
      continue;
    } else if (action?.[1] === 'end' && stack.pop()?.switch) {
      continue;
    }
    if (!dropping()) out.push(line);
  }
  return out.join('\n');
}
