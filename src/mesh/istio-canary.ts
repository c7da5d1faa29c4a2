import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryMatch } from './canary-match';
import { claimDestinationRule, istioHost, joinMesh } from './istio-service';
import { meshProblems } from './mesh-links';
import { trafficPolicy, TrafficPolicyOptions } from './traffic-policy';
import { checkInt, checkNamespace, checkSeconds } from '../core/checks';
import { GantryError } from '../core/errors';
import { IngressPeer } from '../network/ingress-peer';
import { WorkloadTrack } from '../workload/tracks';
import { IGoMicroservice } from '../workload/workload-contract';

/**
 * How the sidecar retries a failed request (`HTTPRoute.retries`).
 */
export interface HttpRetryOptions {
  /**
   * Attempts after the first.
   * @default 2
   */
  readonly attempts?: number;
  /**
   * The timeout of each attempt.
   * @default - the route's timeout
   */
  readonly perTryTimeout?: Duration;
  /**
   * The conditions to retry on, in Envoy's terms.
   * @default 'connect-failure,refused-stream,unavailable,cancelled' (Istio's own)
   */
  readonly retryOn?: string;
}

/**
 * Properties of an IstioCanary.
 */
export interface IstioCanaryProps {
  /** The service: its own Deployment becomes the `stable` track. */
  readonly service: IGoMicroservice;

  /** The image the canary runs; it must differ from the service's. */
  readonly canaryImage: string;

  /**
   * The share of requests, in percent, that go to the canary; the stable version gets the rest. Changing it is a
   * one-line change of the VirtualService.
   * @default 10
   */
  readonly weight?: number;

  /**
   * The canary's pods.
   * @default - the weight's share of the service's fewest pods, rounded up: at least 1
   */
  readonly canaryReplicas?: number;

  /**
   * Requests that always go to the canary (testers), whatever the weight.
   * @default - none
   */
  readonly routeToCanary?: CanaryMatch[];

  /**
   * Retries of failed requests.
   * @default - Istio's (2 attempts on connection failures and gRPC Unavailable)
   */
  readonly retries?: HttpRetryOptions;

  /**
   * How long a request may take, retries included.
   * @default - no timeout (Istio's default)
   */
  readonly timeout?: Duration;

  /**
   * Also send a copy of this percentage of the stable version's requests to the canary, whose answers are dropped.
   * @default - no mirroring
   */
  readonly mirrorPercent?: number;

  /**
   * Gateways (`<namespace>/<name>`) whose traffic the routes also take, besides the mesh's own.
   * @default - the mesh only
   */
  readonly gateways?: string[];

  /**
   * More host names the routes answer for, such as the public name a gateway serves.
   * @default - the service's cluster-local name only
   */
  readonly hosts?: string[];

  /**
   * The namespace of the ingress gateway's pods, let in by the NetworkPolicy when `gateways` are given.
   * @default 'istio-system'
   */
  readonly gatewayNamespace?: string;

  /**
   * Circuit breaking and TLS towards the service's pods.
   * @default - the TrafficPolicyOptions defaults
   */
  readonly trafficPolicy?: TrafficPolicyOptions;

  /**
   * The namespace Prometheus runs in: the NetworkPolicy lets it reach the sidecar's metrics ports.
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
}

/** The name of the weighted route in the VirtualService, which Argo Rollouts drives when it runs the canary. */
export const PRIMARY_ROUTE = 'primary';

/**
 * A canary release of a GoMicroservice on Istio: the service's own Deployment runs as the `stable` track, a second
 * Deployment (`<name>-canary`) runs the canary image, a DestinationRule names the two subsets by the
 * `gantry.dev/track` label, and a VirtualService splits HTTP and gRPC requests between them by weight (90/10 by
 * default). Testers can reach the canary by header or cookie; retries, timeouts, mirroring and gateways are options.
 *
 * Objects: VirtualService and DestinationRule named like the service (ids `VirtualService`, `DestinationRule`); the
 * canary Deployment is the service's track `canary`. Synthesis checks that the weights add up to 100, that every
 * subset a route names exists and selects pods, and that the routes point at the service.
 *
 * @example
 * new IstioCanary(chart, 'orders-canary', { service: orders, canaryImage: 'ghcr.io/acme/orders:1.5.0', weight: 10 });
 */
export class IstioCanary extends Construct {
  /** The VirtualService. */
  public readonly virtualService: ApiObject;
  /** The DestinationRule. */
  public readonly destinationRule: ApiObject;
  /** The canary track. */
  public readonly canary: WorkloadTrack;
  /** The canary's share of requests, in percent. */
  public readonly weight: number;

  /**
   * @param scope usually the service's chart
   * @param id the construct id
   * @param props the service, the canary image and the routing
   */
  constructor(scope: Construct, id: string, props: IstioCanaryProps) {
    super(scope, id);
    const service = props.service;
    this.weight = props.weight ?? 10;
    checkInt(this, 'weight', this.weight, 0, 100, 'give the canary\'s share in whole percent, such as 10 (the stable version gets 90)');
    if (props.canaryImage === service.image) {
      throw GantryError.of(this, 'canaryImage', props.canaryImage, 'is the image the stable version runs, so the canary would test nothing',
        'give the new version\'s image, such as a newer tag');
    }
    const replicas = props.canaryReplicas ?? Math.max(1, Math.ceil((service.minPods * this.weight) / 100));
    checkInt(this, 'canaryReplicas', replicas, 1, 10000, 'run at least 1 canary pod');
    const mesh = routeSettings(this, props);
    const monitoringNamespace = props.monitoringNamespace ?? 'monitoring';
    checkNamespace(this, 'monitoringNamespace', monitoringNamespace);
    const policy = trafficPolicy(this, props.trafficPolicy);

    claimDestinationRule(this, service);
    this.canary = service.addTrack('canary', { primaryTrack: 'stable', image: props.canaryImage, replicas });
    const host = istioHost(service);
    const metadata = { name: service.name, namespace: service.namespace, labels: { ...service.labels } };

    this.destinationRule = new ApiObject(this, 'DestinationRule', {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'DestinationRule',
      metadata,
      spec: {
        host,
        trafficPolicy: policy,
        subsets: [
          { name: 'stable', labels: { ...service.primaryPodSelector } },
          { name: 'canary', labels: { ...this.canary.podSelector } },
        ],
      },
    });

    const to = (subset: string, weight?: number) => ({ destination: { host, subset }, weight });
    const common = { retries: mesh.retries, timeout: mesh.timeout };
    const routes: any[] = [];
    if (mesh.matches.length > 0) routes.push({ name: 'canary-testers', match: mesh.matches, route: [to('canary')], ...common });
    routes.push({
      name: PRIMARY_ROUTE,
      route: [to('stable', 100 - this.weight), to('canary', this.weight)],
      ...common,
      mirror: mesh.mirrorPercent !== undefined ? { host, subset: 'canary' } : undefined,
      mirrorPercentage: mesh.mirrorPercent !== undefined ? { value: mesh.mirrorPercent } : undefined,
    });
    this.virtualService = new ApiObject(this, 'VirtualService', {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata,
      spec: {
        hosts: [host, ...mesh.hosts],
        gateways: mesh.gateways.length > 0 ? ['mesh', ...mesh.gateways] : undefined,
        http: Lazy.any({ produce: () => withGateways(routes, mesh.gateways, service) }),
      },
    });

    joinMesh(service, monitoringNamespace);
    if (mesh.gateways.length > 0) {
      service.allowIngress({
        from: [IngressPeer.namespace(mesh.gatewayNamespace)],
        ports: Object.entries(service.ports)
          .filter(([name]) => name !== service.metricsPortName).map(([, port]) => port),
      });
    }
    this.node.addValidation({
      validate: () => meshProblems(this, {
        service, virtualService: this.virtualService, destinationRule: this.destinationRule, tracks: [this.canary],
      }),
    });
  }
}

interface RouteSettings {
  readonly matches: any[];
  readonly retries?: any;
  readonly timeout?: string;
  readonly mirrorPercent?: number;
  readonly gateways: string[];
  readonly hosts: string[];
  readonly gatewayNamespace: string;
}

/** The routing props, checked. */
function routeSettings(scope: Construct, props: IstioCanaryProps): RouteSettings {
  const matches = (props.routeToCanary ?? []).map((m, i) => {
    const property = `routeToCanary[${i}]`;
    const token = m.kind === 'header' ? /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/ : /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
    if (!token.test(m.name)) {
      throw GantryError.of(scope, `${property}.name`, m.name, `is not a valid ${m.kind} name`, `use a name such as '${m.kind === 'header' ? 'x-canary' : 'canary'}'`);
    }
    if (m.value === '' || /[\s;,"\\]/.test(m.value)) {
      throw GantryError.of(scope, `${property}.value`, m.value, `is not a ${m.kind} value a client can send as is`, 'use letters, digits and \'-\', such as \'always\'');
    }
    return m._toIstio();
  });
  let retries: any;
  if (props.retries !== undefined) {
    const attempts = props.retries.attempts ?? 2;
    checkInt(scope, 'retries.attempts', attempts, 0, 10, 'use a few, such as 2: every retry adds load to a service that may be failing');
    retries = {
      attempts,
      perTryTimeout: props.retries.perTryTimeout !== undefined ? `${checkSeconds(scope, 'retries.perTryTimeout', props.retries.perTryTimeout, 1, 3600)}s` : undefined,
      retryOn: props.retries.retryOn ?? 'connect-failure,refused-stream,unavailable,cancelled',
    };
  }
  const timeout = props.timeout !== undefined ? `${checkSeconds(scope, 'timeout', props.timeout, 1, 86400)}s` : undefined;
  if (props.mirrorPercent !== undefined && !(typeof props.mirrorPercent === 'number' && props.mirrorPercent > 0 && props.mirrorPercent <= 100)) {
    throw GantryError.of(scope, 'mirrorPercent', props.mirrorPercent, 'must be a percentage above 0 and at most 100', 'use a value such as 5, or leave it out');
  }
  const gateways = props.gateways ?? [];
  gateways.forEach((g, i) => {
    if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(g) || g === 'mesh') {
      throw GantryError.of(scope, `gateways[${i}]`, g, 'is not a gateway reference', 'use \'<namespace>/<name>\', such as \'istio-system/public\'');
    }
  });
  const hosts = props.hosts ?? [];
  hosts.forEach((h, i) => {
    if (!/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(h)) {
      throw GantryError.of(scope, `hosts[${i}]`, h, 'is not a DNS name', 'use a name such as \'shop.example.com\'');
    }
  });
  const gatewayNamespace = props.gatewayNamespace ?? 'istio-system';
  checkNamespace(scope, 'gatewayNamespace', gatewayNamespace);
  return { matches, retries, timeout, mirrorPercent: props.mirrorPercent, gateways, hosts, gatewayNamespace };
}

/**
 * The routes, and when gateways are given, the same routes first for the gateways' traffic (named `<route>-gateways`),
 * with the Service's HTTP port: a gateway must name the destination port of a Service with several, and the mesh's
 * own traffic keeps its port (HTTP or gRPC).
 */
function withGateways(routes: any[], gateways: string[], service: IGoMicroservice): any[] {
  if (gateways.length === 0) return routes;
  const port = { number: (service.service.toJson().spec?.ports ?? []).find((p: any) => p.name === 'http')?.port };
  const viaGateways = routes.map((r) => ({
    ...r,
    name: `${r.name}-gateways`,
    match: (r.match ?? [{}]).map((m: any) => ({ ...m, gateways: [...gateways] })),
    route: r.route.map((d: any) => ({ ...d, destination: { ...d.destination, port } })),
    mirror: r.mirror !== undefined ? { ...r.mirror, port } : undefined,
  }));
  return [...viaGateways, ...routes];
}
