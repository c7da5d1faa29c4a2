import { IConstruct } from 'constructs';
import { TopologySpreadOptions } from './go-microservice-props';
import { checkNamespace } from '../core/checks';
import { GantryError } from '../errors';
import { IngressPeer } from '../network/ingress-peer';

// Where a GoMicroservice's pods run and who may reach them: topology spread and the NetworkPolicy spec.

/** Spread over zones and nodes, counting only pods of the same ReplicaSet. */
export function topologySpread(options: TopologySpreadOptions | undefined, selectorLabels: { [key: string]: string }): any[] | undefined {
  const t = options ?? {};
  const constraint = (topologyKey: string) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: t.strict ? 'DoNotSchedule' : 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...selectorLabels } },
    // Count only pods of the same ReplicaSet, so a rollout's old pods do not skew the new ones' placement.
    matchLabelKeys: ['pod-template-hash'],
  });
  const out = [];
  if (t.acrossZones ?? true) out.push(constraint('topology.kubernetes.io/zone'));
  if (t.acrossNodes ?? true) out.push(constraint('kubernetes.io/hostname'));
  return out.length > 0 ? out : undefined;
}

/** Deny other ingress; let `allowFrom` reach the service ports and the monitoring namespace the metrics port. */
export function networkPolicySpec(
  scope: IConstruct, selectorLabels: { [key: string]: string }, ports: { [name: string]: number }, metricsPortName: string,
  allowFrom: IngressPeer[] | undefined, monitoringNamespace: string | undefined,
): any {
  const monitoring = monitoringNamespace ?? 'monitoring';
  checkNamespace(scope, 'networkPolicy.monitoringNamespace', monitoring);
  const peers = allowFrom ?? [IngressPeer.sameNamespace()];
  if (peers.length === 0) {
    throw GantryError.of(scope, 'networkPolicy.allowFrom', '[]', 'allows no one, so the service cannot be reached',
      'list who may connect, such as [IngressPeer.namespace(\'ingress-nginx\')], or set \'networkPolicy.enabled\' to false');
  }
  const servicePorts = Object.keys(ports).filter((p) => p !== metricsPortName).map((port) => ({ port, protocol: 'TCP' }));
  return {
    podSelector: { matchLabels: { ...selectorLabels } },
    policyTypes: ['Ingress'],
    ingress: [
      { from: peers.map((p) => p.toJson()), ports: servicePorts },
      { from: [IngressPeer.namespace(monitoring).toJson()], ports: [{ port: metricsPortName, protocol: 'TCP' }] },
    ],
  };
}
