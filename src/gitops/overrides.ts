import { ServiceOverrides } from './environment';
import { GoMicroserviceProps } from '../workload/go-microservice-props';

/** A service's props with an environment's overrides applied; the props stay as given where nothing is overridden. */
export function applyOverrides(props: GoMicroserviceProps, o: ServiceOverrides | undefined): GoMicroserviceProps {
  if (o === undefined) return props;
  const merged: any = { ...props };
  if (o.imageTag !== undefined) {
    // The repository stays; a digest pinned the defined tag, so it goes with it.
    const withoutDigest = props.image.split('@')[0];
    const slash = withoutDigest.lastIndexOf('/');
    const colon = withoutDigest.lastIndexOf(':');
    merged.image = `${colon > slash ? withoutDigest.slice(0, colon) : withoutDigest}:${o.imageTag}`;
  }
  if (o.replicas !== undefined) merged.replicas = o.replicas;
  if (o.minReplicas !== undefined || o.maxReplicas !== undefined) {
    merged.autoscaling = {
      ...props.autoscaling,
      ...(o.minReplicas !== undefined ? { minReplicas: o.minReplicas } : {}),
      ...(o.maxReplicas !== undefined ? { maxReplicas: o.maxReplicas } : {}),
    };
  }
  if (o.resources !== undefined) {
    const r = props.resources ?? {};
    merged.resources = {
      cpu: { ...r.cpu, ...o.resources.cpu },
      memory: { ...r.memory, ...o.resources.memory },
      ephemeralStorage: { ...r.ephemeralStorage, ...o.resources.ephemeralStorage },
    };
  }
  if (o.env !== undefined) merged.env = { ...props.env, ...o.env };
  return merged;
}

/**
 * The Argo CD sync wave of each kind a service emits, from what depends on what: identity, configuration and the
 * network policy before the pods that use them, the autoscaler and the disruption budget after the Deployment.
 */
export const SYNC_WAVES: { [kind: string]: string } = {
  ServiceAccount: '-1',
  ConfigMap: '-1',
  NetworkPolicy: '-1',
  Deployment: '0',
  Service: '0',
  PodDisruptionBudget: '1',
  HorizontalPodAutoscaler: '1',
};
