import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { IngressPeer } from './ingress-peer';
import { checkNamespace, checkPort } from '../core/checks';
import { GantryError } from '../core/errors';

/**
 * The NetworkPolicy of a GoMicroservice: it denies all other ingress to the pods.
 */
export interface NetworkPolicyOptions {
  /**
   * Emit a NetworkPolicy.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Who may reach the HTTP and gRPC ports.
   * @default [IngressPeer.sameNamespace()]
   */
  readonly allowFrom?: IngressPeer[];

  /**
   * The namespace Prometheus runs in, allowed to reach the metrics port.
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
}

/**
 * One more way in to a workload's pods, besides what its NetworkPolicy already allows: for example a service mesh's
 * sidecar ports for the monitoring namespace, or an ingress gateway.
 */
export interface IngressRule {
  /** Who may connect. */
  readonly from: IngressPeer[];
  /** The port numbers they may connect to, such as a sidecar's 15090. */
  readonly ports: number[];
}

/** The pods a NetworkPolicy protects: their labels, their ports by name, and which port serves metrics. */
export interface PolicyTarget {
  readonly selectorLabels: { [key: string]: string };
  readonly ports: { [name: string]: number };
  readonly metricsPortName: string;
}

/**
 * An ingress-only NetworkPolicy spec: `allowFrom` may reach the service ports and the monitoring namespace the metrics
 * port; nothing else gets in. Errors name `scope` and the `networkPolicy.*` property.
 */
export function networkPolicySpec(scope: IConstruct, target: PolicyTarget, options: NetworkPolicyOptions): k8s.NetworkPolicySpec {
  const monitoring = options.monitoringNamespace ?? 'monitoring';
  checkNamespace(scope, 'networkPolicy.monitoringNamespace', monitoring);
  const peers = options.allowFrom ?? [IngressPeer.sameNamespace()];
  peers.forEach((p, i) => p._check(scope, `networkPolicy.allowFrom[${i}]`));
  if (peers.length === 0) {
    throw GantryError.of(scope, 'networkPolicy.allowFrom', '[]', 'allows no one, so the service cannot be reached',
      'list who may connect, such as [IngressPeer.namespace(\'ingress-nginx\')], or set \'networkPolicy.enabled\' to false');
  }
  const port = (name: string): k8s.NetworkPolicyPort => ({ port: k8s.IntOrString.fromString(name), protocol: 'TCP' });
  return {
    podSelector: { matchLabels: { ...target.selectorLabels } },
    policyTypes: ['Ingress'],
    ingress: [
      { from: peers.map((p) => p._toKube()), ports: Object.keys(target.ports).filter((p) => p !== target.metricsPortName).map(port) },
      { from: [IngressPeer.namespace(monitoring)._toKube()], ports: [port(target.metricsPortName)] },
    ],
  };
}

/** An IngressRule as a NetworkPolicy ingress rule; errors name `scope` and `property`. */
export function ingressRule(scope: IConstruct, property: string, rule: IngressRule): k8s.NetworkPolicyIngressRule {
  if (rule.from.length === 0) {
    throw GantryError.of(scope, `${property}.from`, '[]', 'allows no one', 'list who may connect, such as [IngressPeer.namespace(\'monitoring\')]');
  }
  rule.ports.forEach((p, i) => checkPort(scope, `${property}.ports[${i}]`, p));
  return {
    from: rule.from.map((p, i) => {
      p._check(scope, `${property}.from[${i}]`);
      return p._toKube();
    }),
    ports: rule.ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p), protocol: 'TCP' })),
  };
}
