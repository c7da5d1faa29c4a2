import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { GoMicroservice, HpaMetric, HpaPolicy, HpaPolicyOptions, ScalingPolicy, ScalingSelect } from '../../src';
import { gantryError, newChart, only, synth } from '../harness';

const IMAGE = 'ghcr.io/acme/orders:1.4.2';
const hpaOf = (autoscaling: HpaPolicyOptions) => {
  const { chart } = newChart({ namespace: 'shop' });
  new GoMicroservice(chart, 'orders', { image: IMAGE, autoscaling });
  return only(synth(chart), 'HorizontalPodAutoscaler');
};
const scaled = (autoscaling: HpaPolicyOptions) => (c: Construct) => new GoMicroservice(c, 'orders', { image: IMAGE, autoscaling });

describe('HpaPolicy', () => {
  test('defaults: CPU at 70%, min 2, gentle scale-down', () => {
    const hpa = hpaOf({ maxReplicas: 10 });
    expect(hpa).toMatchSnapshot();
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.metadata).toMatchObject({ name: 'orders', namespace: 'shop' });
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    expect(hpa.spec.behavior.scaleDown).toEqual({
      stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
    });
    expect(hpa.spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
  });

  test('metrics come in the order the HPA controller keeps them: CPU last', () => {
    const hpa = hpaOf({
      maxReplicas: 10,
      cpuUtilization: 60,
      memoryUtilization: 80,
      metrics: [
        HpaMetric.pods({ name: 'http_requests_per_second', averageValue: '50', selector: { route: '/orders' } }),
        HpaMetric.object({ name: 'requests_per_second', describedApiVersion: 'networking.k8s.io/v1', describedKind: 'Ingress', describedName: 'shop', value: '2k' }),
        HpaMetric.external({ name: 'queue_messages_ready', selector: { queue: 'orders' }, averageValue: '30' }),
      ],
    });
    expect(hpa.spec.metrics.map((m: any) => m.type + ':' + (m.resource?.name ?? m[m.type.toLowerCase()].metric.name))).toEqual([
      'Resource:memory', 'Pods:http_requests_per_second', 'Object:requests_per_second', 'External:queue_messages_ready', 'Resource:cpu',
    ]);
    expect(hpa.spec.metrics[1].pods).toEqual({
      metric: { name: 'http_requests_per_second', selector: { matchLabels: { route: '/orders' } } },
      target: { type: 'AverageValue', averageValue: '50' },
    });
    expect(hpa.spec.metrics[2].object).toEqual({
      describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'shop' },
      metric: { name: 'requests_per_second' },
      target: { type: 'Value', value: '2k' },
    });
    expect(hpa.spec.metrics[3].external.target).toEqual({ type: 'AverageValue', averageValue: '30' });
  });

  test('behavior is configurable in each direction', () => {
    const hpa = hpaOf({
      maxReplicas: 10,
      scaleUp: { stabilizationWindow: Duration.seconds(30), policies: [ScalingPolicy.pods(2, Duration.seconds(30))], select: ScalingSelect.MIN },
      scaleDown: { select: ScalingSelect.DISABLED },
    });
    expect(hpa.spec.behavior.scaleUp).toEqual({
      stabilizationWindowSeconds: 30, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 2, periodSeconds: 30 }],
    });
    expect(hpa.spec.behavior.scaleDown.selectPolicy).toBe('Disabled');
  });

  test('a standalone HpaPolicy binds to its target', () => {
    const { chart } = newChart();
    const svc = new GoMicroservice(chart, 'orders', { image: IMAGE });
    const hpa = new HpaPolicy(chart, 'OrdersHpa', { target: svc, minReplicas: 3, maxReplicas: 9 });
    expect(svc.hpa).toBe(hpa);
    const objects = synth(chart);
    expect(only(objects, 'Deployment').spec).not.toHaveProperty('replicas');
    expect(only(objects, 'HorizontalPodAutoscaler').metadata.labels).toEqual(svc.labels);
  });

  test.each([
    ['minReplicas is above maxReplicas', { minReplicas: 5, maxReplicas: 3 },
      "HpaPolicy 'test/orders/Autoscaling': 'minReplicas' (5) is greater than 'maxReplicas' (3); lower minReplicas or raise maxReplicas to at least 5"],
    ['maxReplicas is zero', { maxReplicas: 0 },
      "HpaPolicy 'test/orders/Autoscaling': 'maxReplicas' (0) must be a whole number from 1 to 10000; use a value of at least minReplicas (2)"],
    ['the CPU target is a fraction', { maxReplicas: 5, cpuUtilization: 0.7 },
      "HpaPolicy 'test/orders/Autoscaling': 'cpuUtilization' (0.7) must be a whole percentage of the request from 1 to 500; write percent, not a fraction: use 70"],
    ['CPU is off and nothing else scales', { maxReplicas: 5, cpuUtilization: 0 },
      "HpaPolicy 'test/orders/Autoscaling': 'cpuUtilization' (0) turns off the only metric, so the HPA would never scale; keep a CPU target, or add 'memoryUtilization' or 'metrics'"],
    ['a metric target is not a quantity', { maxReplicas: 5, metrics: [HpaMetric.pods({ name: 'rps', averageValue: 'fifty' })] },
      "HpaPolicy 'test/orders/Autoscaling': 'metrics[0].averageValue' (fifty) is not a Kubernetes quantity; use a string such as '100' or '500m'"],
    ['a metric has both value and averageValue', { maxReplicas: 5, metrics: [HpaMetric.external({ name: 'queue_depth', value: '10', averageValue: '5' })] },
      "HpaPolicy 'test/orders/Autoscaling': 'metrics[0].value' (10) needs exactly one of 'value' and 'averageValue'; set 'averageValue' to divide the target by the pod count, or 'value' for a total"],
    ['a metric name has spaces', { maxReplicas: 5, metrics: [HpaMetric.pods({ name: 'requests per second', averageValue: '5' })] },
      "HpaPolicy 'test/orders/Autoscaling': 'metrics[0].name' (requests per second) is not a metric name; use the name the metrics API serves, such as 'http_requests_per_second'"],
    ['a scaling policy allows no change', { maxReplicas: 5, scaleDown: { policies: [ScalingPolicy.pods(0, Duration.minutes(1))] } },
      "HpaPolicy 'test/orders/Autoscaling': 'scaleDown.policies[0].value' (0) must be a whole number from 1 to 10000; use a value from 1 to 10000"],
    ['a stabilization window is over an hour', { maxReplicas: 5, scaleDown: { stabilizationWindow: Duration.hours(2) } },
      "HpaPolicy 'test/orders/Autoscaling': 'scaleDown.stabilizationWindow' (7200s) must be a whole number of seconds from 0 to 3600; use a value such as Duration.seconds(3600)"],
  ] as [string, HpaPolicyOptions, string][])('fails when %s', (_what, options, message) => {
    expect(gantryError(scaled(options)).message).toBe(message);
  });

  test('fails when a service gets a second HpaPolicy', () => {
    expect(gantryError((c) => {
      const svc = new GoMicroservice(c, 'orders', { image: IMAGE, autoscaling: { maxReplicas: 5 } });
      new HpaPolicy(c, 'extra', { target: svc, maxReplicas: 4 });
    }).message).toBe("GoMicroservice 'test/orders': 'autoscaling' (test/extra) is a second HpaPolicy for a service that already has test/orders/Autoscaling; keep one HpaPolicy per service");
  });
});
