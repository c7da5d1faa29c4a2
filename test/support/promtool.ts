/**
 * Runs the real promtool (installed into .tools/bin by `npx projen tools`, which `npm test` runs first) on Prometheus
 * rule files, for use in tests: `promtool check rules` for syntax and PromQL, `promtool test rules` for what the rules
 * do over given series.
 *
 * A PrometheusRule's `spec` has the shape of a rule file (`{ groups: [...] }`), so `checkRules(rule.spec)` checks it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';

const PROMTOOL = path.join(__dirname, '..', '..', '.tools', 'bin', 'promtool');

/** The promtool binary; throws if it has not been installed. */
export function promtoolPath(): string {
  if (!fs.existsSync(PROMTOOL)) {
    throw new Error(`promtool is not installed at ${PROMTOOL}: run 'npx projen tools'`);
  }
  return PROMTOOL;
}

/**
 * `promtool check rules` on a rule file: an object (`{ groups: [...] }`), written as YAML, or YAML text as it is (to
 * test what promtool says about text no object serializes to).
 */
export function checkRules(rules: object | string): { ok: boolean; output: string } {
  return inTempDir((dir) => {
    const result = promtool(['check', 'rules', writeRuleFile(dir, rules)], dir);
    return { ok: result.status === 0, output: result.output };
  });
}

/**
 * `promtool test rules`: `tests` is the unit-test file's list of test groups (each with `interval`, `input_series`,
 * `alert_rule_test`, `promql_expr_test`, ...), run against `ruleFile` with an evaluation interval of one minute.
 */
export function testRules(ruleFile: object | string, tests: object[]): { ok: boolean; output: string } {
  return inTempDir((dir) => {
    // rule_files are resolved against the test file's directory: both live in `dir`.
    const testFile = path.join(dir, 'tests.yaml');
    const unitTests = { rule_files: [path.basename(writeRuleFile(dir, ruleFile))], evaluation_interval: '1m', tests };
    fs.writeFileSync(testFile, toYaml(unitTests));
    const result = promtool(['test', 'rules', testFile], dir);
    return { ok: result.status === 0, output: result.output };
  });
}

/**
 * `promtool test rules` with several rule files loaded together, as one Prometheus loads the PrometheusRules of several
 * namespaces (group names need only be unique within a file).
 */
export function testRuleFiles(ruleFiles: object[], tests: object[]): { ok: boolean; output: string } {
  return inTempDir((dir) => {
    const names = ruleFiles.map((rules, i) => path.basename(writeRuleFile(dir, rules, `rules-${i}.yaml`)));
    const testFile = path.join(dir, 'tests.yaml');
    fs.writeFileSync(testFile, toYaml({ rule_files: names, evaluation_interval: '1m', tests }));
    const result = promtool(['test', 'rules', testFile], dir);
    return { ok: result.status === 0, output: result.output };
  });
}

function writeRuleFile(dir: string, rules: object | string, name = 'rules.yaml'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof rules === 'string' ? rules : toYaml(rules));
  return file;
}

function toYaml(value: object): string {
  // No anchors for objects used twice, and no folded lines: the file reads as the object, nothing to reassemble.
  return stringify(value, { aliasDuplicateObjects: false, lineWidth: 0 });
}

function inTempDir<T>(body: (dir: string) => T): T {
  // Fresh per call and removed after it: calls cannot see each other's files, and nothing is left behind.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gantry-promtool-${process.pid}-`));
  try {
    return body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function promtool(args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync(promtoolPath(), args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  if (result.error) {
    throw result.error;
  }
  return { status: result.status, output: result.stdout + result.stderr };
}
