import * as fs from 'fs';
import { Chart, Duration, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ArgoApplication, ArgoCluster, ArgoProject, ArgoRollout, CanaryStep, Environment, GoMicroservice, IstioCanary, RolloutStrategy,
  WorkloadScaleDown,
} from '../../src';
import { gantryError, newChart, only, synth } from '../harness';

const IMAGE = 'ghcr.io/acme/orders:1.4.2';

function monitoredService(chart: Construct, name = 'orders', autoscaling = true): GoMicroservice {
  const svc = new GoMicroservice(chart, name, { image: `ghcr.io/acme/${name}:1.4.2`, ...(autoscaling ? { autoscaling: { minReplicas: 3, maxReplicas: 12 } } : {}) });
  svc.addMonitoring();
  return svc;
}

describe('ArgoRollout', () => {
  test('an Istio canary run by Argo Rollouts: the Rollout takes the Deployment\'s pods, drives the routes and watches the analysis', () => {
    const { chart } = newChart({ namespace: 'shop' });
    const orders = monitoredService(chart);
    const canary = new IstioCanary(chart, 'orders-canary', { service: orders, rollout: {} });
    const objects = synth(chart);
    const rollout = only(objects, 'Rollout');
    expect(rollout).toMatchSnapshot();
    expect(only(objects, 'AnalysisTemplate')).toMatchSnapshot();

    expect(rollout.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders', scaleDown: 'progressively' });
    expect(rollout.spec.selector).toEqual({ matchLabels: orders.selectorLabels });
    expect(rollout.spec.template).toBeUndefined();
    expect(rollout.spec.replicas).toBeUndefined(); // the HPA's
    expect(rollout.spec.strategy.canary.trafficRouting.istio).toEqual({
      virtualService: { name: 'orders', routes: ['primary'] },
      destinationRule: { name: 'orders', canarySubsetName: 'canary', stableSubsetName: 'stable' },
    });
    expect(rollout.spec.strategy.canary.steps).toEqual([
      { setWeight: 10 }, { pause: { duration: '5m' } }, { setWeight: 25 }, { pause: { duration: '5m' } }, { setWeight: 50 }, { pause: { duration: '5m' } },
    ]);
    expect(rollout.spec.strategy.canary.analysis).toEqual({
      templates: [{ templateName: 'orders-analysis' }], args: [{ name: 'pod-template-hash', valueFrom: { podTemplateHashValue: 'Latest' } }], startingStep: 1,
    });
    // The HPA scales the Rollout now; no canary Deployment exists; the VirtualService starts all-stable.
    expect(only(objects, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'orders' });
    expect(objects.filter((o) => o.kind === 'Deployment').map((d) => d.metadata.name)).toEqual(['orders']);
    expect(only(objects, 'VirtualService').spec.http[0].route.map((r: any) => r.weight)).toEqual([100, 0]);
    expect(only(objects, 'DestinationRule').spec.subsets.map((s: any) => s.labels)).toEqual([orders.selectorLabels, orders.selectorLabels]);
    expect(canary.rollout).toBeDefined();
    expect(canary.canary).toBeUndefined();
  });

  test('the analysis asks what the alerts ask, of the new version\'s pods only, with the rollback thresholds', () => {
    const { chart } = newChart({ namespace: 'shop' });
    const orders = monitoredService(chart);
    new IstioCanary(chart, 'orders-canary', { service: orders, rollout: {} });
    const objects = synth(chart);
    const metrics = only(objects, 'AnalysisTemplate').spec.metrics;
    const alerts = new Map<string, string>(only(objects, 'PrometheusRule').spec.groups[0].rules.map((r: any) => [r.alert, r.expr]));
    const newPods = 'namespace="shop", pod=~"orders-{{args.pod-template-hash}}-[a-z0-9]+"';
    const alertOf = (name: string) => alerts.get(name)!.replace(/ > [0-9.]+$/, '').replace(/\[5m\]/g, '[2m]').replace(/namespace="shop"/g, newPods);
    expect(metrics.map((m: any) => [m.name, m.successCondition])).toEqual([
      ['error-ratio', 'len(result) == 0 || isNaN(result[0]) || result[0] <= 0.05'],
      ['p99-latency', 'len(result) == 0 || isNaN(result[0]) || result[0] <= 2'],
    ]);
    expect(metrics[0].provider.prometheus.query).toBe(alertOf('GoServiceHighErrorRate'));
    expect(metrics[1].provider.prometheus.query).toBe(alertOf('GoServiceHighLatency'));
    expect(metrics.map((m: any) => [m.interval, m.failureLimit, m.count])).toEqual([['1m', 1, undefined], ['1m', 1, undefined]]);
  });

  test('custom steps, an analysis step and thresholds', () => {
    const { chart } = newChart({ namespace: 'shop' });
    const orders = monitoredService(chart, 'orders', false);
    new ArgoRollout(chart, 'orders-rollout', {
      service: orders,
      scaleDown: WorkloadScaleDown.ON_SUCCESS,
      strategy: RolloutStrategy.canary({
        steps: [CanaryStep.weight(20), CanaryStep.analysis(), CanaryStep.weight(60), CanaryStep.pause()],
        analysis: { maxErrorRatio: 0.01, maxP99Latency: Duration.millis(500), interval: Duration.seconds(30), failureLimit: 0 },
      }),
    });
    const rollout = only(synth(chart), 'Rollout');
    expect(rollout.spec.replicas).toBe(2);
    expect(rollout.spec.workloadRef.scaleDown).toBe('onsuccess');
    expect(rollout.spec.strategy.canary.steps).toEqual([
      { setWeight: 20 },
      { analysis: { templates: [{ templateName: 'orders-analysis' }], args: [{ name: 'pod-template-hash', valueFrom: { podTemplateHashValue: 'Latest' } }] } },
      { setWeight: 60 },
      { pause: {} },
    ]);
    expect(rollout.spec.strategy.canary.analysis).toBeUndefined();
    expect(rollout.spec.strategy.canary.trafficRouting).toBeUndefined();
  });

  test('blue-green: active and preview Services, analysis before promotion, no automatic promotion', () => {
    const { chart } = newChart({ namespace: 'shop' });
    const payments = monitoredService(chart, 'payments', false);
    new ArgoRollout(chart, 'payments-rollout', { service: payments, strategy: RolloutStrategy.blueGreen() });
    const objects = synth(chart);
    const rollout = only(objects, 'Rollout');
    expect(rollout.spec.strategy).toMatchSnapshot();
    expect(rollout.spec.strategy.blueGreen).toMatchObject({
      activeService: 'payments', previewService: 'payments-preview', autoPromotionEnabled: false, scaleDownDelaySeconds: 30,
    });
    expect(only(objects, 'Service', 'payments-preview').spec.selector).toEqual(payments.selectorLabels);
    expect(only(objects, 'AnalysisTemplate').spec.metrics.map((m: any) => m.count)).toEqual([5, 5]);
  });

  test('Argo CD leaves alone what the controllers own', () => {
    const { app, outdir } = newChart();
    const prod = new Environment(app, 'prod', { namespace: 'shop', cluster: ArgoCluster.inCluster() });
    const shop = new Chart(prod, 'orders');
    const orders = monitoredService(shop);
    new IstioCanary(shop, 'orders-canary', { service: orders, rollout: {} });
    const argo = new Chart(app, 'argocd');
    const project = new ArgoProject(argo, 'shop', { sourceRepos: ['https://github.com/acme/deploy.git'] });
    const application = new ArgoApplication(argo, 'prod', { project, environment: prod, repoURL: 'https://github.com/acme/deploy.git' });
    app.synth();
    const spec = application.apiObject.toJson().spec;
    expect(spec.ignoreDifferences).toEqual([
      { group: 'apps', kind: 'Deployment', name: 'orders', namespace: 'shop', jsonPointers: ['/spec/replicas'] },
      { group: 'argoproj.io', kind: 'Rollout', name: 'orders', namespace: 'shop', jsonPointers: ['/spec/replicas'] },
      { group: 'networking.istio.io', kind: 'DestinationRule', name: 'orders', namespace: 'shop', jsonPointers: ['/spec/subsets'] },
      { group: 'networking.istio.io', kind: 'VirtualService', name: 'orders', namespace: 'shop', jsonPointers: ['/spec/http/0/route'] },
    ]);
    expect(spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});

const rolloutOf = (strategy: () => RolloutStrategy, monitored = true) => (chart: Construct) => {
  const svc = new GoMicroservice(chart, 'orders', { image: IMAGE });
  if (monitored) svc.addMonitoring();
  return new ArgoRollout(chart, 'orders-rollout', { service: svc, strategy: strategy() });
};
const PATH = "ArgoRollout 'test/orders-rollout'";

const CASES: [string, (chart: Construct) => void, string][] = [
  ['the service has no monitoring for the analysis', rolloutOf(() => RolloutStrategy.canary(), false),
    `${PATH}: 'analysis' (orders) needs the service's metrics, but the service has no PrometheusMonitor; call addMonitoring() on the service before this, or leave 'analysis' out`],
  ['the error ratio is given in percent', rolloutOf(() => RolloutStrategy.canary({ analysis: { maxErrorRatio: 5 } })),
    `${PATH}: 'analysis.maxErrorRatio' (5) must be a ratio above 0 and at most 1; write a ratio, not a percentage: use 0.05`],
  ['the error ratio is negative', rolloutOf(() => RolloutStrategy.canary({ analysis: { maxErrorRatio: -0.1 } })),
    `${PATH}: 'analysis.maxErrorRatio' (-0.1) must be a ratio above 0 and at most 1; use a value such as 0.05 (5 %)`],
  ['the latency threshold is zero', rolloutOf(() => RolloutStrategy.canary({ analysis: { maxP99Latency: Duration.seconds(0) } })),
    `${PATH}: 'analysis.maxP99Latency' (0s) must be longer than zero; use a value such as Duration.seconds(2)`],
  ['the analysis interval is too short', rolloutOf(() => RolloutStrategy.canary({ analysis: { interval: Duration.seconds(5) } })),
    `${PATH}: 'analysis.interval' (5s) must be a whole number of seconds from 10 to 3600; use a value such as Duration.seconds(10)`],
  ['the Prometheus address is not a URL', rolloutOf(() => RolloutStrategy.canary({ analysis: { prometheusAddress: 'prometheus:9090' } })),
    `${PATH}: 'analysis.prometheusAddress' (prometheus:9090) is not an http(s) URL; use the URL of the Prometheus service, such as 'http://prometheus.monitoring.svc:9090'`],
  ['a step weight is above 100', rolloutOf(() => RolloutStrategy.canary({ steps: [CanaryStep.weight(150)] })),
    `${PATH}: 'strategy.steps[0].weight' (150) must be a whole number from 0 to 100; use a whole percentage such as 20`],
  ['there are no steps', rolloutOf(() => RolloutStrategy.canary({ steps: [] })),
    `${PATH}: 'strategy.steps' ([]) is empty, so a new version would take all traffic at once; give steps such as [CanaryStep.weight(10), CanaryStep.pause(Duration.minutes(5))], or use RolloutStrategy.blueGreen()`],
  ['an analysis step has no analysis', rolloutOf(() => RolloutStrategy.canary({ withoutAnalysis: true, steps: [CanaryStep.weight(10), CanaryStep.analysis()] })),
    `${PATH}: 'strategy.steps[1]' (CanaryStep.analysis()) runs an analysis, but the strategy has none (withoutAnalysis); remove the step, or drop 'withoutAnalysis'`],
  ['a pause is under a second', rolloutOf(() => RolloutStrategy.canary({ steps: [CanaryStep.weight(10), CanaryStep.pause(Duration.millis(10))] })),
    `${PATH}: 'strategy.steps[1].pause' (0.01s) must be a whole number of seconds from 1 to 604800; use a value such as Duration.seconds(1)`],
  ['blue-green previews on the active Service', rolloutOf(() => RolloutStrategy.blueGreen({ previewServiceName: 'orders' })),
    `${PATH}: 'previewServiceName' (orders) is the active Service, so the preview would take the live traffic; give the preview a Service of its own, such as 'orders-preview'`],
  ['two Rollouts take the same service', (chart) => {
    const svc = new GoMicroservice(chart, 'orders', { image: IMAGE });
    new ArgoRollout(chart, 'a', { service: svc, strategy: RolloutStrategy.canary({ withoutAnalysis: true }) });
    new ArgoRollout(chart, 'b', { service: svc, strategy: RolloutStrategy.canary({ withoutAnalysis: true }) });
  }, "GoMicroservice 'test/orders': 'controller' (Rollout orders) takes over pods already handed over to Rollout orders; keep one controller per service"],
  ['a JSON patch renames the analysis template', (chart) => {
    rolloutOf(() => RolloutStrategy.canary())(chart).apiObject.addJsonPatch(
      JsonPatch.replace('/spec/strategy/canary/analysis/templates/0/templateName', 'orders-checks'));
  }, `${PATH}: 'strategy.analysis.templateName' (orders-checks) names no AnalysisTemplate of this app in the Rollout's namespace; remove the JSON patch that renamed it, or define the template`],
];

describe('ArgoRollout bad input', () => {
  test.each(CASES)('fails when %s', (_title, define, message) => {
    expect(gantryError(define).message).toBe(message);
  });
});
