import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { renderDashboardSvg, sampleDashboard } from '../../scripts/dashboard-diagram';
import { AlertPresets, AlertSeverity, GoMicroservice, PrometheusMonitorOptions, ScrapeTarget } from '../../src';
import { gantryError, newChart, only, synth } from '../harness';
import { checkRules, testRules } from '../support/promtool';

const IMAGE = 'ghcr.io/acme/orders:1.4.2';

/** orders in namespace shop, with an HPA, monitored with `options`. */
function monitored(options: PrometheusMonitorOptions = {}): any[] {
  const { chart } = newChart({ namespace: 'shop' });
  const svc = new GoMicroservice(chart, 'orders', { image: IMAGE, autoscaling: { maxReplicas: 10 } });
  svc.addMonitoring(options);
  return synth(chart);
}

/** The rule file for promtool's unit tests: the alert logic (expr, for, labels); annotation templates are checked by `promtool check rules`. */
function ruleFile(objects: any[]): any {
  const spec = only(objects, 'PrometheusRule').spec;
  return { groups: spec.groups.map((g: any) => ({ ...g, rules: g.rules.map(({ annotations, ...r }: any) => r) })) };
}

const HTTP = 'job="orders", namespace="shop"';
const POD = 'namespace="shop", pod="orders-5d4f8b7c9-x2x7q", container="orders"';
const SCRAPED_POD = `${HTTP}, pod="orders-5d4f8b7c9-x2x7q"`;
const LIMIT = 268435456; // 256Mi
const requests = (okPerMinute: number, failedPerMinute: number, minutes = 200) => [
  { series: `http_requests_total{${HTTP}, code="200"}`, values: `0+${okPerMinute}x${minutes}` },
  { series: `http_requests_total{${HTTP}, code="500"}`, values: `0+${failedPerMinute}x${minutes}` },
];
const latency = (within1s: number) => [
  ...['0.5', '1'].map((le) => ({ series: `http_request_duration_seconds_bucket{${HTTP}, le="${le}"}`, values: `0+${le === '1' ? within1s : 0}x40` })),
  ...['2.5', '5', '+Inf'].map((le) => ({ series: `http_request_duration_seconds_bucket{${HTTP}, le="${le}"}`, values: '0+100x40' })),
];

interface AlertCase {
  alert: string;
  /** When to look, in minutes: after the `for` duration has passed. */
  at: number;
  fires: object[];
  silent: object[];
  labels: object;
}

const service = { service: 'orders' };
const CASES: AlertCase[] = [
  { alert: 'GoServiceHighErrorRate', at: 20, fires: requests(94, 6), silent: requests(951, 49), labels: { severity: 'critical', ...service, namespace: 'shop' } },
  { alert: 'GoServiceHighLatency', at: 20, fires: latency(96), silent: latency(98), labels: { severity: 'warning', ...service, namespace: 'shop' } },
  {
    alert: 'GoServiceTrafficStopped',
    at: 85,
    // 10 requests a second for an hour, then none; silent: a fall to 20 % of it.
    fires: [{ series: `http_requests_total{${HTTP}, code="200"}`, values: '0+600x60 36000x40' }],
    silent: [{ series: `http_requests_total{${HTTP}, code="200"}`, values: '0+600x60 36000+120x40' }],
    labels: { severity: 'warning', ...service, namespace: 'shop' },
  },
  {
    alert: 'GoServiceCpuNearLimit',
    at: 15,
    fires: [{ series: `container_cpu_usage_seconds_total{${POD}}`, values: '0+54x40' }, { series: `kube_pod_container_resource_limits{${POD}, resource="cpu"}`, values: '1x40' }],
    silent: [{ series: `container_cpu_usage_seconds_total{${POD}}`, values: '0+50.4x40' }, { series: `kube_pod_container_resource_limits{${POD}, resource="cpu"}`, values: '1x40' }],
    labels: { severity: 'warning', ...service, namespace: 'shop', pod: 'orders-5d4f8b7c9-x2x7q' },
  },
  {
    alert: 'GoServiceMemoryNearLimit',
    at: 15,
    fires: [{ series: `container_memory_working_set_bytes{${POD}}`, values: `${Math.round(LIMIT * 0.91)}x30` }, { series: `kube_pod_container_resource_limits{${POD}, resource="memory"}`, values: `${LIMIT}x30` }],
    silent: [{ series: `container_memory_working_set_bytes{${POD}}`, values: `${Math.round(LIMIT * 0.89)}x30` }, { series: `kube_pod_container_resource_limits{${POD}, resource="memory"}`, values: `${LIMIT}x30` }],
    labels: { severity: 'warning', ...service, namespace: 'shop', pod: 'orders-5d4f8b7c9-x2x7q' },
  },
  {
    alert: 'GoServiceCpuThrottled',
    at: 25,
    fires: [{ series: `container_cpu_cfs_throttled_periods_total{${POD}}`, values: '0+26x40' }, { series: `container_cpu_cfs_periods_total{${POD}}`, values: '0+100x40' }],
    silent: [{ series: `container_cpu_cfs_throttled_periods_total{${POD}}`, values: '0+24x40' }, { series: `container_cpu_cfs_periods_total{${POD}}`, values: '0+100x40' }],
    labels: { severity: 'warning', ...service, namespace: 'shop', pod: 'orders-5d4f8b7c9-x2x7q' },
  },
  {
    alert: 'GoServiceRestarting',
    at: 20,
    fires: [{ series: `kube_pod_container_status_restarts_total{${POD}}`, values: '0x10 3x30' }],
    silent: [{ series: `kube_pod_container_status_restarts_total{${POD}}`, values: '0x10 1x30' }],
    labels: { severity: 'warning', ...service, namespace: 'shop', pod: 'orders-5d4f8b7c9-x2x7q', container: 'orders' },
  },
  {
    alert: 'GoServiceOomKilled',
    at: 15,
    fires: [{ series: `kube_pod_container_status_last_terminated_reason{${POD}, reason="OOMKilled"}`, values: '1x30' }, { series: `kube_pod_container_status_restarts_total{${POD}}`, values: '0x10 1x20' }],
    silent: [{ series: `kube_pod_container_status_last_terminated_reason{${POD}, reason="OOMKilled"}`, values: '1x30' }, { series: `kube_pod_container_status_restarts_total{${POD}}`, values: '1x30' }],
    labels: { severity: 'warning', ...service, namespace: 'shop', pod: 'orders-5d4f8b7c9-x2x7q', container: 'orders', reason: 'OOMKilled' },
  },
  {
    alert: 'GoServiceCrashLooping',
    at: 20,
    fires: [{ series: `kube_pod_container_status_waiting_reason{${POD}, reason="CrashLoopBackOff"}`, values: '1x30' }],
    silent: [{ series: `kube_pod_container_status_waiting_reason{${POD}, reason="CrashLoopBackOff"}`, values: '0x30' }],
    labels: { severity: 'warning', ...service, namespace: 'shop', pod: 'orders-5d4f8b7c9-x2x7q', container: 'orders', reason: 'CrashLoopBackOff' },
  },
  {
    alert: 'GoServiceTargetsDown',
    at: 10,
    fires: [{ series: `up{${SCRAPED_POD}}`, values: '0x20' }],
    silent: [{ series: `up{${SCRAPED_POD}}`, values: '1x20' }],
    labels: { severity: 'critical', ...service, job: 'orders', namespace: 'shop' },
  },
  {
    alert: 'GoServiceReplicasUnavailable',
    at: 15,
    fires: [{ series: 'kube_deployment_status_replicas_unavailable{namespace="shop", deployment="orders"}', values: '1x30' }],
    silent: [{ series: 'kube_deployment_status_replicas_unavailable{namespace="shop", deployment="orders"}', values: '0x30' }],
    labels: { severity: 'warning', ...service, namespace: 'shop', deployment: 'orders' },
  },
  {
    alert: 'GoServiceRolloutStuck',
    at: 5,
    fires: [{ series: 'kube_deployment_status_condition{namespace="shop", deployment="orders", condition="Progressing", status="false"}', values: '1x10' }],
    silent: [{ series: 'kube_deployment_status_condition{namespace="shop", deployment="orders", condition="Progressing", status="false"}', values: '0x10' }],
    labels: { severity: 'critical', ...service, namespace: 'shop', deployment: 'orders', condition: 'Progressing', status: 'false' },
  },
  {
    alert: 'GoServiceAutoscalerAtMax',
    at: 20,
    fires: [{ series: 'kube_horizontalpodautoscaler_status_current_replicas{namespace="shop", horizontalpodautoscaler="orders"}', values: '10x30' }, { series: 'kube_horizontalpodautoscaler_spec_max_replicas{namespace="shop", horizontalpodautoscaler="orders"}', values: '10x30' }],
    silent: [{ series: 'kube_horizontalpodautoscaler_status_current_replicas{namespace="shop", horizontalpodautoscaler="orders"}', values: '9x30' }, { series: 'kube_horizontalpodautoscaler_spec_max_replicas{namespace="shop", horizontalpodautoscaler="orders"}', values: '10x30' }],
    labels: { severity: 'warning', ...service, namespace: 'shop', horizontalpodautoscaler: 'orders' },
  },
  {
    alert: 'GoServiceTooManyGoroutines',
    at: 20,
    fires: [{ series: `go_goroutines{${SCRAPED_POD}}`, values: '10001x30' }],
    silent: [{ series: `go_goroutines{${SCRAPED_POD}}`, values: '9999x30' }],
    labels: { severity: 'warning', ...service, namespace: 'shop', pod: 'orders-5d4f8b7c9-x2x7q' },
  },
  {
    // A leak of 2 goroutines a minute (120 an hour) for 3 hours fires; silent: load that doubles at once (a step).
    alert: 'GoServiceGoroutinesGrowing',
    at: 180,
    fires: [{ series: `go_goroutines{${SCRAPED_POD}}`, values: '600+2x200' }],
    silent: [{ series: `go_goroutines{${SCRAPED_POD}}`, values: '600x60 1200x140' }],
    labels: { severity: 'warning', ...service, namespace: 'shop', pod: 'orders-5d4f8b7c9-x2x7q' },
  },
  {
    alert: 'GoServiceGcPauses',
    at: 25,
    fires: [{ series: `go_gc_duration_seconds_sum{${SCRAPED_POD}}`, values: '0+3.06x40' }],
    silent: [{ series: `go_gc_duration_seconds_sum{${SCRAPED_POD}}`, values: '0+2.94x40' }],
    labels: { severity: 'warning', ...service, namespace: 'shop', pod: 'orders-5d4f8b7c9-x2x7q' },
  },
  {
    alert: 'GoServiceHeapNearMemoryLimit',
    at: 20,
    fires: [{ series: `go_memstats_heap_inuse_bytes{${SCRAPED_POD}}`, values: `${Math.round(LIMIT * 0.91)}x30` }, { series: `kube_pod_container_resource_limits{${POD}, resource="memory"}`, values: `${LIMIT}x30` }],
    silent: [{ series: `go_memstats_heap_inuse_bytes{${SCRAPED_POD}}`, values: `${Math.round(LIMIT * 0.89)}x30` }, { series: `kube_pod_container_resource_limits{${POD}, resource="memory"}`, values: `${LIMIT}x30` }],
    labels: { severity: 'warning', ...service, namespace: 'shop', pod: 'orders-5d4f8b7c9-x2x7q' },
  },
];

/** A unit test: `inputs` for `minutes`, and what `alert` should be at `at` minutes. */
function unitTest(inputs: object[], alert: string, at: number, expected: object[]): object {
  return {
    interval: '1m',
    input_series: inputs,
    alert_rule_test: [{ eval_time: `${at}m`, alertname: alert, exp_alerts: expected }],
  };
}

describe('PrometheusMonitor', () => {
  const objects = monitored({ availability: { objective: 99.9 } });

  test('a ServiceMonitor, a PrometheusRule and a dashboard, selected by Prometheus', () => {
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['ServiceMonitor', 'PrometheusRule', 'ConfigMap']));
    const sm = only(objects, 'ServiceMonitor');
    expect(sm).toMatchSnapshot();
    const svc = only(objects, 'Service');
    // The ServiceMonitor selects the Service by its labels, and its port by name.
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) expect(svc.metadata.labels[k]).toBe(v);
    expect(svc.spec.ports.map((p: any) => p.name)).toContain(sm.spec.endpoints[0].port);
    expect(sm.spec.endpoints[0]).toEqual({ port: 'metrics', path: '/metrics', interval: '30s', scrapeTimeout: '10s' });
    expect(sm.spec.namespaceSelector).toEqual({ matchNames: ['shop'] });
    expect(sm.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(only(objects, 'PrometheusRule').metadata.labels.release).toBe('kube-prometheus-stack');
    const dashboard = only(objects, 'ConfigMap', 'orders-dashboard');
    expect(dashboard.metadata.labels.grafana_dashboard).toBe('1');
    const model = JSON.parse(dashboard.data['orders.json']);
    expect(model.panels.filter((p: any) => p.type === 'row').map((p: any) => p.title))
      .toEqual(['Traffic, errors, latency', 'Saturation', 'Go runtime', 'Service level objectives']);
    expect(model.panels.filter((p: any) => p.type !== 'row').map((p: any) => p.title)).toEqual([
      'Request rate', 'Error ratio', 'Latency percentiles', 'CPU of limit', 'Memory of limit', 'CPU throttling', 'Goroutines', 'GC pause time', 'Heap of GOMEMLIMIT',
      'Error budget left: orders-availability', 'Burn rate (1h)',
    ]);
    // The SLO panels read the recorded series of this service's objective, in its namespace.
    const slo = model.panels.find((p: any) => p.title === 'Burn rate (1h)');
    expect(slo.targets.map((t: any) => t.expr)).toEqual(['slo:sli_error:ratio_rate1h{slo="orders-availability", namespace="shop"} / 0.001']);
  });

  test('a PodMonitor scrapes the pods by container port name, with the service name as job', () => {
    const pm = only(monitored({ scrapeTarget: ScrapeTarget.POD, interval: Duration.seconds(15) }), 'PodMonitor');
    const deployment = only(objects, 'Deployment');
    expect(pm.spec).toEqual({
      selector: { matchLabels: deployment.spec.selector.matchLabels },
      namespaceSelector: { matchNames: ['shop'] },
      jobLabel: 'app.kubernetes.io/name',
      podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '15s', scrapeTimeout: '10s' }],
    });
    expect(deployment.spec.template.spec.containers[0].ports.map((p: any) => p.name)).toContain('metrics');
    expect(deployment.spec.template.metadata.labels[pm.spec.jobLabel]).toBe('orders');
  });

  test('every alert carries severity, summary, description and a runbook', () => {
    const rules = only(objects, 'PrometheusRule').spec.groups.flatMap((g: any) => g.rules).filter((r: any) => r.alert);
    expect(rules.map((r: any) => r.alert)).toEqual([...CASES.map((c) => c.alert), 'GoServiceErrorBudgetBurnPage', 'GoServiceErrorBudgetBurnTicket']);
    for (const r of rules) {
      expect(Object.keys(r.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(r.annotations.runbook_url).toBe(`https://github.com/gantry-dev/cdk8s-gantry/blob/main/docs/runbooks.md#${r.alert.toLowerCase()}`);
      expect(['critical', 'warning']).toContain(r.labels.severity);
    }
  });

  test('promtool check rules passes on the generated rule file', () => {
    const result = checkRules({ groups: only(objects, 'PrometheusRule').spec.groups });
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  test.each(CASES)('$alert fires when its condition holds for its duration, and stays silent just below', (c) => {
    const rules = ruleFile(objects);
    const fired = testRules(rules, [unitTest(c.fires, c.alert, c.at, [{ exp_labels: { alertname: c.alert, ...c.labels } }])]);
    expect(fired.output).toContain('SUCCESS');
    expect(fired.ok).toBe(true);
    const silent = testRules(rules, [unitTest(c.silent, c.alert, c.at, [])]);
    expect(silent.output).toContain('SUCCESS');
    expect(silent.ok).toBe(true);
    // ... and the test itself can fail: expecting the opposite is reported.
    expect(testRules(rules, [unitTest(c.silent, c.alert, c.at, [{ exp_labels: { alertname: c.alert, ...c.labels } }])]).ok).toBe(false);
  });

  test('GoServiceGoroutinesGrowing stays silent when load ramps up over an hour and levels off', () => {
    const ramp = [{ series: `go_goroutines{${SCRAPED_POD}}`, values: '600x30 600+10x60 1200x110' }];
    expect(testRules(ruleFile(objects), [unitTest(ramp, 'GoServiceGoroutinesGrowing', 200, [])]).output).toContain('SUCCESS');
  });

  test('GoServiceTrafficStopped stays silent in the quiet gaps of a service that is seldom called', () => {
    // Half a request a second, then nothing for 40 minutes.
    const quiet = [{ series: `http_requests_total{${HTTP}, code="200"}`, values: '0+30x60 1800x40' }];
    expect(testRules(ruleFile(objects), [unitTest(quiet, 'GoServiceTrafficStopped', 85, [])]).output).toContain('SUCCESS');
  });

  test.each(CASES.filter((c) => c.alert !== 'GoServiceTargetsDown').map((c) => c.alert))('%s stays silent with no traffic and no series', (alert) => {
    // An idle service (no requests, so no request series) must not alert; only GoServiceTargetsDown speaks of absence.
    const idle = [{ series: `up{${SCRAPED_POD}}`, values: '1x200' }];
    expect(testRules(ruleFile(objects), [unitTest(idle, alert, 190, [])]).output).toContain('SUCCESS');
  });

  test('the SLO burn-rate alerts stay silent with no traffic', () => {
    const idle = [{ series: `http_requests_total{${HTTP}, code="200"}`, values: '0x200' }, { series: `http_requests_total{${HTTP}, code="500"}`, values: '0x200' }];
    for (const alert of ['GoServiceErrorBudgetBurnPage', 'GoServiceErrorBudgetBurnTicket']) {
      expect(testRules(ruleFile(objects), [unitTest(idle, alert, 190, [])]).output).toContain('SUCCESS');
    }
  });

  test('GoServiceTargetsDown also fires when Prometheus scrapes no target at all', () => {
    const result = testRules(ruleFile(objects), [unitTest([{ series: 'up{job="payments", namespace="shop"}', values: '1x20' }], 'GoServiceTargetsDown', 10,
      [{ exp_labels: { alertname: 'GoServiceTargetsDown', severity: 'critical', service: 'orders', job: 'orders', namespace: 'shop' } }])]);
    expect(result.output).toContain('SUCCESS');
  });

  test('alongside kubernetes-mixin, the alerts it raises too are left out, unless tuned', () => {
    const alerts = (options: PrometheusMonitorOptions) => only(monitored(options), 'PrometheusRule').spec.groups[0].rules.map((r: any) => r.alert);
    const mixin = ['GoServiceCpuThrottled', 'GoServiceRestarting', 'GoServiceCrashLooping', 'GoServiceReplicasUnavailable', 'GoServiceRolloutStuck',
      'GoServiceAutoscalerAtMax'];
    expect(alerts({})).toEqual(expect.arrayContaining(mixin));
    const alongside = alerts({ alongsideKubernetesMixin: true });
    expect(alongside.filter((a: string) => mixin.includes(a))).toEqual([]);
    expect(alongside).toContain('GoServiceOomKilled');
    expect(alerts({ alongsideKubernetesMixin: true, alerts: { cpuThrottling: { threshold: 0.5 } } })).toContain('GoServiceCpuThrottled');
  });

  test('a firing condition that has not lasted its duration does not fire yet', () => {
    const c = CASES.find((x) => x.alert === 'GoServiceTooManyGoroutines')!;
    expect(testRules(ruleFile(objects), [unitTest(c.fires, c.alert, 10, [])]).ok).toBe(true);
  });

  describe('SLO burn-rate alerts (99.9%: budget 0.001)', () => {
    const burn = (errorRatio: number) => requests(+(1000 * (1 - errorRatio)).toFixed(3), +(1000 * errorRatio).toFixed(3), 120);
    const page = 'GoServiceErrorBudgetBurnPage';
    const ticket = 'GoServiceErrorBudgetBurnTicket';
    const labels = { service: 'orders', slo: 'orders-availability', namespace: 'shop' };
    const expectAlerts = (ratio: number, at: number, alert: string, firing: boolean) => {
      const expected = firing ? [{ exp_labels: { alertname: alert, severity: alert === page ? 'critical' : 'warning', ...labels } }] : [];
      const result = testRules(ruleFile(objects), [unitTest(burn(ratio), alert, at, expected)]);
      expect(result.output).toContain('SUCCESS');
    };

    test('pages at 14.4x over 1h and 5m', () => expectAlerts(0.015, 65, page, true));
    test('pages at 6x over 6h and 30m', () => expectAlerts(0.0065, 65, page, true));
    test('does not page just below 6x', () => expectAlerts(0.0059, 65, page, false));
    test('opens a ticket at 3x over 1d and 2h', () => expectAlerts(0.0035, 65, ticket, true));
    test('opens a ticket at 1x over 3d and 6h', () => expectAlerts(0.0011, 65, ticket, true));
    test('stays silent just below the budget', () => {
      expectAlerts(0.00095, 65, ticket, false);
      expectAlerts(0.00095, 65, page, false);
    });

    test('records the error ratio per window and the remaining budget', () => {
      const result = testRules(ruleFile(objects), [{
        interval: '1m',
        input_series: burn(0.0005),
        promql_expr_test: [
          { expr: 'slo:sli_error:ratio_rate5m{slo="orders-availability"}', eval_time: '30m', exp_samples: [{ labels: 'slo:sli_error:ratio_rate5m{namespace="shop", service="orders", slo="orders-availability"}', value: 0.0005 }] },
          { expr: 'slo:error_budget_remaining:ratio{slo="orders-availability"}', eval_time: '30m', exp_samples: [{ labels: 'slo:error_budget_remaining:ratio{namespace="shop", service="orders", slo="orders-availability"}', value: 0.5 }] },
        ],
      }]);
      expect(result.output).toContain('SUCCESS');
    });
  });

  describe('burn-rate factors follow the SLO period', () => {
    const pageOf = (period: Duration) => only(monitored({ availability: { objective: 99.9, period } }), 'PrometheusRule').spec.groups[1].rules
      .filter((r: any) => r.alert).map((r: any) => [...r.expr.matchAll(/> \(([0-9.]+) \* /g)].map((m) => Number(m[1])));

    test('30 days: the SRE workbook\'s 14.4, 6, 3 and 1', () => {
      expect(pageOf(Duration.days(30))).toEqual([[14.4, 14.4, 6, 6], [3, 3, 1, 1]]);
    });

    test('7 days: the same budget shares in the same windows, 3.36, 1.4, 0.7 and 0.2333', () => {
      expect(pageOf(Duration.days(7))).toEqual([[3.36, 3.36, 1.4, 1.4], [0.7, 0.7, 0.2333, 0.2333]]);
    });

    test('a 7-day SLO pages when 2 % of its budget burns in an hour, and not just below', () => {
      const weekly = monitored({ availability: { objective: 99.9, period: Duration.days(7) } });
      const page = (ratio: number, firing: boolean) => testRules(ruleFile(weekly), [unitTest(
        requests(+(1000 * (1 - ratio)).toFixed(3), +(1000 * ratio).toFixed(3), 120), 'GoServiceErrorBudgetBurnPage', 65,
        firing ? [{ exp_labels: { alertname: 'GoServiceErrorBudgetBurnPage', severity: 'critical', service: 'orders', slo: 'orders-availability', namespace: 'shop' } }] : [])]);
      // 3.36 x 0.001 = 0.00336: a 30-day SLO would not page at 0.0035, a 7-day one must.
      expect(page(0.0035, true).output).toContain('SUCCESS');
      expect(page(0.0013, false).output).toContain('SUCCESS');
    });

    test('an info series carries the objective and the period', () => {
      const info = only(monitored({ availability: { objective: 99.5, period: Duration.days(28) } }), 'PrometheusRule').spec.groups[1].rules
        .find((r: any) => r.record === 'slo:info');
      expect(info).toEqual({
        record: 'slo:info', expr: 'vector(1)', labels: { slo: 'orders-availability', service: 'orders', namespace: 'shop', objective: '99.5', period: '28d' },
      });
    });
  });

  describe('latency SLO (99% under 250ms: budget 0.01)', () => {
    const latencyObjects = monitored({ latency: { objective: 99, threshold: Duration.millis(250) } });
    const slow = (ratio: number) => [
      { series: `http_request_duration_seconds_bucket{${HTTP}, le="0.25"}`, values: `0+${+(100 * (1 - ratio)).toFixed(3)}x120` },
      { series: `http_request_duration_seconds_count{${HTTP}}`, values: '0+100x120' },
    ];
    const page = (ratio: number, firing: boolean) => testRules(ruleFile(latencyObjects), [unitTest(slow(ratio), 'GoServiceErrorBudgetBurnPage', 65,
      firing ? [{ exp_labels: { alertname: 'GoServiceErrorBudgetBurnPage', severity: 'critical', service: 'orders', slo: 'orders-latency', namespace: 'shop' } }] : [])]);

    test('records slow requests as errors, from the histogram bucket at the threshold', () => {
      const rule = only(latencyObjects, 'PrometheusRule').spec.groups[1].rules[0];
      expect(rule).toEqual({
        record: 'slo:sli_error:ratio_rate5m',
        expr: '1 - (sum by (namespace) (rate(http_request_duration_seconds_bucket{job="orders", namespace="shop", le="0.25"}[5m])) / sum by (namespace) (rate(http_request_duration_seconds_count{job="orders", namespace="shop"}[5m])))',
        labels: { slo: 'orders-latency', service: 'orders' },
      });
      expect(checkRules({ groups: only(latencyObjects, 'PrometheusRule').spec.groups }).ok).toBe(true);
    });
    test('pages when 20% of requests are slow', () => expect(page(0.2, true).output).toContain('SUCCESS'));
    test('does not page just below 6x', () => expect(page(0.059, false).output).toContain('SUCCESS'));
  });

  test('alerts are tunable: threshold, duration, severity, off', () => {
    const alerts: AlertPresets = {
      errorRate: { threshold: 0.01, for: Duration.minutes(2), severity: AlertSeverity.WARNING },
      goroutines: { enabled: false },
    };
    const rules = only(monitored({ alerts }), 'PrometheusRule').spec.groups[0].rules;
    const errorRate = rules.find((r: any) => r.alert === 'GoServiceHighErrorRate');
    expect(errorRate.expr.endsWith('> 0.01')).toBe(true);
    expect(errorRate.for).toBe('2m');
    expect(errorRate.labels.severity).toBe('warning');
    expect(rules.map((r: any) => r.alert)).not.toContain('GoServiceTooManyGoroutines');
    const tuned = testRules(ruleFile([{ kind: 'PrometheusRule', spec: { groups: [{ name: 'x', rules }] } }]),
      [unitTest(requests(98, 2), 'GoServiceHighErrorRate', 10, [{ exp_labels: { alertname: 'GoServiceHighErrorRate', severity: 'warning', service: 'orders', namespace: 'shop' } }])]);
    expect(tuned.output).toContain('SUCCESS');
  });

  test('an alert that fires at once has no \'for\' (never `0d`)', () => {
    const rules = only(monitored(), 'PrometheusRule').spec.groups[0].rules;
    const immediate = rules.filter((r: any) => ['GoServiceRestarting', 'GoServiceOomKilled'].includes(r.alert));
    expect(immediate.map((r: any) => r.for)).toEqual([undefined, undefined]);
    expect(rules.filter((r: any) => r.for !== undefined).every((r: any) => /^[1-9][0-9]*[smhd]$/.test(r.for))).toBe(true);
  });

  test('metric names are configurable', () => {
    const rules = only(monitored({ metricNames: { requestsTotal: 'grpc_server_handled_total', codeLabel: 'grpc_code' } }), 'PrometheusRule').spec.groups[0].rules;
    expect(rules[0].expr).toContain('grpc_server_handled_total{job="orders", namespace="shop", grpc_code=~"5.."}');
  });

  test.each([
    ['a threshold is out of range', { alerts: { errorRate: { threshold: 5 } } },
      "PrometheusMonitor 'test/orders/Monitoring': 'alerts.errorRate.threshold' (5) is out of range for this alert (ratio, from 0.0001 to 1); use a value such as 0.05"],
    ['a threshold is given to an alert without one', { alerts: { oomKills: { threshold: 1 } } },
      "PrometheusMonitor 'test/orders/Monitoring': 'alerts.oomKills.threshold' (1) does not apply: this alert has no threshold; remove it"],
    ['the metrics port does not exist', { port: 'prometheus' },
      "PrometheusMonitor 'test/orders/Monitoring': 'port' (prometheus) is not a port of service orders (it has http, metrics); use its metrics port name, 'metrics'"],
    ['a metric name breaks the expression', { metricNames: { requestsTotal: 'http requests' } },
      "PrometheusMonitor 'test/orders/Monitoring': 'alerts.errorRate' (sum by (namespace) (rate(http requests{job=\"orders\", code=~\"5..\"}[5m])) / sum by (namespace) (rate(http requests{job=\"orders\"}[5m])) > 0.05) is not valid PromQL (syntax error at character 31: 'requests{job=\"orders'); fix the expression"],
    ['the objective is not a percentage', { availability: { objective: 0.999 * 1000 } },
      "PrometheusMonitor 'test/orders/Monitoring': 'availability.objective' (999) must be a percentage between 0 and 100, exclusive; use a value such as 99.9"],
    ['the scrape timeout exceeds the interval', { interval: Duration.seconds(15), scrapeTimeout: Duration.seconds(20) },
      "PrometheusMonitor 'test/orders/Monitoring': 'scrapeTimeout' (20s) is longer than the scrape interval (15s); use at most Duration.seconds(15)"],
    ['the objective is given as a fraction', { availability: { objective: 0.999 } },
      "PrometheusMonitor 'test/orders/Monitoring': 'availability.objective' (0.999) looks like a fraction, but objectives are percentages; write it in percent: 99.9"],
    ['a severity is not one (plain JavaScript)', { alerts: { latency: { severity: 'page' as AlertSeverity } } },
      "PrometheusMonitor 'test/orders/Monitoring': 'alerts.latency.severity' (page) is not an AlertSeverity value ('critical', 'warning', 'info'); use one of AlertSeverity.CRITICAL, AlertSeverity.WARNING, AlertSeverity.INFO"],
    ['a selector label key is invalid', { prometheusSelector: { 'release name': 'kps' } },
      "PrometheusMonitor 'test/orders/Monitoring': 'prometheusSelector.release name' (release name) is not a valid label key (an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.'); use a key such as 'release' or 'example.com/team'"],
    ['a relabeling regex does not compile', { relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_name'], regex: 'orders-(.*' }] },
      "PrometheusMonitor 'test/orders/Monitoring': 'relabelings[0].regex' (orders-(.*) does not compile (/^(?:orders-(.*)$/: Unterminated group); fix the expression; Prometheus anchors it at both ends"],
    ['a relabeling action is unknown', { relabelings: [{ action: 'rename' }] },
      "PrometheusMonitor 'test/orders/Monitoring': 'relabelings[0].action' (rename) is not a relabeling action; use one of: replace, keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase"],
    ['an alert waits a fraction of a second', { alerts: { latency: { for: Duration.millis(1500) } } },
      "PrometheusMonitor 'test/orders/Monitoring': 'alerts.latency.for' (1.5s) must be a whole number of seconds from 0 to 31622400; use a value such as Duration.seconds(2)"],
    ['the SLO period is shorter than the longest burn-rate window', { availability: { objective: 99.9, period: Duration.days(1) } },
      "PrometheusMonitor 'test/orders/Monitoring': 'availability.period' (1d) is shorter than the longest burn-rate window (3d), so the ticket alert could never see it; use a period of at least Duration.days(3), such as Duration.days(30)"],
  ] as [string, PrometheusMonitorOptions, string][])('fails when %s', (_what, options, message) => {
    expect(gantryError((c: Construct) => new GoMicroservice(c, 'orders', { image: IMAGE }).addMonitoring(options)).message).toBe(message);
  });
});

describe('PrometheusMonitor docs', () => {
  test('docs/dashboard.svg shows the dashboard the code makes', () => {
    expect(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'dashboard.svg'), 'utf8')).toBe(renderDashboardSvg(sampleDashboard()));
  });

  test('every alert\'s runbook_url has a section in docs/runbooks.md', () => {
    const runbooks = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'runbooks.md'), 'utf8');
    const anchors = new Set([...runbooks.matchAll(/^## (\S+)$/gm)].map((m) => m[1].toLowerCase()));
    const rules = only(monitored({ availability: { objective: 99 } }), 'PrometheusRule').spec.groups.flatMap((g: any) => g.rules).filter((r: any) => r.alert);
    expect(rules.length).toBe(19);
    for (const r of rules) expect(anchors).toContain(r.annotations.runbook_url.split('#')[1]);
  });
});
