import { GoMicroserviceProps } from './go-microservice-props';
import { withTag } from '../core/image';
import { ServiceOverrides } from '../environment/service-overrides';

/** A service's props with an environment's overrides applied; the props stay as given where nothing is overridden. */
export function applyOverrides(props: GoMicroserviceProps, o: ServiceOverrides | undefined): GoMicroserviceProps {
  if (o === undefined) return props;
  const merged: any = { ...props };
  if (o.imageTag !== undefined) merged.image = withTag(props.image, o.imageTag);
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
