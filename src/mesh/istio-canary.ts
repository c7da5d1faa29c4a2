import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryMatch } from './canary-match';
import { declareCanaryValues } from './istio-canary-values';
import { claimDestinationRule, istioHost, joinMesh, meshRuleCondition } from './istio-service';
import { meshProblems } from './mesh-links';
import { trafficPolicy, TrafficPolicyOptions } from './traffic-policy';
import { checkInt, checkNamespace, checkSeconds } from '../core/checks';
import { GantryError } from '../core/errors';
import { ControllerManagedFields } from '../core/managed-fields';
import { checkProps } from '../core/props';
import { ArgoRollout } from '../delivery/argo-rollout';
import { CanaryOptions, RolloutStrategy } from '../delivery/rollout-strategy';
import { syncWaveAnnotations } from '../environment/sync-waves';
import { registerValuesSource } from '../helm/registry';
import { IngressPeer } from '../network/ingress-peer';
import { ServiceValues } from '../workload/service-values';
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

  /**
   * The image the canary runs; it must differ from the service's. Not with `rollout`, where the new version is the
   * service's own image.
   * @default - none: required unless `rollout` is given
   */
  readonly canaryImage?: string;

  /**
   * The share of requests, in percent, that go to the canary; the stable version gets the rest. Changing it is a
   * one-line change of the VirtualService. Not with `rollout`, whose steps set it.
   * @default 10
   */
  readonly weight?: number;

  /**
   * Let Argo Rollouts run the canary: a Rollout takes the service's pods over, and every new image of the service is
   * released in these steps, watched by the analysis; a failing analysis sends all traffic back to the stable version.
   * @default - a static canary: two Deployments and fixed weights
   */
  readonly rollout?: CanaryOptions;

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
  /** The canary track of a static canary. */
  public readonly canary?: WorkloadTrack;
  /** The Rollout, when Argo Rollouts runs the canary. */
  public readonly rollout?: ArgoRollout;
  /** The canary's share of requests, in percent (0 when a Rollout sets it). */
  public readonly weight: number;

  /**
   * @param scope usually the service's chart
   * @param id the construct id
   * @param props the service, the canary image and the routing
   */
  constructor(scope: Construct, id: string, props: IstioCanaryProps) {
    super(scope, id);
    checkProps(this, 'IstioCanaryProps', props);
    const service = props.service;
    const progressive = props.rollout !== undefined;
    if (progressive && props.canaryImage !== undefined) {
      throw GantryError.of(this, 'canaryImage', props.canaryImage, 'is not used when Argo Rollouts runs the canary: the new version is the service\'s image',
        'leave \'canaryImage\' out and release by changing the service\'s image');
    }
    if (progressive && props.weight !== undefined) {
      throw GantryError.of(this, 'weight', props.weight, 'is set by the Rollout\'s steps when Argo Rollouts runs the canary',
        'leave \'weight\' out and give the shares as CanaryStep.weight() steps');
    }
    if (!progressive && props.canaryImage === undefined) {
      throw GantryError.of(this, 'canaryImage', undefined, 'is missing: a static canary needs the image of the new version',
        'give the canary\'s image, such as \'ghcr.io/acme/orders:1.5.0\', or let Argo Rollouts run the canary with \'rollout\'');
    }
    this.weight = progressive ? 0 : props.weight ?? 10;
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
    // Argo Rollouts adds the pod-template hash of each version to the subsets itself.
    this.canary = progressive ? undefined : service.addTrack('canary', { primaryTrack: 'stable', image: props.canaryImage, replicas });
    const host = istioHost(service);
    const metadata = (kind: string) =>
      ({ name: service.name, namespace: service.namespace, labels: { ...service.labels }, annotations: syncWaveAnnotations(this, kind) });

    this.destinationRule = new ApiObject(this, 'DestinationRule', {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'DestinationRule',
      metadata: metadata('DestinationRule'),
      spec: {
        host,
        trafficPolicy: policy,
        subsets: [
          { name: 'stable', labels: { ...service.primaryPodSelector } },
          { name: 'canary', labels: { ...(this.canary?.podSelector ?? service.selectorLabels) } },
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
    const http = withGateways(routes, mesh.gateways, service);
    const weightedRoutes = http.map((r, i) => (r.name.startsWith(PRIMARY_ROUTE) ? i : -1)).filter((i) => i >= 0);
    this.virtualService = new ApiObject(this, 'VirtualService', {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: metadata('VirtualService'),
      spec: {
        hosts: [host, ...mesh.hosts],
        gateways: mesh.gateways.length > 0 ? ['mesh', ...mesh.gateways] : undefined,
        http,
      },
    });

    const joined = joinMesh(service, monitoringNamespace);
    if (mesh.gateways.length > 0) {
      service.allowIngress({
        from: [IngressPeer.namespace(mesh.gatewayNamespace)],
        ports: Object.entries(service.ports)
          .filter(([name]) => name !== service.metricsPortName).map(([, port]) => port),
      });
    }
    if (progressive) {
      // The Rollout owns the weights of the primary routes and the subsets' labels from now on.
      for (const i of weightedRoutes) ControllerManagedFields.of(this.virtualService).add(`/spec/http/${i}/route`);
      ControllerManagedFields.of(this.destinationRule).add('/spec/subsets');
      this.rollout = new ArgoRollout(this, 'Rollout', {
        service,
        strategy: RolloutStrategy.canary({
          ...props.rollout,
          istio: {
            virtualServiceName: service.name,
            routes: weightedRoutes.map((i) => http[i].name),
            destinationRuleName: service.name,
            stableSubsetName: 'stable',
            canarySubsetName: 'canary',
          },
        }),
      });
    }
    const canaryTrack = this.canary;
    const group = ServiceValues.groupOf(service.name);
    if (canaryTrack !== undefined) {
      registerValuesSource(this, {
        group,
        declare: (registry) => declareCanaryValues(registry, {
          service, virtualService: this.virtualService, canary: canaryTrack, weight: this.weight, weightedRoutes,
        }),
      });
    } else if (this.rollout !== undefined) {
      // In a Helm chart, a switch for the routes and the Rollout together: one chart serves environments that release
      // through the canary and environments where the Deployment keeps its pods.
      const path = [group, 'canary', 'enabled'];
      this.rollout._switchedBy(path);
      registerValuesSource(this, {
        group,
        declare: (registry) => {
          const ref = registry.declareSwitch(this, path, 'Release through the canary (the Istio routes and the Argo Rollouts Rollout); '
            + 'false leaves the pods to the Deployment', [this.virtualService, this.destinationRule]);
          if (joined) meshRuleCondition(registry, service, ref);
        },
      });
    }
    this.node.addValidation({
      validate: () => meshProblems(this, {
        service, virtualService: this.virtualService, destinationRule: this.destinationRule, tracks: this.canary ? [this.canary] : [],
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
