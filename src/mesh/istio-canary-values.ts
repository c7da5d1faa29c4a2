import { ApiObject } from 'cdk8s';
import { parseImage } from '../core/image';
import { ValueRegistry } from '../helm/registry';
import { imageExpression, pullSecretsHook, scalarHook } from '../helm/template-hooks';
import { ServiceValues } from '../workload/service-values';
import { WorkloadTrack } from '../workload/tracks';
import { IGoMicroservice } from '../workload/workload-contract';

/** What a static canary's Helm values are made from. */
export interface CanaryValuesState {
  readonly service: IGoMicroservice;
  readonly virtualService: ApiObject;
  readonly canary: WorkloadTrack;
  readonly weight: number;
  /** Indices of the VirtualService's weighted routes, whose first destination is stable and second the canary. */
  readonly weightedRoutes: number[];
}

/**
 * The values `<service>.canary.weight` and `<service>.canary.image`, so that a Helm user moves traffic to the canary,
 * or releases another canary image, with `--set`.
 */
export function declareCanaryValues(registry: ValueRegistry, s: CanaryValuesState): void {
  const v = new ServiceValues(registry, s.service, ServiceValues.groupOf(s.service.name));
  const image = parseImage(s.service, 'canaryImage', s.canary.image);
  v.declare(['canary', 'weight'], { type: 'integer', minimum: 0, maximum: 100, description: 'Percent of requests sent to the canary' }, s.weight);
  for (const i of s.weightedRoutes) {
    v.hook(s.virtualService, scalarHook(`/spec/http/${i}/route/0/weight`, `sub 100 (int ${v.ref('canary', 'weight')})`));
    v.hook(s.virtualService, scalarHook(`/spec/http/${i}/route/1/weight`, v.ref('canary', 'weight')));
  }
  v.declare(['canary', 'image', 'repository'], { type: 'string', minLength: 1, description: 'Canary image repository' }, image.repository);
  v.declare(['canary', 'image', 'tag'], { type: 'string', not: { const: 'latest' }, description: 'Canary image tag' }, image.tag ?? '');
  v.declare(['canary', 'image', 'digest'], { type: 'string', pattern: '^(sha256:[a-f0-9]{64})?$', description: 'Canary image digest, or empty' },
    image.digest ?? '');
  v.hook(s.canary.deployment, scalarHook(`${s.canary.containerPointer}/image`, imageExpression(v.ref('canary', 'image'), `${v.group}.canary.image`, { tag: image.tag ?? '', digest: image.digest ?? '' })));
  v.hook(s.canary.deployment, pullSecretsHook('/spec/template/spec'));
}
