import { Duration, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CanaryMatch, GoMicroservice, IstioCanary, IstioCanaryProps, IstioCircuitBreaker, IstioTlsMode,
} from '../../src';
import { gantryError, newChart, only, synth } from '../harness';

const IMAGE = 'ghcr.io/acme/orders:1.4.2';
const CANARY = 'ghcr.io/acme/orders:1.5.0';

function canaryApp(props: Partial<IstioCanaryProps> = {}): { objects: any[]; canary: IstioCanary } {
  const { chart } = newChart({ namespace: 'shop' });
  const orders = new GoMicroservice(chart, 'orders', { image: IMAGE, autoscaling: { minReplicas: 4, maxReplicas: 20 } });
  const canary = new IstioCanary(chart, 'orders-canary', { service: orders, canaryImage: CANARY, ...props });
  return { objects: synth(chart), canary };
}

describe('IstioCanary', () => {
  test('splits 90/10 between a stable and a canary Deployment, by subsets that select each', () => {
    const { objects } = canaryApp();
    expect(objects.filter((o) => ['VirtualService', 'DestinationRule'].includes(o.kind) || o.metadata.name === 'orders-canary')).toMatchSnapshot();

    const dr = only(objects, 'DestinationRule');
    expect(dr.spec.host).toBe('orders.shop.svc.cluster.local');
    expect(dr.spec.subsets).toEqual([
      { name: 'stable', labels: { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders', 'gantry.dev/track': 'stable' } },
      { name: 'canary', labels: { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders', 'gantry.dev/track': 'canary' } },
    ]);
    expect(dr.spec.trafficPolicy.tls).toEqual({ mode: 'ISTIO_MUTUAL' });

    const vs = only(objects, 'VirtualService');
    expect(vs.spec.hosts).toEqual(['orders.shop.svc.cluster.local']);
    expect(vs.spec.http).toEqual([{
      name: 'primary',
      route: [
        { destination: { host: 'orders.shop.svc.cluster.local', subset: 'stable' }, weight: 90 },
        { destination: { host: 'orders.shop.svc.cluster.local', subset: 'canary' }, weight: 10 },
      ],
    }]);

    // Every subset selects the pods of exactly one Deployment.
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    for (const subset of dr.spec.subsets) {
      const selected = deployments.filter((d) => Object.entries(subset.labels).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
      expect(selected.map((d) => d.metadata.name)).toEqual([subset.name === 'stable' ? 'orders' : 'orders-canary']);
    }
    // The Service, the PDB and the NetworkPolicy cover both tracks; the HPA scales the stable one.
    expect(only(objects, 'Service').spec.selector).toEqual({ 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders' });
    expect(only(objects, 'HorizontalPodAutoscaler').spec.scaleTargetRef.name).toBe('orders');
    const canary = only(objects, 'Deployment', 'orders-canary');
    expect(canary.spec.replicas).toBe(1); // 10% of 4 pods, rounded up
    expect(canary.spec.template.spec.containers[0].image).toBe(CANARY);
    expect(canary.metadata.labels['app.kubernetes.io/version']).toBe('1.5.0');
  });

  test('a weight change changes two numbers of the VirtualService and nothing else', () => {
    const ten = canaryApp({ weight: 10 }).objects;
    const fifty = canaryApp({ weight: 50 }).objects;
    const weights = (objects: any[]) => only(objects, 'VirtualService').spec.http[0].route.map((r: any) => r.weight);
    expect(weights(ten)).toEqual([90, 10]);
    expect(weights(fifty)).toEqual([50, 50]);
    const rest = (objects: any[]) => objects.filter((o) => o.kind !== 'VirtualService' && o.metadata.name !== 'orders-canary');
    expect(rest(fifty)).toEqual(rest(ten));
  });

  test('testers reach the canary by header or cookie; retries, timeout and mirroring apply to the routes', () => {
    const { objects } = canaryApp({
      routeToCanary: [CanaryMatch.header('X-Canary', 'always'), CanaryMatch.cookie('canary', 'yes')],
      retries: { attempts: 3, perTryTimeout: Duration.seconds(2) },
      timeout: Duration.seconds(10),
      mirrorPercent: 5,
      weight: 0,
    });
    const [testers, primary] = only(objects, 'VirtualService').spec.http;
    expect(testers.name).toBe('canary-testers');
    expect(testers.match).toEqual([
      { headers: { 'x-canary': { exact: 'always' } } },
      { headers: { cookie: { regex: '^(.*?;\\s*)?(canary=yes)(;.*)?$' } } },
    ]);
    expect(testers.route).toEqual([{ destination: { host: 'orders.shop.svc.cluster.local', subset: 'canary' } }]);
    const retries = { attempts: 3, perTryTimeout: '2s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled' };
    expect(testers.retries).toEqual(retries);
    expect(primary.retries).toEqual(retries);
    expect(primary.timeout).toBe('10s');
    expect(primary.mirror).toEqual({ host: 'orders.shop.svc.cluster.local', subset: 'canary' });
    expect(primary.mirrorPercentage).toEqual({ value: 5 });
    expect(primary.route.map((r: any) => r.weight)).toEqual([100, 0]);
  });

  test('with gateways, the gateways\' traffic gets routes of its own, with the Service\'s HTTP port, and the gateway namespace is let in', () => {
    const { objects } = canaryApp({ gateways: ['istio-system/public'], hosts: ['shop.example.com'], gatewayNamespace: 'istio-ingress' });
    const vs = only(objects, 'VirtualService');
    expect(vs.spec.hosts).toEqual(['orders.shop.svc.cluster.local', 'shop.example.com']);
    expect(vs.spec.gateways).toEqual(['mesh', 'istio-system/public']);
    expect(vs.spec.http.map((r: any) => r.name)).toEqual(['primary-gateways', 'primary']);
    expect(vs.spec.http[0].match).toEqual([{ gateways: ['istio-system/public'] }]);
    expect(vs.spec.http[0].route.map((r: any) => r.destination.port)).toEqual([{ number: 80 }, { number: 80 }]);
    expect(vs.spec.http[1].route.map((r: any) => r.destination.port)).toEqual([undefined, undefined]);
    const ingress = only(objects, 'NetworkPolicy').spec.ingress;
    expect(ingress).toContainEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-ingress' } } }], ports: [{ port: 8080, protocol: 'TCP' }] });
  });

  test('lets Prometheus reach the sidecars\' metrics ports', () => {
    const ingress = only(canaryApp({ monitoringNamespace: 'observability' }).objects, 'NetworkPolicy').spec.ingress;
    expect(ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }],
      ports: [{ port: 15090, protocol: 'TCP' }, { port: 15020, protocol: 'TCP' }],
    });
  });

  test('circuit breaking goes into the canary\'s DestinationRule', () => {
    const { objects } = canaryApp({
      trafficPolicy: { outlierDetection: { consecutive5xxErrors: 3, maxEjectionPercent: 30 }, tls: IstioTlsMode.ISTIO_MUTUAL },
    });
    expect(only(objects, 'DestinationRule').spec.trafficPolicy.outlierDetection).toEqual({
      consecutive5xxErrors: 3, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 30,
    });
  });
});

describe('IstioCircuitBreaker', () => {
  test('limits connections, ejects failing pods and keeps mutual TLS, with defaults for a Go server', () => {
    const { chart } = newChart({ namespace: 'shop' });
    const payments = new GoMicroservice(chart, 'payments', { image: 'ghcr.io/acme/payments:3.0.1' });
    new IstioCircuitBreaker(chart, 'payments-circuit-breaker', { service: payments });
    const objects = synth(chart);
    const dr = only(objects, 'DestinationRule');
    expect(dr).toMatchSnapshot();
    expect(dr.spec).toEqual({
      host: 'payments.shop.svc.cluster.local',
      trafficPolicy: {
        connectionPool: {
          tcp: { maxConnections: 1024, connectTimeout: '2s' },
          http: { http1MaxPendingRequests: 1024, http2MaxRequests: 1024, maxRetries: 3 },
        },
        outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
        tls: { mode: 'ISTIO_MUTUAL' },
      },
    });
    expect(only(objects, 'Deployment').spec.template.metadata.labels['gantry.dev/track']).toBeUndefined();
  });
});

const service = (chart: Construct) => new GoMicroservice(chart, 'orders', { image: IMAGE });
const canary = (props: Partial<IstioCanaryProps>) => (chart: Construct) =>
  new IstioCanary(chart, 'orders-canary', { service: service(chart), canaryImage: CANARY, ...props });
const PATH = "IstioCanary 'test/orders-canary'";

const CASES: [string, (chart: Construct) => void, string][] = [
  ['the weight is above 100', canary({ weight: 110 }),
    `${PATH}: 'weight' (110) must be a whole number from 0 to 100; give the canary's share in whole percent, such as 10 (the stable version gets 90)`],
  ['the weight is negative', canary({ weight: -5 }),
    `${PATH}: 'weight' (-5) must be a whole number from 0 to 100; give the canary's share in whole percent, such as 10 (the stable version gets 90)`],
  ['the weight is a fraction', canary({ weight: 0.1 }),
    `${PATH}: 'weight' (0.1) must be a whole number from 0 to 100; give the canary's share in whole percent, such as 10 (the stable version gets 90)`],
  ['the canary runs the stable image', canary({ canaryImage: IMAGE }),
    `${PATH}: 'canaryImage' (${IMAGE}) is the image the stable version runs, so the canary would test nothing; give the new version's image, such as a newer tag`],
  ['the canary image is latest', canary({ canaryImage: 'ghcr.io/acme/orders:latest' }),
    "GoMicroservice 'test/orders': 'tracks.canary.image' (ghcr.io/acme/orders:latest) must be pinned to a tag or digest, not 'latest'; pin a version tag such as 'ghcr.io/acme/orders:1.4.2', or a digest: 'ghcr.io/acme/orders@sha256:<digest>'"],
  ['the canary has no pods', canary({ canaryReplicas: 0 }),
    `${PATH}: 'canaryReplicas' (0) must be a whole number from 1 to 10000; run at least 1 canary pod`],
  ['a tester header name has a space', canary({ routeToCanary: [CanaryMatch.header('x canary', 'yes')] }),
    `${PATH}: 'routeToCanary[0].name' (x canary) is not a valid header name; use a name such as 'x-canary'`],
  ['a tester cookie value has a semicolon', canary({ routeToCanary: [CanaryMatch.cookie('canary', 'a;b')] }),
    `${PATH}: 'routeToCanary[0].value' (a;b) is not a cookie value a client can send as is; use letters, digits and '-', such as 'always'`],
  ['retries are too many', canary({ retries: { attempts: 20 } }),
    `${PATH}: 'retries.attempts' (20) must be a whole number from 0 to 10; use a few, such as 2: every retry adds load to a service that may be failing`],
  ['the timeout is under a second', canary({ timeout: Duration.millis(500) }),
    `${PATH}: 'timeout' (0.5s) must be a whole number of seconds from 1 to 86400; use a value such as Duration.seconds(1)`],
  ['the mirrored share is zero', canary({ mirrorPercent: 0 }),
    `${PATH}: 'mirrorPercent' (0) must be a percentage above 0 and at most 100; use a value such as 5, or leave it out`],
  ['a gateway is not a reference', canary({ gateways: ['Istio System/Public'] }),
    `${PATH}: 'gateways[0]' (Istio System/Public) is not a gateway reference; use '<namespace>/<name>', such as 'istio-system/public'`],
  ['a host is not a DNS name', canary({ hosts: ['https://shop.example.com'] }),
    `${PATH}: 'hosts[0]' (https://shop.example.com) is not a DNS name; use a name such as 'shop.example.com'`],
  ['the ejection share is above 100', canary({ trafficPolicy: { outlierDetection: { maxEjectionPercent: 120 } } }),
    `${PATH}: 'trafficPolicy.outlierDetection.maxEjectionPercent' (120) must be a whole percentage from 0 to 100; use a value such as 50, so that half the pods keep serving`],
  ['the connect timeout is zero', canary({ trafficPolicy: { connectionPool: { connectTimeout: Duration.seconds(0) } } }),
    `${PATH}: 'trafficPolicy.connectionPool.connectTimeout' (0s) must be a whole number of seconds from 1 to 300; use a value such as Duration.seconds(1)`],
  ['no connection is allowed', canary({ trafficPolicy: { connectionPool: { maxConnections: 0 } } }),
    `${PATH}: 'trafficPolicy.connectionPool.maxConnections' (0) must be a whole number from 1 to 2147483647; use a value such as 1024`],
  ['the monitoring namespace is invalid', canary({ monitoringNamespace: 'Monitoring' }),
    `${PATH}: 'monitoringNamespace' (Monitoring) is not a valid namespace name (lowercase letters, digits and '-', at most 63 characters); use a name such as 'monitoring'`],
  ['a circuit breaker and a canary both write a DestinationRule', (chart) => {
    const orders = service(chart);
    new IstioCircuitBreaker(chart, 'orders-circuit-breaker', { service: orders });
    new IstioCanary(chart, 'orders-canary', { service: orders, canaryImage: CANARY });
  }, `${PATH}: 'service' (orders) already has a DestinationRule, from test/orders-circuit-breaker, and Istio applies only one per host; give the circuit-breaking settings to that construct (its 'trafficPolicy') instead of adding a second one`],
  ['a JSON patch makes the weights add up to 110', (chart) => {
    canary({})(chart).virtualService.addJsonPatch(JsonPatch.replace('/spec/http/0/route/0/weight', 100));
  }, `${PATH}: 'virtualService.http[0] (primary).route' (100 + 10) gives weights that add up to 110, not 100; give whole percentages that add up to 100`],
  ['a JSON patch makes a subset select no pod', (chart) => {
    canary({})(chart).destinationRule.addJsonPatch(JsonPatch.replace('/spec/subsets/1/labels/gantry.dev~1track', 'preview'));
  }, `${PATH}: 'destinationRule.subsets.canary' ({"app.kubernetes.io/instance":"orders","app.kubernetes.io/name":"orders","gantry.dev/track":"preview"}) selects no pod of the service, so Istio would answer 503 "no healthy upstream" for it; remove the JSON patch that changed the subset or the pod labels`],
  ['a JSON patch routes to a subset that does not exist', (chart) => {
    canary({})(chart).virtualService.addJsonPatch(JsonPatch.replace('/spec/http/0/route/1/destination/subset', 'v2'));
  }, `${PATH}: 'virtualService.http[0] (primary).destination.subset' (v2) is not a subset of the DestinationRule (it has stable, canary); name one of its subsets`],
  ['a JSON patch routes to another host', (chart) => {
    canary({})(chart).virtualService.addJsonPatch(JsonPatch.replace('/spec/http/0/route/1/destination/host', 'payments'));
  }, `${PATH}: 'virtualService.http[0] (primary).destination.host' (payments) is not the host of the DestinationRule (orders); route to the service's own host`],
];

describe('IstioCanary bad input', () => {
  test.each(CASES)('fails when %s', (_title, define, message) => {
    expect(gantryError(define).message).toBe(message);
  });

  test('fails when the same service gets a second canary', () => {
    const error = gantryError((chart) => {
      const orders = service(chart);
      new IstioCanary(chart, 'a', { service: orders, canaryImage: CANARY });
      new IstioCanary(chart, 'b', { service: orders, canaryImage: 'ghcr.io/acme/orders:1.6.0' });
    });
    expect(error.message).toBe("IstioCanary 'test/b': 'service' (orders) already has a DestinationRule, from test/a, and Istio applies only one per host; "
      + "give the circuit-breaking settings to that construct (its 'trafficPolicy') instead of adding a second one");
  });
});
