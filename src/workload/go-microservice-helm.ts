import { ApiObject } from 'cdk8s';
import { CONFIG_CHECKSUM_ANNOTATION } from './config';
import { DisruptionBudget } from './disruption-budget';
import { PodTemplate } from './pod-template';
import { ServiceValues } from './service-values';
import { HpaPolicy } from '../autoscaling/hpa-policy';
import { ImageReference } from '../core/image';
import { RecommendedLabels as L } from '../core/labels';
import {
  appendListHook, blockHook, imageExpression, listPreludeHook, mergeMapHook, namedItemsConditionHook, optionalMapFieldHook, pullSecretsHook,
  scalarHook, structuredHook,
} from '../helm/template-hooks';

// The Helm values of one GoMicroservice, in the order values.yaml lists them, and where they go in its objects. The
// JSON pointers come from the parts that build the objects (PodTemplate, DisruptionBudget).

/** What the service's values are made from. */
export interface ServiceHelmState {
  readonly image: ImageReference;
  readonly replicas: number;
  readonly hpa?: HpaPolicy;
  readonly deployment: ApiObject;
  /** The ConfigMap of the service's config files, if it has any. */
  readonly configMap?: ApiObject;
  readonly podTemplate: PodTemplate;
  readonly disruptionBudget?: DisruptionBudget;
  readonly networkPolicy?: ApiObject;
  /** The `app.kubernetes.io/version` label, if the service has one. */
  readonly version?: string;
  /** Every object of the service. */
  readonly objects: ApiObject[];
  /** The ServiceMonitor, PrometheusRule and dashboard, if the service is monitored. */
  readonly monitoring: ApiObject[];
}

// Quantities as Kubernetes reads them, without a sign: a CPU count or millicores, bytes with an SI or binary suffix.
// `abc`, `512MB` or `-1` fail `helm install` here, not at the API server halfway through a release.
const CPU = {
  anyOf: [{ type: 'string', pattern: '^([0-9]+m|[0-9]+(\\.[0-9]{1,3})?|\\.[0-9]{1,3})$' }, { type: 'number', minimum: 0 }],
  description: 'CPU: cores (\'2\', 0.5) or millicores (\'250m\')',
};
const BYTES = {
  anyOf: [{ type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$' }, { type: 'integer', minimum: 0 }],
  description: 'Bytes, with a binary (\'512Mi\', \'2Gi\') or SI (\'500M\') suffix; \'MB\' is not one',
};
const QUANTITY = {
  anyOf: [{ type: 'string', pattern: '^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$' }, { type: 'number', minimum: 0 }],
  description: 'A Kubernetes quantity, not negative',
};
const RESOURCE_LIST = { type: 'object', properties: { 'cpu': CPU, 'memory': BYTES, 'ephemeral-storage': BYTES }, additionalProperties: QUANTITY };
const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } };

export function declareServiceValues(v: ServiceValues, s: ServiceHelmState): void {
  const d = s.deployment;
  const container = s.podTemplate.containerPointer;
  const pod = PodTemplate.POINTER;

  // First in values.yaml: the switch for the whole service (an umbrella chart turns services of a subchart off). The
  // export puts every object of the service's template under it, monitoring and release objects included.
  v.declare(['enabled'], { type: 'boolean', description: 'Deploy this service; false leaves out every object of it' }, true);

  v.declare(['image', 'repository'], { type: 'string', minLength: 1, description: 'Image repository, without tag or digest' }, s.image.repository);
  v.declare(['image', 'tag'], { type: 'string', not: { const: 'latest' }, description: 'Image tag; empty when the digest pins the image' }, s.image.tag ?? '');
  v.declare(['image', 'digest'], { type: 'string', pattern: '^(sha256:[a-f0-9]{64})?$', description: 'Image digest (sha256:...), or empty' }, s.image.digest ?? '');
  v.hook(d, scalarHook(`${container}/image`, imageExpression(v.ref('image'), `${v.group}.image`, { tag: s.image.tag ?? '', digest: s.image.digest ?? '' })));
  v.hook(d, pullSecretsHook(`${pod}/spec`));

  if (s.version !== undefined) {
    // Its own value, so that a new image tag changes only the image, and environments can say which version they run.
    v.declare(['version'], { type: 'string', maxLength: 63, description: 'The app.kubernetes.io/version label' }, s.version);
    const label = `/metadata/labels/${L.VERSION.replace('/', '~1')}`;
    const versionLabel = scalarHook(label, `${v.ref('version')} | quote`);
    for (const o of [...s.objects, ...s.monitoring]) v.hook(o, versionLabel);
    v.hook(d, scalarHook(`${pod}${label}`, `${v.ref('version')} | quote`));
  }

  if (s.configMap) {
    // The checksum that rolls the pods when the config changes, computed by the template from the data it renders
    // (an exposed value, the release namespace in an address): the same sum Gantry writes, for the default values.
    const define = `gantry.config.${v.group}`;
    v.registry.define(s.configMap, 'data', define);
    v.hook(d, scalarHook(`${pod}/metadata/annotations/${CONFIG_CHECKSUM_ANNOTATION.replace('/', '~1')}`, `include ${JSON.stringify(define)} $ | sha256sum`));
  }

  v.declare(['replicas'], { type: 'integer', minimum: 1, description: s.hpa ? 'Pods when autoscaling is disabled' : 'Pods' },
    s.hpa ? s.hpa.minReplicas : s.replicas);
  if (s.hpa) declareAutoscalingValues(v, s.hpa, d);
  else v.hook(d, scalarHook('/spec/replicas', v.ref('replicas')));

  v.declare(['resources'], {
    type: 'object',
    additionalProperties: false,
    properties: {
      requests: RESOURCE_LIST,
      limits: RESOURCE_LIST,
    },
    description: 'Container requests and limits; GOMAXPROCS and GOMEMLIMIT follow the limits',
  }, undefined, { apiObject: d, pointer: `${container}/resources` });
  v.hook(d, structuredHook(`${container}/resources`, v.ref('resources')));

  v.declare(['extraEnv'], {
    type: 'array',
    items: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: { name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }, value: { type: 'string' }, valueFrom: { type: 'object' } },
    },
    description: 'Environment variables added after those the chart defines; one of the same name replaces the chart\'s',
  }, []);
  // An extraEnv entry replaces the chart's entry of the same name: two entries of one name are refused by server-side
  // apply, and with client-side apply the last silently wins.
  const index = Number(container.split('/').pop());
  const envNames = (s.podTemplate.spec.spec?.containers ?? [])[index]?.env?.map((e) => e.name) ?? [];
  if (envNames.length > 0) {
    // The names extraEnv sets, computed once for the list (one include, not one per entry).
    v.hook(d, listPreludeHook(`${container}/env`, `$extraEnvNames := include "gantry.names" ${v.ref('extraEnv')} | splitList "\\n"`));
  }
  if (envNames.length > 0) {
    v.hook(d, namedItemsConditionHook(`${container}/env`, envNames, (name) => `not (has ${JSON.stringify(name)} $extraEnvNames)`));
  }
  v.hook(d, appendListHook(`${container}/env`, v.ref('extraEnv')));

  v.declare(['podAnnotations'], { ...STRING_MAP, description: 'Annotations added to the pods' }, {});
  v.hook(d, s.podTemplate.hasAnnotations
    ? mergeMapHook(`${pod}/metadata/annotations`, v.ref('podAnnotations'))
    : optionalMapFieldHook(`${pod}/metadata`, 'annotations', v.ref('podAnnotations')));
  v.declare(['nodeSelector'], { ...STRING_MAP, description: 'Node labels the pods must run on' }, {});
  v.hook(d, optionalMapFieldHook(`${pod}/spec`, 'nodeSelector', v.ref('nodeSelector')));
  v.declare(['tolerations'], { type: 'array', items: { type: 'object' }, description: 'Taints the pods tolerate' }, []);
  v.hook(d, optionalMapFieldHook(`${pod}/spec`, 'tolerations', v.ref('tolerations')));
  v.declare(['affinity'], { type: 'object', description: 'Pod affinity and anti-affinity (the chart spreads the pods with topology spread constraints)' }, {});
  v.hook(d, optionalMapFieldHook(`${pod}/spec`, 'affinity', v.ref('affinity')));

  if (s.disruptionBudget) {
    // The fewest pods, as the template sees them: the HPA's minimum while it is on, else the replica count.
    const minPods = s.hpa
      ? `(ternary ${v.ref('autoscaling', 'minReplicas')} ${v.ref('replicas')} ${v.ref('autoscaling', 'enabled')})`
      : v.ref('replicas');
    s.disruptionBudget.declareValues(v, minPods);
  }
  if (s.monitoring.length > 0) {
    v.declare(['monitoring', 'enabled'], { type: 'boolean', description: 'The ServiceMonitor, alert rules and dashboard' }, true);
    for (const o of s.monitoring) v.condition(o, 'monitoring', 'enabled');
  }
  if (s.networkPolicy) {
    v.declare(['networkPolicy', 'enabled'], { type: 'boolean', description: 'The NetworkPolicy that admits only the declared callers' }, true);
    v.condition(s.networkPolicy, 'networkPolicy', 'enabled');
  }
}

function declareAutoscalingValues(v: ServiceValues, hpaPolicy: HpaPolicy, d: ApiObject): void {
  const hpa = hpaPolicy.apiObject;
  const enabled = v.ref('autoscaling', 'enabled');
  v.declare(['autoscaling', 'enabled'], { type: 'boolean', description: 'Scale with a HorizontalPodAutoscaler' }, true);
  v.declare(['autoscaling', 'minReplicas'], { type: 'integer', minimum: 1, description: 'The fewest pods the HPA keeps' }, hpaPolicy.minReplicas);
  v.declare(['autoscaling', 'maxReplicas'], { type: 'integer', minimum: 1, description: 'The most pods the HPA scales to' }, hpaPolicy.maxReplicas);
  v.condition(hpa, 'autoscaling', 'enabled');
  v.hook(hpa, scalarHook('/spec/minReplicas', v.ref('autoscaling', 'minReplicas')));
  v.hook(hpa, scalarHook('/spec/maxReplicas', v.ref('autoscaling', 'maxReplicas')));
  v.hook(hpa, blockHook('/spec', [], (indent) => [
    `${indent}{{- if gt (int ${v.ref('autoscaling', 'minReplicas')}) (int ${v.ref('autoscaling', 'maxReplicas')}) }}`,
    `${indent}{{- fail "${v.group}.autoscaling.minReplicas is greater than maxReplicas" }}`,
    `${indent}{{- end }}`,
  ]));
  for (const [resource, key] of [['cpu', 'cpuUtilization'], ['memory', 'memoryUtilization']]) {
    const index = hpaPolicy._metricIndex(resource);
    if (index === undefined) continue;
    v.declare(['autoscaling', key], { type: 'integer', minimum: 1, maximum: 500, description: `Target average ${resource} utilization, percent of the request` },
      hpaPolicy._utilization(resource));
    v.hook(hpa, scalarHook(`/spec/metrics/${index}/resource/target/averageUtilization`, v.ref('autoscaling', key)));
  }
  // With the HPA off, the Deployment takes its replica count back.
  v.hook(d, blockHook('/spec', ['replicas'], (indent) => [
    `${indent}{{- if not ${enabled} }}`,
    `${indent}replicas: {{ ${v.ref('replicas')} }}`,
    `${indent}{{- end }}`,
  ]));
}
