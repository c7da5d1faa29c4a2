/**
 * Proves that the promtool helpers in test/support/promtool.ts run the real promtool and can fail: a valid rule file
 * passes the check and a broken expression does not; each unit test passes when it expects what the rules do and
 * fails, with promtool's account of the difference, when it expects otherwise.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { checkRules, promtoolPath, testRules } from '../support/promtool';

const RULES = {
  groups: [
    {
      name: 'availability',
      rules: [
        { alert: 'X', expr: 'up == 0', for: '5m', labels: { severity: 'page' } },
        { record: 'job:up:sum', expr: 'sum by (job) (up)' },
      ],
    },
  ],
};

// `up{job="a"}` is 0 from minute 0 to minute 10: X is pending from 0m and firing from 5m on.
const DOWN_FOR_TEN_MINUTES = [{ series: 'up{job="a"}', values: '0x10' }];
const X_FIRING = { exp_labels: { job: 'a', severity: 'page' } };

function alertTest(evalTime: string, expAlerts: object[]): object[] {
  return [
    {
      interval: '1m',
      input_series: DOWN_FOR_TEN_MINUTES,
      alert_rule_test: [{ eval_time: evalTime, alertname: 'X', exp_alerts: expAlerts }],
    },
  ];
}

function recordingTest(value: number): object[] {
  return [
    {
      interval: '1m',
      input_series: DOWN_FOR_TEN_MINUTES,
      promql_expr_test: [{ expr: 'job:up:sum', eval_time: '2m', exp_samples: [{ labels: 'job:up:sum{job="a"}', value }] }],
    },
  ];
}

test('promtool is installed, and is 2.42', () => {
  expect(execFileSync(promtoolPath(), ['--version'], { encoding: 'utf8' })).toMatch(/^promtool, version 2\.42\./);
});

describe('checkRules', () => {
  test('a valid rule file passes', () => {
    const result = checkRules(RULES);
    expect(result.output).toContain('SUCCESS: 2 rules found');
    expect(result.ok).toBe(true);
  });

  test('a broken expression fails with the parse error', () => {
    const result = checkRules({ groups: [{ name: 'g', rules: [{ alert: 'X', expr: 'sum(rate(up[5m])' }] }] });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('"X": could not parse expression');
    expect(result.output).toContain('unclosed left parenthesis');
  });

  test('YAML text is checked as it is', () => {
    const result = checkRules('groups:\n  - name: g\n    rules:\n      - record: "not a metric name"\n        expr: up\n');
    expect(result.ok).toBe(false);
    expect(result.output).toContain('invalid recording rule name: not a metric name');
  });

  test('the spec of a PrometheusRule that validates is a rule file promtool accepts', () => {
    const rule = new PrometheusRule({ metadata: { name: 'availability' }, spec: RULES });
    expect(() => rule.validate()).not.toThrow();
    expect(checkRules(rule.spec!).ok).toBe(true);
  });

  test('leaves no temporary directory behind', () => {
    // Only this process's directories: other test files run promtool at the same time in other workers.
    const ours = (): string[] => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(`gantry-promtool-${process.pid}-`));
    const before = ours();
    checkRules(RULES);
    testRules(RULES, alertTest('10m', [X_FIRING]));
    expect(ours()).toEqual(before);
  });
});

describe('testRules: an alert with `for: 5m`', () => {
  test('passes when the test expects it firing at 10m', () => {
    const result = testRules(RULES, alertTest('10m', [X_FIRING]));
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  test('fails when the test expects no alert at 10m', () => {
    const result = testRules(RULES, alertTest('10m', []));
    expect(result.ok).toBe(false);
    expect(result.output).toContain('alertname: X, time: 10m');
    expect(result.output).toMatch(/exp:\[\],\s*got:\[[^\]]*Labels:\{alertname="X", job="a", severity="page"\}/);
  });

  test('passes when the test expects no alert at 4m, while it is only pending', () => {
    expect(testRules(RULES, alertTest('4m', [])).ok).toBe(true);
  });

  test('fails when the test expects it firing at 4m', () => {
    const result = testRules(RULES, alertTest('4m', [X_FIRING]));
    expect(result.ok).toBe(false);
    expect(result.output).toContain('alertname: X, time: 4m');
    expect(result.output).toMatch(/got:\[\]/);
  });
});

describe('testRules: a recording rule, with promql_expr_test', () => {
  test('passes when the test expects the recorded value', () => {
    const result = testRules(RULES, recordingTest(0));
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  test('fails when the test expects another value', () => {
    const result = testRules(RULES, recordingTest(1));
    expect(result.ok).toBe(false);
    expect(result.output).toContain('exp: {__name__="job:up:sum", job="a"} 1E+00');
    expect(result.output).toContain('got: {__name__="job:up:sum", job="a"} 0E+00');
  });
});
