import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { TemplateHook } from './template-hooks';
import { GantryError } from '../core/errors';

// The files and the text of an exported chart: writing them, refusing a directory that is not ours, and the text
// operations on templates (named blocks, the YAML path of a line, literal braces).

export const GENERATED_BY = 'gantry.dev/generated-by';

/** Writes a template file from its pieces, one write each: the pieces are never joined into one string. */
export function writePieces(file: string, pieces: string[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const piece of pieces) fs.writeSync(fd, piece);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The export replaces its output directory: it must be empty, or a chart an export wrote (its Chart.yaml says so).
 * Anything else (a project root, a hand-written chart) is refused, not emptied.
 */
export function refuseForeignDirectory(scope: IConstruct, dir: string): void {
  if (!fs.existsSync(dir) || fs.readdirSync(dir).length === 0) return;
  const chartYaml = path.join(dir, 'Chart.yaml');
  const ours = fs.existsSync(chartYaml) && fs.readFileSync(chartYaml, 'utf8').includes(`${GENERATED_BY}: cdk8s-gantry`);
  if (!ours) {
    throw GantryError.of(scope, 'outdir', dir, 'holds files that are not a chart Gantry exported, and the export would delete them',
      'give an empty directory, or one an earlier export wrote, such as \'dist/helm/shop\'');
  }
}

/**
 * The YAML path of `lines[index]` from the keys above it (`spec.template.spec.containers.env`; list positions left out).
 */
export function yamlPathAt(lines: string[], index: number): string {
  const keyColumn = (l: string) => /^(\s*)(- )*/.exec(l)![0].length;
  const keyOf = (l: string) => /^\s*(?:- )*([^\s:'"{][^:]*|'[^']*'):(\s|$)/.exec(l)?.[1]?.replace(/^'|'$/g, '');
  const own = keyOf(lines[index] ?? '');
  const keys: string[] = own === undefined ? [] : [own];
  let column = keyColumn(lines[index] ?? '');
  for (let i = index - 1; i >= 0 && column > 0; i--) {
    const l = lines[i];
    if (l.trim() === '' || l.trim().startsWith('{{') || l.startsWith('---')) continue;
    const c = keyColumn(l);
    const key = keyOf(l);
    if (c < column && key !== undefined) {
      keys.unshift(key);
      column = c;
    }
  }
  return keys.join('.');
}

/**
 * Moves the block of the top-level `field` of an object's YAML into the named template `name`, exactly as written
 * (its text, one level less indented), and includes it in its place: `data:` then `{{- include "name" $ | nindent 2 }}`.
 */
export function moveToDefine(text: string, field: string, name: string): { text: string; define: string } {
  const lines = text.split('\n');
  const start = lines.indexOf(`${field}:`);
  if (start < 0) return { text, define: '' };
  let end = start + 1;
  while (end < lines.length && (lines[end].startsWith('  ') || lines[end] === '')) end++;
  // A trailing empty line belongs to the document, not the block.
  while (end > start + 1 && lines[end - 1] === '') end--;
  const block = lines.slice(start + 1, end).map((l) => l.slice(2)).join('\n') + '\n';
  const include = `  {{- include ${JSON.stringify(name)} $ | nindent 2 }}`;
  return {
    text: [...lines.slice(0, start + 1), include, ...lines.slice(end)].join('\n'),
    define: `{{- define ${JSON.stringify(name)} }}${block}{{ end }}\n`,
  };
}

/**
 * Manifest text with its own `{{` and `}}` (alert annotations use Prometheus's templates, for example) made literal
 * for Helm: `{{ "{{" }}` renders `{{`.
 */
export function escapeTemplates(text: string): string {
  if (!text.includes('{{') && !text.includes('}}')) return text;
  return text.replace(/\{\{|\}\}/g, (m) => (m === '{{' ? '{{ "{{" }}' : '{{ "}}" }}'));
}

/** How a hook's token starts: `__gantry_<n>__`. */
export const TOKEN = '__gantry_';

/**
 * Each line that holds a hook's token, rendered by that hook. One pass over the text (a 1,000-service chart is about
 * 50 MB of it), found with `indexOf` rather than with a regular expression tried at the start of every line.
 */
export function renderTokenLines(text: string, byToken: Map<string, TemplateHook>): string {
  let out = '';
  let done = 0;
  for (let at = text.indexOf(TOKEN); at >= 0; at = text.indexOf(TOKEN, at)) {
    const start = text.lastIndexOf('\n', at) + 1;
    const newline = text.indexOf('\n', at);
    const end = newline < 0 ? text.length : newline;
    const tokenEnd = text.indexOf('__', at + TOKEN.length) + 2;
    const token = text.slice(at, tokenEnd);
    out += text.slice(done, start) + byToken.get(token)!.render(text.slice(start, end), token);
    done = end;
    at = end;
  }
  return done === 0 ? text : out + text.slice(done);
}
