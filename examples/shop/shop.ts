// A small shop: three Go services, each in its own chart. Defined once; `buildShop` runs once per environment.
//
// In your own repository, import from 'cdk8s-gantry' instead of '../../src'.
import { Chart, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ArgoRollout, Environment, GoMicroservice, HealthCheck, HpaMetric, IngressPeer, Instrumentation, IntOrPercent, IstioCanary, IstioCircuitBreaker,
  RollingDeployment, RolloutStrategy,
} from '../../src';

const PART_OF = 'shop';

/** Takes orders over HTTP; scales on its request rate. */
class Orders extends Chart {
  constructor(scope: Construct, id: string, monitoring: boolean, mesh: boolean) {
    super(scope, id, { namespace: namespaceOf(scope), disableResourceNameHashes: true });
    const orders = new GoMicroservice(this, 'orders', {
      image: 'ghcr.io/acme-shop/orders:1.8.2',
      partOf: PART_OF,
      config: {
        // Short names resolve in the pod's own namespace: each environment's orders calls that environment's services.
        'config.yaml': [
          'inventory_addr: inventory:9000',
          'payments_url: http://payments',
          'request_timeout: 3s',
          '',
        ].join('\n'),
      },
      env: { LOG_LEVEL: 'info', CONFIG_FILE: '/etc/orders/config.yaml' },
      // Read by the service from /var/run/secrets/orders/db-password.
      secretFiles: { 'db-password': { secretName: 'orders-db', key: 'password' } },
      resources: {
        cpu: { request: Cpu.millis(250), limit: Cpu.units(1) },
        memory: { request: Size.mebibytes(384), limit: Size.mebibytes(384) },
      },
      autoscaling: {
        minReplicas: 3,
        maxReplicas: 20,
        // Served by prometheus-adapter from http_requests_total.
        metrics: [HpaMetric.pods({ name: 'http_requests_per_second', averageValue: '50' })],
      },
      networkPolicy: { allowFrom: [IngressPeer.namespace('ingress-nginx')] },
    });
    // 99.9% of requests succeed over 30 days: recording rules, error budget, page and ticket burn-rate alerts.
    if (monitoring) {
      orders.addMonitoring({
        availability: { objective: 99.9 },
        alerts: { latency: { threshold: 0.5 } }, // a checkout API: p99 above 500ms is slow
      });
    }
    // In prod, every new image is a canary: Argo Rollouts moves 10, 25 then 50 % of the requests to it through Istio,
    // and rolls it back when its error ratio passes 5 % or its p99 2 s (the analysis needs the monitoring).
    if (mesh && monitoring && setting(scope, 'delivery') === 'progressive') {
      new IstioCanary(this, 'canary', {
        service: orders,
        rollout: {},
        trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5 } },
      });
    }
  }
}

/** Keeps stock; serves gRPC, checked with the gRPC health protocol. */
class Inventory extends Chart {
  constructor(scope: Construct, id: string, monitoring: boolean, mesh: boolean) {
    super(scope, id, { namespace: namespaceOf(scope), disableResourceNameHashes: true });
    const inventory = new GoMicroservice(this, 'inventory', {
      image: 'ghcr.io/acme-shop/inventory@sha256:3f1d2c8e5b7a9d0c4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d',
      version: '2.3.0',
      partOf: PART_OF,
      grpcPort: 9000,
      healthChecks: {
        startup: HealthCheck.grpc(),
        liveness: HealthCheck.grpc({ service: 'liveness' }),
        readiness: HealthCheck.grpc({ service: 'readiness' }),
      },
      replicas: 3,
      strategy: RollingDeployment.rollingUpdate({
        maxSurge: IntOrPercent.count(1),
        maxUnavailable: IntOrPercent.count(0),
        minReady: Duration.seconds(10),
      }),
      networkPolicy: { allowFrom: [IngressPeer.pods({ 'app.kubernetes.io/name': 'orders' })] },
    });
    // gRPC middleware exports grpc_server_handled_total; point the HTTP presets at its names.
    if (monitoring) {
      // go-grpc-middleware's metrics: the error alert counts the gRPC codes that mean the server failed.
      inventory.addMonitoring({ instrumentation: Instrumentation.grpcMiddleware(), availability: { objective: 99.9 } });
    }
    // Where the mesh runs, callers stop sending to a pod that keeps failing, and queue no more than the pods can take.
    if (mesh && setting(scope, 'mesh') === 'istio') {
      new IstioCircuitBreaker(this, 'circuit-breaker', { service: inventory, connectionPool: { maxRequests: 512 } });
    }
  }
}

/** Talks to the payment provider; a fixed pool with a longer shutdown for in-flight charges. */
class Payments extends Chart {
  constructor(scope: Construct, id: string, monitoring: boolean, mesh: boolean) {
    super(scope, id, { namespace: namespaceOf(scope), disableResourceNameHashes: true });
    const payments = new GoMicroservice(this, 'payments', {
      image: 'ghcr.io/acme-shop/payments:3.0.1',
      partOf: PART_OF,
      replicas: 2,
      env: { PROVIDER_URL: 'https://api.payments.example' },
      secretFiles: { 'provider-api-key': { secretName: 'payments-provider', key: 'api-key' } },
      shutdown: { timeout: Duration.seconds(45) },
      networkPolicy: { allowFrom: [IngressPeer.pods({ 'app.kubernetes.io/name': 'orders' })] },
    });
    // Instrumented with OpenTelemetry (otelhttp and its Prometheus exporter): semantic-convention names, in seconds.
    if (monitoring) {
      payments.addMonitoring({ availability: { objective: 99.95 }, instrumentation: Instrumentation.openTelemetryHttp() });
    }
    // In prod, a new version starts beside the live one behind payments-preview, is analysed there, and takes the
    // traffic only when someone runs `kubectl argo rollouts promote payments -n shop`.
    if (mesh && monitoring && setting(scope, 'delivery') === 'progressive') {
      new ArgoRollout(this, 'rollout', { service: payments, strategy: RolloutStrategy.blueGreen() });
    }
  }
}

/** Options of the shop. */
export interface ShopOptions {
  /** Monitor the services with prometheus-operator (true unless said). */
  readonly monitoring?: boolean;
  /** Use Istio and Argo Rollouts where the environment's settings ask for them (true unless said). */
  readonly mesh?: boolean;
}

/** Adds the shop's charts to `scope`: an Environment, or an app for a single deployment in namespace `shop`. */
export function buildShop(scope: Construct, options: ShopOptions = {}): void {
  const monitoring = options.monitoring ?? true;
  const mesh = options.mesh ?? true;
  new Orders(scope, 'orders', monitoring, mesh);
  new Inventory(scope, 'inventory', monitoring, mesh);
  new Payments(scope, 'payments', monitoring, mesh);
}

function namespaceOf(scope: Construct): string {
  return Environment.of(scope)?.namespace ?? 'shop';
}

/** An environment's setting: `delivery` (`progressive` for Argo Rollouts) and `mesh` (`istio`). */
function setting(scope: Construct, key: string): string | undefined {
  return Environment.of(scope)?.setting(key);
}
