import { Construct } from 'constructs';
import { GoMicroservice } from '../../src';
import { HpaMetric } from '../../src/autoscaling/hpa-metric';
import { gantryError, newChart, only, synth } from '../harness';

const IMAGE = 'ghcr.io/acme/orders:1.4.2';

/** `spec.metrics` of the HPA of a service that scales on `metrics` only (CPU off, so nothing else is listed). */
function metricsOf(...metrics: HpaMetric[]): any[] {
  const { chart } = newChart({ namespace: 'shop' });
  new GoMicroservice(chart, 'orders', { image: IMAGE, autoscaling: { maxReplicas: 10, cpuUtilization: 0, metrics } });
  return only(synth(chart), 'HorizontalPodAutoscaler').spec.metrics;
}
const scalingOn = (...metrics: HpaMetric[]) => (c: Construct) =>
  new GoMicroservice(c, 'orders', { image: IMAGE, autoscaling: { maxReplicas: 10, metrics } });

describe('HpaMetric', () => {
  test('pods: the target is averaged over the pods', () => {
    expect(metricsOf(HpaMetric.pods({ name: 'http_requests_per_second', averageValue: '50' }))).toEqual([{
      type: 'Pods',
      pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '50' } },
    }]);
  });

  test('pods: a selector picks the series by label; an empty one is left out', () => {
    const [selected, unselected] = metricsOf(
      HpaMetric.pods({ name: 'http_requests_per_second', averageValue: '500m', selector: { route: '/orders', method: 'POST' } }),
      HpaMetric.pods({ name: 'inflight_requests', averageValue: '10', selector: {} }),
    );
    expect(selected.pods.metric).toEqual({ name: 'http_requests_per_second', selector: { matchLabels: { route: '/orders', method: 'POST' } } });
    expect(unselected.pods.metric).toEqual({ name: 'inflight_requests' });
  });

  test('object: describes the object, with a total or a per-pod target', () => {
    const ingress = { describedApiVersion: 'networking.k8s.io/v1', describedKind: 'Ingress', describedName: 'shop' };
    const [total, perPod] = metricsOf(
      HpaMetric.object({ name: 'requests_per_second', ...ingress, value: '2k' }),
      HpaMetric.object({ name: 'requests_per_second', ...ingress, averageValue: '100' }),
    );
    expect(total).toEqual({
      type: 'Object',
      object: {
        describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'shop' },
        metric: { name: 'requests_per_second' },
        target: { type: 'Value', value: '2k' },
      },
    });
    expect(perPod.object.target).toEqual({ type: 'AverageValue', averageValue: '100' });
  });

  test('external: a selector, with a total or a per-pod target', () => {
    const [total, perPod] = metricsOf(
      HpaMetric.external({ name: 'queue_messages_ready', selector: { queue: 'orders' }, value: '1000' }),
      HpaMetric.external({ name: 'queue_messages_ready', averageValue: '30' }),
    );
    expect(total).toEqual({
      type: 'External',
      external: { metric: { name: 'queue_messages_ready', selector: { matchLabels: { queue: 'orders' } } }, target: { type: 'Value', value: '1000' } },
    });
    expect(perPod.external).toEqual({ metric: { name: 'queue_messages_ready' }, target: { type: 'AverageValue', averageValue: '30' } });
  });

  test('metric names may have colons and dots, as recording rules and adapters name them', () => {
    const metrics = metricsOf(
      HpaMetric.pods({ name: 'job:http_requests:rate5m', averageValue: '5' }),
      HpaMetric.external({ name: 'nginx.ingress.requests', value: '5' }),
    );
    expect(metrics.map((m) => (m.pods ?? m.external).metric.name)).toEqual(['job:http_requests:rate5m', 'nginx.ingress.requests']);
  });

  test('tells its type and metric name', () => {
    expect(HpaMetric.pods({ name: 'rps', averageValue: '1' })).toMatchObject({ type: 'Pods', metricName: 'rps' });
    expect(HpaMetric.object({ name: 'rps', describedApiVersion: 'v1', describedKind: 'Service', describedName: 'a', value: '1' }))
      .toMatchObject({ type: 'Object', metricName: 'rps' });
    expect(HpaMetric.external({ name: 'depth', value: '1' })).toMatchObject({ type: 'External', metricName: 'depth' });
  });

  const service = { describedApiVersion: 'v1', describedKind: 'Service', describedName: 'orders' };
  test.each([
    ['an object metric has neither value nor averageValue', [HpaMetric.object({ name: 'rps', ...service })],
      "HpaPolicy 'test/orders/Autoscaling': 'metrics[0].value' (undefined) needs exactly one of 'value' and 'averageValue'; set 'averageValue' to divide the target by the pod count, or 'value' for a total"],
    ['an object metric has both value and averageValue', [HpaMetric.object({ name: 'rps', ...service, value: '10', averageValue: '5' })],
      "HpaPolicy 'test/orders/Autoscaling': 'metrics[0].value' (10) needs exactly one of 'value' and 'averageValue'; set 'averageValue' to divide the target by the pod count, or 'value' for a total"],
    ['an object metric\'s value is not a quantity', [HpaMetric.object({ name: 'rps', ...service, value: '2 k' })],
      "HpaPolicy 'test/orders/Autoscaling': 'metrics[0].value' (2 k) is not a Kubernetes quantity; use a string such as '100' or '500m'"],
    ['an external metric\'s averageValue is not a quantity', [HpaMetric.external({ name: 'queue_depth', averageValue: '30 messages' })],
      "HpaPolicy 'test/orders/Autoscaling': 'metrics[0].averageValue' (30 messages) is not a Kubernetes quantity; use a string such as '100' or '500m'"],
    ['a pods metric\'s averageValue is empty', [HpaMetric.pods({ name: 'rps', averageValue: '' })],
      "HpaPolicy 'test/orders/Autoscaling': 'metrics[0].averageValue' (\"\") is not a Kubernetes quantity; use a string such as '100' or '500m'"],
    ['a metric name is empty', [HpaMetric.pods({ name: '', averageValue: '5' })],
      "HpaPolicy 'test/orders/Autoscaling': 'metrics[0].name' (\"\") is not a metric name; use the name the metrics API serves, such as 'http_requests_per_second'"],
    ['a metric name starts with a digit', [HpaMetric.external({ name: '5xx_rate', value: '1' })],
      "HpaPolicy 'test/orders/Autoscaling': 'metrics[0].name' (5xx_rate) is not a metric name; use the name the metrics API serves, such as 'http_requests_per_second'"],
    ['the second metric is wrong, and is named by its index',
      [HpaMetric.pods({ name: 'rps', averageValue: '5' }), HpaMetric.external({ name: 'queue_depth' })],
      "HpaPolicy 'test/orders/Autoscaling': 'metrics[1].value' (undefined) needs exactly one of 'value' and 'averageValue'; set 'averageValue' to divide the target by the pod count, or 'value' for a total"],
  ] as [string, HpaMetric[], string][])('fails when %s', (_what, metrics, message) => {
    expect(gantryError(scalingOn(...metrics)).message).toBe(message);
  });
});
