import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { HpaPolicy } from '../autoscaling/hpa-policy';
import { ImageReference } from '../core/image';
import { ValueRegistry } from '../helm/registry';
import {
  appendListHook, blockHook, mergeMapHook, optionalMapFieldHook, scalarHook, structuredHook, valuesRef,
} from '../helm/template-hooks';

// The Helm values of one GoMicroservice, grouped under its values key, and where they go in its objects.

/** What the service's values are made from. */
export interface ServiceHelmState {
  readonly owner: IConstruct;
  readonly group: string;
  readonly image: ImageReference;
  readonly replicas: number;
  readonly hpa?: HpaPolicy;
  readonly deployment: ApiObject;
  readonly podDisruptionBudget?: ApiObject;
  readonly derivedDisruptionBudget: boolean;
  readonly networkPolicy?: ApiObject;
  readonly hasPodAnnotations: boolean;
  /** The `app.kubernetes.io/version` label, if the service has one. */
  readonly version?: string;
  /** Every object of the service. */
  readonly objects: ApiObject[];
  /** The ServiceMonitor, PrometheusRule and dashboard, if the service is monitored. */
  readonly monitoring: ApiObject[];
}

const CONTAINER = '/spec/template/spec/containers/0';
const QUANTITY = { type: ['string', 'number'] };
const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } };

export function declareServiceValues(registry: ValueRegistry, s: ServiceHelmState): void {
  const ref = (...keys: string[]) => valuesRef([s.group, ...keys]);
  const declare = (keys: string[], schema: any, defaultValue?: any, pointer?: string) => registry.declare(s.owner, {
    path: [s.group, ...keys], schema, defaultValue, defaultFrom: pointer ? { apiObject: s.deployment, pointer } : undefined,
  });
  const d = s.deployment;

  declare(['image', 'repository'], { type: 'string', minLength: 1, description: 'Image repository, without tag or digest' }, s.image.repository);
  declare(['image', 'tag'], { type: 'string', not: { const: 'latest' }, description: 'Image tag; empty when the digest pins the image' }, s.image.tag ?? '');
  declare(['image', 'digest'], { type: 'string', pattern: '^(sha256:[a-f0-9]{64})?$', description: 'Image digest (sha256:...), or empty' }, s.image.digest ?? '');
  registry.hook(d, scalarHook(`${CONTAINER}/image`, `include "gantry.image" ${ref('image')} | quote`));

  if (s.version !== undefined) {
    // Its own value, so that a new image tag changes only the image, and environments can say which version they run.
    declare(['version'], { type: 'string', maxLength: 63, description: 'The app.kubernetes.io/version label' }, s.version);
    const label = '/metadata/labels/app.kubernetes.io~1version';
    for (const o of s.objects) registry.hook(o, scalarHook(label, `${ref('version')} | quote`));
    registry.hook(d, scalarHook(`/spec/template${label}`, `${ref('version')} | quote`));
  }

  declare(['replicas'], { type: 'integer', minimum: 1, description: s.hpa ? 'Pods when autoscaling is disabled' : 'Pods' },
    s.hpa ? s.hpa.minReplicas : s.replicas);
  if (s.hpa) {
    const hpa = s.hpa.apiObject;
    const enabled = ref('autoscaling', 'enabled');
    declare(['autoscaling', 'enabled'], { type: 'boolean', description: 'Scale with a HorizontalPodAutoscaler' }, true);
    declare(['autoscaling', 'minReplicas'], { type: 'integer', minimum: 1 }, s.hpa.minReplicas);
    declare(['autoscaling', 'maxReplicas'], { type: 'integer', minimum: 1 }, s.hpa.maxReplicas);
    registry.condition(hpa, enabled);
    registry.hook(hpa, scalarHook('/spec/minReplicas', ref('autoscaling', 'minReplicas')));
    registry.hook(hpa, scalarHook('/spec/maxReplicas', ref('autoscaling', 'maxReplicas')));
    registry.hook(hpa, blockHook('/spec', [], (indent) => [
      `${indent}{{- if gt (int ${ref('autoscaling', 'minReplicas')}) (int ${ref('autoscaling', 'maxReplicas')}) }}`,
      `${indent}{{- fail "${s.group}.autoscaling.minReplicas is greater than maxReplicas" }}`,
      `${indent}{{- end }}`,
    ]));
    for (const [resource, key] of [['cpu', 'cpuUtilization'], ['memory', 'memoryUtilization']]) {
      const index = s.hpa._metricIndex(resource);
      if (index === undefined) continue;
      declare(['autoscaling', key], { type: 'integer', minimum: 1, maximum: 500, description: `Target average ${resource} utilization, percent of the request` },
        s.hpa._utilization(resource));
      registry.hook(hpa, scalarHook(`/spec/metrics/${index}/resource/target/averageUtilization`, ref('autoscaling', key)));
    }
    // With the HPA off, the Deployment takes its replica count back.
    registry.hook(d, blockHook('/spec', ['replicas'], (indent) => [
      `${indent}{{- if not ${enabled} }}`,
      `${indent}replicas: {{ ${ref('replicas')} }}`,
      `${indent}{{- end }}`,
    ]));
  } else {
    registry.hook(d, scalarHook('/spec/replicas', ref('replicas')));
  }

  declare(['resources'], {
    type: 'object',
    additionalProperties: false,
    properties: {
      requests: { type: 'object', additionalProperties: QUANTITY },
      limits: { type: 'object', additionalProperties: QUANTITY },
    },
    description: 'Container requests and limits; GOMAXPROCS and GOMEMLIMIT follow the limits',
  }, undefined, `${CONTAINER}/resources`);
  registry.hook(d, structuredHook(`${CONTAINER}/resources`, ref('resources')));

  declare(['extraEnv'], {
    type: 'array',
    items: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: { name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }, value: { type: 'string' }, valueFrom: { type: 'object' } },
    },
    description: 'Environment variables added after those the chart defines',
  }, []);
  registry.hook(d, appendListHook(`${CONTAINER}/env`, ref('extraEnv')));

  declare(['podAnnotations'], { ...STRING_MAP, description: 'Annotations added to the pods' }, {});
  registry.hook(d, s.hasPodAnnotations
    ? mergeMapHook('/spec/template/metadata/annotations', ref('podAnnotations'))
    : optionalMapFieldHook('/spec/template/metadata', 'annotations', ref('podAnnotations')));
  declare(['nodeSelector'], STRING_MAP, {});
  registry.hook(d, optionalMapFieldHook('/spec/template/spec', 'nodeSelector', ref('nodeSelector')));
  declare(['tolerations'], { type: 'array', items: { type: 'object' } }, []);
  registry.hook(d, optionalMapFieldHook('/spec/template/spec', 'tolerations', ref('tolerations')));
  declare(['affinity'], { type: 'object' }, {});
  registry.hook(d, optionalMapFieldHook('/spec/template/spec', 'affinity', ref('affinity')));

  if (s.podDisruptionBudget) {
    declare(['disruptionBudget', 'enabled'], { type: 'boolean' }, true);
    registry.condition(s.podDisruptionBudget, ref('disruptionBudget', 'enabled'));
    if (s.derivedDisruptionBudget) {
      // Half the fewest pods, rounded up; one pod gets maxUnavailable 1 (as GoMicroservice derives it).
      const minPods = s.hpa
        ? `(ternary ${ref('autoscaling', 'minReplicas')} ${ref('replicas')} ${ref('autoscaling', 'enabled')})`
        : ref('replicas');
      registry.hook(s.podDisruptionBudget, blockHook('/spec', ['minAvailable', 'maxUnavailable'], (indent) => [
        `${indent}{{- $minPods := int ${minPods} }}`,
        `${indent}{{- if le $minPods 1 }}`,
        `${indent}maxUnavailable: 1`,
        `${indent}{{- else }}`,
        `${indent}minAvailable: {{ div (add $minPods 1) 2 }}`,
        `${indent}{{- end }}`,
      ]));
    }
  }
  if (s.monitoring.length > 0) {
    declare(['monitoring', 'enabled'], { type: 'boolean', description: 'The ServiceMonitor, alert rules and dashboard' }, true);
    for (const o of s.monitoring) registry.condition(o, ref('monitoring', 'enabled'));
  }
  if (s.networkPolicy) {
    declare(['networkPolicy', 'enabled'], { type: 'boolean' }, true);
    registry.condition(s.networkPolicy, ref('networkPolicy', 'enabled'));
  }
}
