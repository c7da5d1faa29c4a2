import { GoMicroservice, IstioCanary } from '../../src';
import { newChart, only, synth } from '../harness';
import { testRules } from '../support/promtool';

// The rollback rule, proven with the real promtool: on synthetic series of a canary's pods, the AnalysisTemplate's
// own queries give a failing value at 6 % errors or a p99 of 3 s, and a passing one at 4 % and 1 s. The stable
// version's pods fail badly all along: the queries must not see them.

const HASH = '5d4f8b7c9';
const CANARY_POD = `orders-${HASH}-x2x7q`;
const STABLE_POD = 'orders-7f6c5b4a3-k9k2m';
const HTTP = 'job="orders", namespace="shop"';

function analysisMetrics(): any[] {
  const { chart } = newChart({ namespace: 'shop' });
  const orders = new GoMicroservice(chart, 'orders', { image: 'ghcr.io/acme/orders:1.4.2' });
  orders.addMonitoring();
  new IstioCanary(chart, 'orders-canary', { service: orders, rollout: {} });
  return only(synth(chart), 'AnalysisTemplate').spec.metrics;
}

/** The metric's query as the AnalysisRun sends it, and its threshold (from the successCondition). */
function measurement(metric: any): { query: string; max: number } {
  const max = Number(/result\[0\] <= ([0-9.]+)$/.exec(metric.successCondition)![1]);
  return { query: metric.provider.prometheus.query.replace(/\{\{args\.pod-template-hash\}\}/g, HASH), max };
}

/** Requests per minute of the canary (ok, failed), and of the stable version, which fails half of them. */
function requests(ok: number, failed: number): object[] {
  return [
    { series: `http_requests_total{${HTTP}, pod="${CANARY_POD}", code="200"}`, values: `0+${ok}x10` },
    { series: `http_requests_total{${HTTP}, pod="${CANARY_POD}", code="500"}`, values: `0+${failed}x10` },
    { series: `http_requests_total{${HTTP}, pod="${STABLE_POD}", code="200"}`, values: '0+50x10' },
    { series: `http_requests_total{${HTTP}, pod="${STABLE_POD}", code="500"}`, values: '0+50x10' },
  ];
}

/** Cumulative duration buckets per minute of the canary; the stable version answers everything in 10 s. */
function durations(buckets: { [le: string]: number }): object[] {
  return [
    ...Object.entries(buckets).map(([le, n]) => ({ series: `http_request_duration_seconds_bucket{${HTTP}, pod="${CANARY_POD}", le="${le}"}`, values: `0+${n}x10` })),
    ...['0.5', '1', '2.5', '5'].map((le) => ({ series: `http_request_duration_seconds_bucket{${HTTP}, pod="${STABLE_POD}", le="${le}"}`, values: '0+0x10' })),
    { series: `http_request_duration_seconds_bucket{${HTTP}, pod="${STABLE_POD}", le="+Inf"}`, values: '0+100x10' },
  ];
}

/** Whether the measurement passes (1) or fails (0), as promtool evaluates the query against the threshold. */
function verdict(m: { query: string; max: number }, series: object[], passes: boolean): void {
  const result = testRules({ groups: [] }, [{
    interval: '1m',
    input_series: series,
    promql_expr_test: [{ expr: `(${m.query}) <= bool ${m.max}`, eval_time: '10m', exp_samples: [{ labels: '{namespace="shop"}', value: passes ? 1 : 0 }] }],
  }]);
  expect(result.output).toContain('SUCCESS');
  expect(result.ok).toBe(true);
}

describe('canary analysis (promtool)', () => {
  const [errorRatio, p99] = analysisMetrics().map(measurement);

  test('the thresholds are the rollback rule', () => {
    expect([errorRatio.max, p99.max]).toEqual([0.05, 2]);
  });

  test('6 % errors fail, 4 % pass', () => {
    verdict(errorRatio, requests(94, 6), false);
    verdict(errorRatio, requests(96, 4), true);
  });

  test('a p99 of 3 s fails, 1 s passes', () => {
    // 800 requests a minute: 790 under 2.5 s, 10 between 2.5 and 5 s: the 99th is 3 s by Prometheus's interpolation.
    verdict(p99, durations({ '0.5': 0, '1': 0, '2.5': 790, '5': 800, '+Inf': 800 }), false);
    // 100 a minute: 90 under 0.5 s, 99 under 1 s: the 99th is 1 s.
    verdict(p99, durations({ '0.5': 90, '1': 99, '2.5': 100, '5': 100, '+Inf': 100 }), true);
  });

  test('the queries see the canary\'s pods only, and no traffic gives no result (which passes)', () => {
    const result = testRules({ groups: [] }, [{
      interval: '1m',
      input_series: requests(0, 0).slice(2),
      promql_expr_test: [{ expr: errorRatio.query, eval_time: '10m', exp_samples: [] }],
    }]);
    expect(result.ok).toBe(true);
  });
});
