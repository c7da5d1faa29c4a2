import { IConstruct } from 'constructs';
import { GantryError } from '../core/errors';
import { ValueRegistry } from '../helm/registry';
import { listItemConditionHook } from '../helm/template-hooks';
import { IngressPeer } from '../network/ingress-peer';
import { IGoMicroservice } from '../workload/workload-contract';

// What every Istio construct of a service shares: the host name, the one DestinationRule a host may have, and the
// NetworkPolicy rule that lets Prometheus reach the sidecar.

/** The sidecar's ports Prometheus scrapes: Envoy's own metrics, and the agent's merged (app + Envoy) metrics. */
export const SIDECAR_METRICS_PORTS = [15090, 15020];

const DESTINATION_RULES = new WeakMap<IGoMicroservice, string>();
const IN_MESH = new WeakSet<IGoMicroservice>();

/** The service's host as Istio routes it: the cluster-local name when the namespace is known. */
export function istioHost(service: IGoMicroservice): string {
  return service.namespace !== undefined ? `${service.name}.${service.namespace}.svc.cluster.local` : service.name;
}

/** Claims the service's one DestinationRule for `scope`: Istio applies only one per host, the others silently not. */
export function claimDestinationRule(scope: IConstruct, service: IGoMicroservice): void {
  const other = DESTINATION_RULES.get(service);
  if (other !== undefined) {
    throw GantryError.of(scope, 'service', service.name, `already has a DestinationRule, from ${other}, and Istio applies only one per host`,
      'give the circuit-breaking settings to that construct (its \'trafficPolicy\') instead of adding a second one');
  }
  DESTINATION_RULES.set(service, scope.node.path);
}

/**
 * Lets Prometheus, in `monitoringNamespace`, reach the service's sidecars (once per service). Returns whether this
 * call added the rule.
 */
export function joinMesh(service: IGoMicroservice, monitoringNamespace: string): boolean {
  if (IN_MESH.has(service)) return false;
  IN_MESH.add(service);
  service.allowIngress({ from: [IngressPeer.namespace(monitoringNamespace)], ports: SIDECAR_METRICS_PORTS });
  return true;
}

/** In a Helm chart, renders the rule `joinMesh` added only while `condition` (a switch of the construct that added it) holds. */
export function meshRuleCondition(registry: ValueRegistry, service: IGoMicroservice, condition: string): void {
  if (service.networkPolicy === undefined) return;
  registry.hook(service.networkPolicy, listItemConditionHook('/spec/ingress',
    (rule) => (rule?.ports ?? []).some((p: any) => p.port === SIDECAR_METRICS_PORTS[0]), condition));
}
