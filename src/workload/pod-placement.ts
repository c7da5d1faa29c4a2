import { k8s } from 'cdk8s-plus-28';
import { TopologySpreadOptions } from './go-microservice-props';

// Where a GoMicroservice's pods run.

/** Spread over zones and nodes, counting only pods of the same ReplicaSet. */
export function topologySpread(
  options: TopologySpreadOptions | undefined, selectorLabels: { [key: string]: string },
): k8s.TopologySpreadConstraint[] | undefined {
  const t = options ?? {};
  const constraint = (topologyKey: string): k8s.TopologySpreadConstraint => ({
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
