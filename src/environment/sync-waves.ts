import { IConstruct } from 'constructs';
import { Environment } from './environment';

/** The annotation Argo CD orders a sync by: lower waves are applied, and healthy, before higher ones. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * The sync wave of each kind a service emits, from what depends on what: identity, configuration, the network
 * policy, the analysis templates and the subsets before the pods and routes that use them; the Rollout (which takes
 * the Deployment's pods over), the autoscaler and the disruption budget after the Deployment.
 */
const SYNC_WAVES: { [kind: string]: string } = {
  ServiceAccount: '-1',
  ConfigMap: '-1',
  NetworkPolicy: '-1',
  AnalysisTemplate: '-1',
  DestinationRule: '-1',
  Deployment: '0',
  Service: '0',
  VirtualService: '0',
  Rollout: '1',
  PodDisruptionBudget: '1',
  HorizontalPodAutoscaler: '1',
};

/** The sync-wave annotation of an object of `kind` defined under `scope`, when `scope` is in an Environment. */
export function syncWaveAnnotations(scope: IConstruct, kind: string): { [key: string]: string } | undefined {
  const wave = SYNC_WAVES[kind];
  if (Environment.of(scope) === undefined || wave === undefined) return undefined;
  return { [SYNC_WAVE_ANNOTATION]: wave };
}
