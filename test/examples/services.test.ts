import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { shopArgoCd, shopEnvironments } from '../../examples/shop/environments';
import { buildShop } from '../../examples/shop/shop';
import { GantryApp } from '../../src';
import { takeTree } from '../harness';
import { metricProblems, probe, probeProblems, shutdownProblems } from '../support/conformance';
import { canRunPods, Pod } from '../support/pod';
import { Prometheus } from '../support/prometheus';

// The example's services are real Go programs (examples/shop/services). This test builds them and runs each one the
// way its synthesized prod Deployment says (environment, ports, mounted files, user; see test/support/pod.ts), then
// holds the manifests against the binary: the probes answer, every series the alerts, SLO rules, dashboard and canary
// analysis read is exported with its labels, and SIGTERM drains and exits within the grace period.

const ROOT = path.join(__dirname, '..', '..');
const SERVICES_DIR = path.join(ROOT, 'examples', 'shop', 'services');
const BIN = path.join(ROOT, '.tools', 'services');
const SERVICES = ['orders', 'inventory', 'payments'];
const SECRETS = { 'orders-db': { password: 'test-password' }, 'payments-provider': { 'api-key': 'test-key' } };

/** The prod environment's objects, as `cdk8s synth` writes them. */
function prodObjects(): any[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-e2e-'));
  const app = new GantryApp({ outdir });
  const environments = shopEnvironments(app);
  for (const env of environments) buildShop(env);
  shopArgoCd(new Chart(app, 'argocd'), new Chart(app, 'argocd-root'), environments);
  app.synth();
  return [...takeTree(outdir)].filter(([f]) => f.startsWith('prod/')).flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJSON()));
}

/** Builds the three programs into .tools/services (the Go build cache keeps later builds fast). */
function buildServices(): void {
  const result = spawnSync('go', ['build', '-trimpath', '-o', BIN + path.sep, './cmd/...'], { cwd: SERVICES_DIR, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`go build failed:\n${result.stderr}`);
}

const objects = prodObjects();
const ofService = (service: string) => objects.filter((o) => o.metadata.labels?.['app.kubernetes.io/name'] === service);
const deploymentOf = (service: string) => objects.find((o) => o.kind === 'Deployment' && o.metadata.name === service);

/** A few business requests, so that the request series exist (answered or not: dependencies are out of reach here). */
const TRAFFIC: { [service: string]: (pod: Pod) => Promise<unknown> } = {
  orders: (pod) => Promise.all([1, 2, 3].map((i) => fetch(pod.url('http', `/orders/${i}`)))),
  payments: (pod) => Promise.all([1, 2, 3].map((i) => fetch(pod.url('http', `/payments/${i}`)))),
  // Its gRPC health checks are RPCs like any other: the probes made the series.
  inventory: async () => undefined,
};

/** The ServiceMonitor's endpoint: the container port the metrics are scraped from, and the path. */
function metricsEndpoint(service: string, pod: Pod): string {
  const monitor = objects.find((o) => o.kind === 'ServiceMonitor' && o.metadata.name === service);
  const endpoint = monitor.spec.endpoints[0];
  const servicePort = objects.find((o) => o.kind === 'Service' && o.metadata.name === service).spec.ports.find((p: any) => p.name === endpoint.port);
  return pod.url(servicePort.targetPort, endpoint.path);
}

describe('the example\'s services, run as their manifests say', () => {
  const support = canRunPods();
  const pods = new Map<string, Pod>();

  beforeAll(async () => {
    if (!support.ok) throw new Error(`this test runs each service in network and mount namespaces of its own, and ${support.why}`);
    buildServices();
    SERVICES.forEach((service, i) => pods.set(service, Pod.start({
      // The fault switch is the one thing added to the Deployment's environment: the Prometheus test turns it on.
      binary: path.join(BIN, service),
      deployment: deploymentOf(service),
      objects,
      secrets: SECRETS,
      slot: i + 1,
      testEnv: { FAULT_INJECTION: 'enabled' },
    })));
    for (const [service, pod] of pods) {
      const startup = deploymentOf(service).spec.template.spec.containers[0].startupProbe;
      await pod.waitFor('the startup probe to pass', async () => (await probe(pod, startup)).ok);
    }
  }, 600_000);

  afterAll(async () => {
    for (const pod of pods.values()) await pod.remove();
  });

  test.each(SERVICES)('%s answers every probe its Deployment declares', async (service) => {
    expect(await probeProblems(service, pods.get(service)!, deploymentOf(service))).toEqual([]);
  });

  test.each(SERVICES)('%s exports every series its alerts, SLO rules, dashboard and analysis read', async (service) => {
    const pod = pods.get(service)!;
    // The request series appear with the first request; the probes above made some, and so does this.
    await TRAFFIC[service](pod);
    const exposition = await (await fetch(metricsEndpoint(service, pod))).text();
    expect(metricProblems(service, exposition, ofService(service))).toEqual([]);
  });

  test('a real Prometheus scrapes them with the rules loaded: failing requests make the SLO series and the alert pending', async () => {
    const rules = objects.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => o.spec.groups);
    const prometheus = await Prometheus.start(SERVICES.map((service) => {
      const pod = pods.get(service)!;
      const url = new URL(metricsEndpoint(service, pod));
      return { address: url.host, path: url.pathname, labels: { job: service, namespace: 'shop', pod: pod.name, container: service } };
    }), rules);
    try {
      const orders = pods.get('orders')!;
      const fault = await fetch(orders.url('metrics', '/fault?error_ratio=0.5'), { method: 'PUT' });
      expect(fault.ok).toBe(true);
      let sending = true;
      const load = (async () => {
        while (sending) await Promise.all(Array.from({ length: 10 }, (_, i) => fetch(orders.url('http', `/orders/${i}`)).catch(() => undefined)));
      })();
      try {
        // The recording rules produce the error ratio of the availability SLO...
        await prometheus.until('the SLO error ratio to be recorded above 30 %', async () => {
          const [sample] = await prometheus.query('slo:sli_error:ratio_rate5m{slo="orders-availability"}');
          return sample !== undefined && Number(sample.value[1]) > 0.3;
        }, 60_000);
        // ... and the error-rate alert holds (pending for its 5 minutes, or firing).
        await prometheus.until('GoServiceHighErrorRate to be pending', async () =>
          (await prometheus.alerts()).some((a) => a.labels.alertname === 'GoServiceHighErrorRate' && a.labels.service === 'orders'), 30_000);
      } finally {
        sending = false;
        await load;
      }
      // Every rule of every service evaluates without error against the real series.
      const unhealthy = (await prometheus.rules()).flatMap((g: any) => g.rules).filter((r: any) => r.health === 'err')
        .map((r: any) => `${r.name}: ${r.lastError}`);
      expect(unhealthy).toEqual([]);
      await fetch(orders.url('metrics', '/fault'), { method: 'DELETE' });
    } finally {
      await prometheus.stop();
    }
  }, 120_000);

  describe('fails, naming the service, the object and the field, when', () => {
    test('a probe asks for a path the binary does not serve', async () => {
      const deployment = structuredClone(deploymentOf('orders'));
      deployment.spec.template.spec.containers[0].readinessProbe.httpGet.path = '/ready';
      const pod = pods.get('orders')!;
      expect(await probeProblems('orders', pod, deployment)).toEqual([
        `orders: Deployment/orders spec.template.spec.containers[0].readinessProbe.httpGet fails on the binary: GET ${pod.url('http', '/ready')} answered 404`,
      ]);
    });

    test('an alert reads a metric the instrumentation does not export', async () => {
      const pod = pods.get('orders')!;
      const exposition = await (await fetch(metricsEndpoint('orders', pod))).text();
      const rule = {
        kind: 'PrometheusRule',
        metadata: { name: 'orders' },
        spec: {
          groups: [{
            name: 'x',
            rules: [
              { alert: 'OrdersSlow', expr: 'histogram_quantile(0.99, sum by (le) (rate(http_server_duration_bucket{job="orders"}[5m]))) > 1' },
              { alert: 'OrdersByHandler', expr: 'sum by (handler) (rate(http_requests_total{job="orders"}[5m])) > 1' },
            ],
          }],
        },
      };
      expect(metricProblems('orders', exposition, [rule])).toEqual([
        'orders: PrometheusRule/orders alert OrdersSlow reads http_server_duration_bucket, which the binary does not export',
        'orders: PrometheusRule/orders alert OrdersByHandler reads http_requests_total by its label handler, which the binary does not export on it (it has code, method)',
      ]);
    });

    test('the grace period is shorter than the shutdown takes', async () => {
      const deployment = structuredClone(deploymentOf('payments'));
      deployment.spec.template.spec.terminationGracePeriodSeconds = 2; // the drain alone takes 5 s
      const pod = Pod.start({ binary: path.join(BIN, 'payments'), deployment, objects, secrets: SECRETS, slot: 9 });
      try {
        await pod.waitFor('the startup probe to pass', async () => (await probe(pod, deployment.spec.template.spec.containers[0].startupProbe)).ok);
        expect(await shutdownProblems('payments', pod, deployment)).toEqual([
          'payments: Deployment/payments spec.template.spec.terminationGracePeriodSeconds (2): the process was still shutting down after 2 s and was killed',
        ]);
      } finally {
        await pod.remove();
      }
    }, 30_000);
  });

  // Last: it stops the pods.
  test('SIGTERM: each fails readiness at once, drains and exits 0 within its grace period', async () => {
    const problems = await Promise.all(SERVICES.map((service) => shutdownProblems(service, pods.get(service)!, deploymentOf(service))));
    expect(problems.flat()).toEqual([]);
  }, 120_000);
});
