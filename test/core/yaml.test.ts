import { parse, parseAllDocuments } from 'yaml';
import { toYaml, toYamlStream } from '../../src/core/yaml';

// Kubernetes tools (kubectl, Argo CD, Helm) read manifests with go-yaml, which still resolves YAML 1.1 scalars. The
// `yaml` package's YAML 1.1 schema reads them the same way, so it stands in for them here.
const readAsYaml11 = (text: string) => parse(text, { version: '1.1' });

describe('toYaml', () => {
  test('quotes the YAML 1.1 booleans, in values and in keys', () => {
    expect(toYaml({ a: 'y', b: 'on', c: 'off', d: 'no' })).toBe("a: 'y'\nb: 'on'\nc: 'off'\nd: 'no'\n");
    expect(toYaml({ on: 'x', y: 'z' })).toBe("'on': x\n'y': z\n");
  });

  test.each([
    ['YAML 1.1 boolean words', ['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF']],
    ['YAML 1.2 boolean and null words', ['true', 'False', 'TRUE', 'null', 'Null', '~', '']],
    ['number-like strings', ['0', '42', '-1', '+1', '0755', '0x1F', '0b101', '1.5', '.5', '1e3', '.inf', '-.Inf', '.NaN']],
    ['numbers with underscores, signs and prefixes that only YAML 1.1 reads', ['1_000', '+.5', '0x_1F', '0o17', '0b1_0', '-1_0.5', '+12e3', '1.']],
    ['sexagesimal- and date-like strings', ['1:20', '2024-01-01', '2001-12-14t21:59:43.10-05:00']],
    ['strings with YAML syntax in them', ['a: b', '# not a comment', '- not a list', '*alias', '&anchor', '!tag', '{}', '[]', '@x', '`x', "it's", '"q"']],
  ])('%s stay strings', (_what, values) => {
    const doc = Object.fromEntries(values.map((v, i) => [`k${i}`, v]));
    expect(readAsYaml11(toYaml(doc))).toEqual(doc);
  });

  test('quotes exactly what go-yaml would read as a number, and nothing else', () => {
    expect(toYaml({ a: '1_000', b: '+.5', c: '0o17', d: '1.4.2', e: '_1', f: 'v1.2' })).toBe("a: '1_000'\nb: '+.5'\nc: '0o17'\nd: 1.4.2\ne: _1\nf: v1.2\n");
  });

  test('writes numbers, booleans and null with their types', () => {
    const doc = { replicas: 3, ratio: 0.5, enabled: true, disabled: false, none: null };
    expect(toYaml(doc)).toBe('replicas: 3\nratio: 0.5\nenabled: true\ndisabled: false\nnone: null\n');
    expect(readAsYaml11(toYaml(doc))).toEqual(doc);
  });

  test('never folds a long line', () => {
    // Far beyond js-yaml's default width of 80, which would fold it over several lines.
    const description = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    expect(description.length).toBeGreaterThan(300);
    expect(toYaml({ metadata: { annotations: { description } } })).toBe(`metadata:\n  annotations:\n    description: ${description}\n`);
  });

  test('writes text with line breaks as a block that reads back the same, leading and trailing spaces included', () => {
    const config = { 'app.yaml': 'server:\n  port: 8080\n', 'motd': '  indented\nline two  \nno final newline' };
    const text = toYaml({ data: config });
    expect(text).toContain('app.yaml: |\n');
    expect(readAsYaml11(text)).toEqual({ data: config });
  });

  test('keeps keys in the order given', () => {
    expect(toYaml({ kind: 'Service', apiVersion: 'v1', metadata: { name: 'a' } })).toBe('kind: Service\napiVersion: v1\nmetadata:\n  name: a\n');
  });

  test('writes an object used twice in full, without anchors or aliases', () => {
    const labels = { app: 'orders' };
    const text = toYaml({ metadata: { labels }, spec: { selector: { matchLabels: labels } } });
    expect(text).not.toMatch(/[&*]ref/);
    expect(text).toBe('metadata:\n  labels:\n    app: orders\nspec:\n  selector:\n    matchLabels:\n      app: orders\n');
  });

  test('leaves out undefined fields, as JSON does', () => {
    expect(toYaml({ a: undefined, b: 1 })).toBe('b: 1\n');
  });

  test('round-trips a manifest', () => {
    const manifest = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'orders', labels: { 'app.kubernetes.io/version': '1.0' }, annotations: { 'gantry.dev/note': 'ünïcödé: ok # yes' } },
      data: { FEATURE_X: 'on', RETRIES: '3', EMPTY: '', LIST: '- a\n- b\n' },
    };
    expect(readAsYaml11(toYaml(manifest))).toEqual(manifest);
  });
});

describe('toYamlStream', () => {
  test('writes one document per object, separated by ---', () => {
    const docs = [{ kind: 'ServiceAccount', metadata: { name: 'a' } }, { kind: 'Service', metadata: { name: 'on' } }];
    const text = toYamlStream(docs);
    expect(text).toBe("kind: ServiceAccount\nmetadata:\n  name: a\n---\nkind: Service\nmetadata:\n  name: 'on'\n");
    expect(parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJSON())).toEqual(docs);
  });

  test('writes a single object without a separator', () => {
    expect(toYamlStream([{ a: 1 }])).toBe('a: 1\n');
  });

  test('writes nothing for no objects', () => {
    expect(toYamlStream([])).toBe('');
  });
});
