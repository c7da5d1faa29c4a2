/**
 * Proves that the helm helpers in test/support/helm.ts run the real helm and can fail: a tiny hand-written chart
 * lints and renders, and each deliberate defect (a value of the wrong type, an unknown value, broken YAML) is
 * reported with specific content.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { helmLint, helmPackage, helmPath, helmTemplate } from '../support/helm';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-tiny
  namespace: {{ .Release.Namespace }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app: tiny
  template:
    metadata:
      labels:
        app: tiny
    spec:
      containers:
        - name: app
          image: registry.example/tiny:1.0.0
`;

const SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['replicas'],
  properties: { replicas: { type: 'integer', minimum: 1 } },
};

let tmp: string;
let chart: string;

/** Writes the tiny chart into a new directory under `tmp`, with extra template files on top. */
function writeChart(name: string, extraTemplates: Record<string, string> = {}): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: tiny\nversion: 0.1.0\n');
  fs.writeFileSync(path.join(dir, 'values.yaml'), 'replicas: 3\n');
  fs.writeFileSync(path.join(dir, 'values.schema.json'), JSON.stringify(SCHEMA, null, 2));
  const templates = { 'deployment.yaml': DEPLOYMENT, ...extraTemplates };
  for (const [file, text] of Object.entries(templates)) {
    fs.writeFileSync(path.join(dir, 'templates', file), text);
  }
  return dir;
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-helm-selftest-'));
  chart = writeChart('tiny');
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('helm is installed', () => {
  expect(() => fs.accessSync(helmPath(), fs.constants.X_OK)).not.toThrow();
});

test('the chart passes strict lint', () => {
  const result = helmLint(chart);
  expect(result.output).toContain('1 chart(s) linted, 0 chart(s) failed');
  expect(result.ok).toBe(true);
});

test('a template with a YAML error fails lint', () => {
  const broken = writeChart('broken', {
    'configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  key: [unclosed\n',
  });
  const result = helmLint(broken);
  expect(result.ok).toBe(false);
  expect(result.output).toMatch(/\[ERROR\] templates\/configmap\.yaml: unable to parse YAML/);
});

test('template renders the default values into objects', () => {
  const result = helmTemplate(chart, { releaseName: 'shop', namespace: 'prod' });
  expect(result.stderr).toBe('');
  expect(result.ok).toBe(true);
  expect(result.objects).toHaveLength(1);
  expect(result.objects[0]).toMatchObject({
    kind: 'Deployment',
    metadata: { name: 'shop-tiny', namespace: 'prod' },
    spec: { replicas: 3 },
  });
});

test('--set changes a value', () => {
  const result = helmTemplate(chart, { set: { replicas: '5' } });
  expect(result.ok).toBe(true);
  expect(result.objects[0].spec.replicas).toBe(5);
});

test('a values file changes a value', () => {
  const file = path.join(tmp, 'seven.yaml');
  fs.writeFileSync(file, 'replicas: 7\n');
  expect(helmTemplate(chart, { valuesFiles: [file] }).objects[0].spec.replicas).toBe(7);
});

test('a value of the wrong type fails the schema', () => {
  const result = helmTemplate(chart, { set: { replicas: 'two' } });
  expect(result.ok).toBe(false);
  expect(result.objects).toEqual([]);
  expect(result.stderr).toContain("values don't meet the specifications of the schema");
  expect(result.stderr).toContain('replicas: Invalid type. Expected: integer, given: string');
});

test('--set-string keeps a number-like value a string, which the schema rejects', () => {
  const result = helmTemplate(chart, { setString: { replicas: '4' } });
  expect(result.ok).toBe(false);
  expect(result.stderr).toContain('replicas: Invalid type. Expected: integer, given: string');
});

test('a misspelt value fails the schema', () => {
  const result = helmTemplate(chart, { set: { replicaCont: '3' } });
  expect(result.ok).toBe(false);
  expect(result.stderr).toContain('Additional property replicaCont is not allowed');
});

test('package writes the chart archive', () => {
  const out = path.join(tmp, 'packages');
  fs.mkdirSync(out);
  const result = helmPackage(chart, out);
  expect(result.ok).toBe(true);
  expect(result.file).toBe(path.join(out, 'tiny-0.1.0.tgz'));
  expect(fs.existsSync(result.file!)).toBe(true);
});

test('package of a directory that is no chart fails', () => {
  const result = helmPackage(path.join(tmp, 'missing'), tmp);
  expect(result.ok).toBe(false);
  expect(result.file).toBeUndefined();
});
