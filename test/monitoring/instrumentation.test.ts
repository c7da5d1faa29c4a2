import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { GoMicroservice, Instrumentation, PrometheusMonitorOptions } from '../../src';
import { gantryError, newChart, only, synth } from '../harness';
import { testRules } from '../support/promtool';

// What a Go team picks to instrument with decides the names the monitoring reads, the codes that count as errors and
// the buckets a latency objective can use.

const HTTP = 'job="orders", namespace="shop"';

function rulesOf(options: PrometheusMonitorOptions): any[] {
  const { chart } = newChart({ namespace: 'shop' });
  new GoMicroservice(chart, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', grpcPort: 9000 }).addMonitoring(options);
  return only(synth(chart), 'PrometheusRule').spec.groups.flatMap((g: any) => g.rules);
}

const expr = (rules: any[], alert: string) => rules.find((r) => r.alert === alert).expr;

describe('Instrumentation', () => {
  test('promhttp (the default): http_requests_total by code, 5xx', () => {
    expect(expr(rulesOf({}), 'GoServiceHighErrorRate')).toBe(expr(rulesOf({ instrumentation: Instrumentation.promhttp() }), 'GoServiceHighErrorRate'));
    expect(expr(rulesOf({}), 'GoServiceHighErrorRate')).toBe(
      `sum by (namespace) (rate(http_requests_total{${HTTP}, code=~"5.."}[5m])) / sum by (namespace) (rate(http_requests_total{${HTTP}}[5m])) > 0.05`);
  });

  test('OpenTelemetry: the duration histogram\'s count, by http_response_status_code', () => {
    const rules = rulesOf({ instrumentation: Instrumentation.openTelemetryHttp() });
    expect(expr(rules, 'GoServiceHighErrorRate')).toContain('http_server_request_duration_seconds_count{job="orders", namespace="shop", http_response_status_code=~"5.."}');
    expect(expr(rules, 'GoServiceHighLatency')).toContain('http_server_request_duration_seconds_bucket');
  });

  test('go-grpc-middleware: grpc_server_handled_total, and only the codes that mean the server failed are errors', () => {
    const rules = rulesOf({ instrumentation: Instrumentation.grpcMiddleware(), availability: { objective: 99.9 } });
    const unitTest = (failing: string) => testRules({ groups: [{ name: 'x', rules: rules.filter((r) => r.alert === 'GoServiceHighErrorRate').map(({ annotations, ...r }) => r) }] }, [{
      interval: '1m',
      input_series: [
        { series: `grpc_server_handled_total{${HTTP}, grpc_code="OK"}`, values: '0+90x20' },
        { series: `grpc_server_handled_total{${HTTP}, grpc_code="${failing}"}`, values: '0+10x20' },
      ],
      alert_rule_test: [{
        eval_time: '15m',
        alertname: 'GoServiceHighErrorRate',
        exp_alerts: failing === 'Unavailable' ? [{ exp_labels: { severity: 'critical', service: 'orders', namespace: 'shop' } }] : [],
      }],
    }]);
    // 10 % Unavailable: the server fails; 10 % NotFound: the callers ask for what is not there.
    expect(unitTest('Unavailable').output).toContain('SUCCESS');
    expect(unitTest('NotFound').output).toContain('SUCCESS');
  });

  test('a latency objective on an OpenTelemetry bucket that promhttp does not have', () => {
    const rules = rulesOf({ instrumentation: Instrumentation.openTelemetryHttp(), latency: { objective: 99, threshold: Duration.millis(750) } });
    expect(rules.find((r) => r.record === 'slo:sli_error:ratio_rate5m').expr).toContain('le="0.75"');
  });

  test('a latency objective on buckets of the service\'s own', () => {
    const buckets = [Duration.millis(100), Duration.millis(300)];
    const rules = rulesOf({ durationBuckets: buckets, latency: { objective: 99, threshold: Duration.millis(300) } });
    expect(rules.find((r) => r.record === 'slo:sli_error:ratio_rate5m').expr).toContain('le="0.3"');
  });

  test.each([
    ['the latency threshold is not a bucket boundary', { latency: { objective: 99, threshold: Duration.millis(300) } },
      "PrometheusMonitor 'test/orders/Monitoring': 'latency.threshold' (0.3s) is not a bucket boundary of http_request_duration_seconds (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10), so the SLO could count no request as fast or slow; use one of them, such as Duration.millis(250), or give the service's own buckets as 'durationBuckets'"],
    ['an OpenTelemetry latency threshold is a promhttp bucket only',
      { instrumentation: Instrumentation.openTelemetryHttp(), latency: { objective: 99, threshold: Duration.seconds(3) } },
      "PrometheusMonitor 'test/orders/Monitoring': 'latency.threshold' (3s) is not a bucket boundary of http_server_request_duration_seconds (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10), so the SLO could count no request as fast or slow; use one of them, such as Duration.millis(2500), or give the service's own buckets as 'durationBuckets'"],
  ] as [string, PrometheusMonitorOptions, string][])('fails when %s', (_what, options, message) => {
    expect(gantryError((c: Construct) => new GoMicroservice(c, 'orders', { image: 'ghcr.io/acme/orders:1.4.2' }).addMonitoring(options)).message).toBe(message);
  });
});
