import { ApiObject, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import * as jsyaml from 'js-yaml';
import { parse, parseAllDocuments } from 'yaml';
import { shopArgoCd, shopEnvironments } from '../../examples/shop/environments';
import { buildShop } from '../../examples/shop/shop';
import { GantryApp } from '../../src';
import { DUMP_SCHEMA, toYaml, toYamlStream } from '../../src/core/yaml';
import { DUMP_OPTIONS, YamlEmitter } from '../../src/core/yaml-emitter';

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

// The writer is a port of js-yaml's dumper (see src/core/yaml-emitter.ts): js-yaml is the reference it must equal.
describe('the manifest writer equals js-yaml', () => {
  const reference = (doc: unknown) => jsyaml.dump(doc, { ...DUMP_OPTIONS, schema: DUMP_SCHEMA });

  test('on every object of the example app', () => {
    const app = new GantryApp({ outdir: 'unused' });
    const environments = shopEnvironments(app);
    for (const env of environments) buildShop(env);
    shopArgoCd(new Chart(app, 'argocd'), new Chart(app, 'argocd-root'), environments);
    const docs = app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson());
    expect(docs.length).toBeGreaterThan(50);
    for (const doc of docs) expect(toYaml(doc)).toBe(reference(doc));
    // ...and writes them itself: js-yaml is only for what manifests do not hold (dates, escapes, huge keys).
    const emitter = new YamlEmitter(DUMP_SCHEMA);
    docs.forEach((doc) => emitter.dump(doc));
    expect(emitter.handedOver).toBe(0);
  });

  // Strings joined from the pieces that change a scalar's style: indicators, quotes, leading spaces, line breaks,
  // non-printable and astral characters, and the words and numbers YAML 1.1 and 1.2 resolve to other types.
  const piece = fc.constantFrom(' ', '  ', '\n', '\n\n', 'a', 'b1', ':', ': ', ' #', '#', '-', '- ', '?', ',', '[', '}', "'", '"', '|',
    '>', '!', '&', '*', '%', '@', '`', '\t', '\r', '\u0085', '\u00e9', '\u2028', '\ufeff', '\ud83d\ude00', 'y', 'on', 'OFF', 'null',
    'true', '~', '1', '0x1F', '0o17', '1_000', '+.5', '.inf', '1e3', '1:20', '2024-01-01', '=', '<<');
  const tricky = fc.oneof(fc.array(piece, { maxLength: 6 }).map((p) => p.join('')), fc.string());
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', maxDepth: 4 },
      tricky, tricky, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined),
      fc.array(tie('node'), { maxLength: 5 }), fc.dictionary(tricky, tie('node'), { maxKeys: 5 })),
  })).node;
  const document = fc.dictionary(tricky, value, { minKeys: 1, maxKeys: 8 });

  test('on random documents, seeded', () => {
    fc.assert(fc.property(fc.oneof(document, value), (doc) => {
      expect(toYaml(doc)).toBe(reference(doc));
    }), { seed: 20261123, numRuns: 3000 });
  });

  // Long strings over several lines (dashboards, config files) take a shortcut when they are printable ASCII: mostly
  // ASCII pieces here, with the ones that are not printable (tab, carriage return, DEL) and a few others.
  const asciiPiece = fc.constantFrom(' ', '  ', '\n', '\n\n', 'a', 'b1', ':', ': ', ' #', '-', '- ', "'", '"', '{', '}', 'x', 'yz', '\t', '\r', '\x7f');
  const long = fc.array(fc.oneof({ weight: 20, arbitrary: asciiPiece }, { weight: 1, arbitrary: piece }), { minLength: 40, maxLength: 120 })
    .map((p) => p.join(''));
  test('on long strings, seeded', () => {
    // Plain keys: a key with a line break makes the whole document js-yaml's.
    const key = fc.constantFrom('data', 'config.yaml', 'script', 'b1');
    fc.assert(fc.property(fc.dictionary(key, fc.oneof(long, fc.array(long, { maxLength: 3 })), { minKeys: 1, maxKeys: 4 }), (doc) => {
      expect(toYaml(doc)).toBe(reference(doc));
    }), { seed: 20261123, numRuns: 1000 });
  });

  test('on a string met again at another depth, and on a long line break block', () => {
    const block = 'line one\n  indented\n\nlast\n\n';
    const doc = { 'a': block, 'b': { c: [block, { d: block }] }, 'k: v': 'k: v', 'long': 'x'.repeat(2000) };
    expect(toYaml(doc)).toBe(reference(doc));
    expect(toYaml(doc)).toBe(reference(doc));
  });

  test('on a string written as a value and then as a key, whose styles differ', () => {
    const doc = { a: 'two\nlines', b: { 'two\nlines': 'y' } };
    expect(toYaml(doc)).toBe(reference(doc));
  });

  test('hands values that are not plain data to js-yaml', () => {
    const emitter = new YamlEmitter(DUMP_SCHEMA);
    for (const doc of [{ when: new Date(0) }, { ['x'.repeat(1100)]: 1 }, { ctl: 'bell\u0007' }, { a: [new Uint8Array(2)] }]) {
      expect(emitter.dump(doc)).toBe(reference(doc));
    }
    expect(emitter.handedOver).toBe(4);
  });
});
