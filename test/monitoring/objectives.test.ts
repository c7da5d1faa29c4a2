import { Construct } from 'constructs';
import { GoMicroservice, PrometheusMonitorOptions } from '../../src';
import { gantryError, newChart, only, synth } from '../harness';
import { testRules } from '../support/promtool';

// An objective on a ratio of the service's own: failed jobs among all jobs of a worker.

const JOBS = {
  name: 'jobs',
  objective: 99,
  errorsQuery: 'sum by (namespace) (rate(jobs_failed_total{job="orders", namespace="shop"}[$window]))',
  totalQuery: 'sum by (namespace) (rate(jobs_total{job="orders", namespace="shop"}[$window]))',
};

function rules(options: PrometheusMonitorOptions): any[] {
  const { chart } = newChart({ namespace: 'shop' });
  new GoMicroservice(chart, 'orders', { image: 'ghcr.io/acme/orders:1.4.2' }).addMonitoring(options);
  return only(synth(chart), 'PrometheusRule').spec.groups[1].rules;
}

describe('RatioObjective', () => {
  const slo = rules({ ratios: [JOBS] });

  test('records the ratio per window, with the same budget and burn-rate alerts as the other objectives', () => {
    expect(slo.find((r) => r.record === 'slo:sli_error:ratio_rate1h')).toEqual({
      record: 'slo:sli_error:ratio_rate1h',
      expr: '(sum by (namespace) (rate(jobs_failed_total{job="orders", namespace="shop"}[1h]))) / (sum by (namespace) (rate(jobs_total{job="orders", namespace="shop"}[1h])))',
      labels: { slo: 'orders-jobs', service: 'orders' },
    });
    expect(slo.filter((r) => r.alert).map((r) => [r.alert, r.labels.slo])).toEqual([
      ['GoServiceErrorBudgetBurnPage', 'orders-jobs'], ['GoServiceErrorBudgetBurnTicket', 'orders-jobs'],
    ]);
  });

  test('pages when 20 % of jobs fail, and not when 1 % do (the budget itself)', () => {
    const page = (failedPerMinute: number, firing: boolean) => testRules({ groups: [{ name: 'x', rules: slo.map(({ annotations, ...r }) => r) }] }, [{
      interval: '1m',
      input_series: [
        { series: 'jobs_total{job="orders", namespace="shop"}', values: '0+100x120' },
        { series: 'jobs_failed_total{job="orders", namespace="shop"}', values: `0+${failedPerMinute}x120` },
      ],
      alert_rule_test: [{
        eval_time: '65m',
        alertname: 'GoServiceErrorBudgetBurnPage',
        exp_alerts: firing ? [{ exp_labels: { severity: 'critical', service: 'orders', slo: 'orders-jobs', namespace: 'shop' } }] : [],
      }],
    }]).output;
    expect(page(20, true)).toContain('SUCCESS');
    expect(page(1, false)).toContain('SUCCESS');
  });

  test.each([
    ['a query has no $window', { ratios: [{ ...JOBS, totalQuery: 'sum by (namespace) (rate(jobs_total[5m]))' }] },
      "PrometheusMonitor 'test/orders/Monitoring': 'ratios[0].totalQuery' (sum by (namespace) (rate(jobs_total[5m]))) has no $window, so every window would measure the same thing; write the range as [$window], such as sum by (namespace) (rate(jobs_failed_total[$window]))"],
    ['a query is not PromQL', { ratios: [{ ...JOBS, errorsQuery: 'sum(rate(jobs_failed_total[$window])' }] },
      "PrometheusMonitor 'test/orders/Monitoring': 'ratios[0].errorsQuery' (sum(rate(jobs_failed_total[5m])) is not valid PromQL (syntax error at character 32: 'end of expression'); fix the expression"],
    ['the name is not a DNS label', { ratios: [{ ...JOBS, name: 'Jobs OK' }] },
      "PrometheusMonitor 'test/orders/Monitoring': 'ratios[0].name' (Jobs OK) is not a valid Kubernetes name (lowercase letters, digits and '-', starting with a letter, at most 40 characters); use a name such as 'jobs-ok'"],
  ] as [string, PrometheusMonitorOptions, string][])('fails when %s', (_what, options, message) => {
    expect(gantryError((c: Construct) => new GoMicroservice(c, 'orders', { image: 'ghcr.io/acme/orders:1.4.2' }).addMonitoring(options)).message).toBe(message);
  });
});
