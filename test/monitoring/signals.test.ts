import { Construct } from 'constructs';
import { GoMicroservice, IMonitorable, PrometheusMonitor } from '../../src';
import { newChart, only, synth } from '../harness';

// What pages and what is graphed are the same queries: alerts use a 5m window, the dashboard $__rate_interval.

function monitoredObjects(): any[] {
  const { chart } = newChart({ namespace: 'shop' });
  new GoMicroservice(chart, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', autoscaling: { maxReplicas: 6 } }).addMonitoring();
  return synth(chart);
}

describe('PromQL signals', () => {
  const objects = monitoredObjects();
  const alerts = new Map<string, string>(only(objects, 'PrometheusRule').spec.groups[0].rules.map((r: any) => [r.alert, r.expr]));
  const dashboard = JSON.parse(only(objects, 'ConfigMap', 'orders-dashboard').data['orders.json']);
  const panel = (title: string, target = 0) => dashboard.panels.find((p: any) => p.title === title).targets[target].expr.replace(/\$__rate_interval/g, '5m');

  test.each([
    ['GoServiceHighErrorRate', 'Error ratio', 0],
    ['GoServiceHighLatency', 'Latency percentiles', 2],
    ['GoServiceCpuNearLimit', 'CPU of limit', 0],
    ['GoServiceMemoryNearLimit', 'Memory of limit', 0],
    ['GoServiceCpuThrottled', 'CPU throttling', 0],
    ['GoServiceTooManyGoroutines', 'Goroutines', 0],
    ['GoServiceGcPauses', 'GC pause time', 0],
    ['GoServiceHeapNearMemoryLimit', 'Heap of GOMEMLIMIT', 0],
  ])('alert %s compares the dashboard panel "%s" with its threshold', (alert, title, target) => {
    const expr = alerts.get(alert)!;
    expect(expr).toMatch(/ > [0-9.]+$/);
    expect(expr.replace(/ > [0-9.]+$/, '')).toBe(panel(title, target));
  });

  test('the SLO error ratio is the alert\'s error ratio', () => {
    const { chart } = newChart({ namespace: 'shop' });
    new GoMicroservice(chart, 'orders', { image: 'ghcr.io/acme/orders:1.4.2' }).addMonitoring({ availability: { objective: 99.9 } });
    const slo = only(synth(chart), 'PrometheusRule').spec.groups[1].rules.find((r: any) => r.record === 'slo:sli_error:ratio_rate5m');
    expect(slo.expr).toBe(alerts.get('GoServiceHighErrorRate')!.replace(/ > [0-9.]+$/, ''));
  });
});

/** A workload that is not a GoMicroservice, defined by hand elsewhere: it only knows its own names. */
class Worker extends Construct implements IMonitorable {
  public readonly name = 'ledger';
  public readonly namespace = 'batch';
  public readonly labels = { 'app.kubernetes.io/name': 'ledger' };
  public readonly selectorLabels = { 'app.kubernetes.io/name': 'ledger' };
  public readonly ports = { web: 8080, telemetry: 9102 };
  public readonly metricsPortName = 'telemetry';
  public readonly deploymentName = 'ledger-writer';
  public readonly containerName = 'writer';
}

describe('IMonitorable', () => {
  test('a PrometheusMonitor monitors any workload that implements it', () => {
    const { chart } = newChart();
    const monitor = new PrometheusMonitor(chart, 'Monitoring', { service: new Worker(chart, 'ledger') });
    const objects = synth(chart);
    expect(monitor.rules.name).toBe('ledger');
    const scrape = only(objects, 'ServiceMonitor');
    expect(scrape.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'ledger' });
    expect(scrape.spec.endpoints[0].port).toBe('telemetry');
    const rules = only(objects, 'PrometheusRule').spec.groups[0].rules;
    expect(rules.find((r: any) => r.alert === 'GoServiceCpuNearLimit').expr)
      .toContain('pod=~"ledger-writer-[a-z0-9]+-[a-z0-9]+", container="writer"');
    expect(rules.find((r: any) => r.alert === 'GoServiceHighErrorRate').expr).toContain('job="ledger", namespace="batch"');
    // Not autoscaled: no HPA alert.
    expect(rules.map((r: any) => r.alert)).not.toContain('GoServiceAutoscalerAtMax');
  });
});
