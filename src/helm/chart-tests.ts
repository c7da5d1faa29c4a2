import { IConstruct } from 'constructs';
import { ValueRegistry } from './registry';
import { toYaml } from '../core/yaml';

// `helm test`: for each service, a pod that asks its metrics endpoint through the Service (every Go service serves
// /metrics over HTTP, whatever else it speaks), so a release is proven to answer, not only to be scheduled.
//
// The services' NetworkPolicies admit only their declared callers; a NetworkPolicy that admits the test pod is created
// with it, as a hook too, and both are deleted when the test passes. Both pass the restricted Pod Security profile.

/** A Service the chart tests: its values group, name, pod selector and metrics port. */
export interface TestedService {
  readonly group: string;
  readonly name: string;
  readonly selector: Record<string, string>;
  readonly port: number;
  /** The pod's port behind it (a NetworkPolicy matches the pod's port, not the Service's). */
  readonly targetPort: number | string;
  /** The conditions the Service is rendered under (`.Values.orders.enabled`, a switch of the construct that adds it). */
  readonly conditions: string[];
}

/** The Service of `json` (a rendered object) to test, if it is one with a `metrics` port. */
export function testedService(json: any, group: string): Omit<TestedService, 'conditions'> | undefined {
  if (json.kind !== 'Service' || json.apiVersion !== 'v1') return undefined;
  const port = (json.spec?.ports ?? []).find((p: any) => p.name === 'metrics');
  if (port === undefined || json.spec?.selector === undefined) return undefined;
  return { group, name: json.metadata.name, selector: json.spec.selector, port: port.port, targetPort: port.targetPort ?? port.port };
}

const HOOK = { 'helm.sh/hook': 'test', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' };

/** The image of the test pods, a value (`tests.image`) so that mirrors and pinned digests work as for the services. */
export function declareTestValues(registry: ValueRegistry, scope: IConstruct): void {
  registry.declare(scope, {
    path: ['tests', 'image', 'repository'],
    schema: { type: 'string', minLength: 1, description: 'Image of the helm test pods (it needs wget)' },
    defaultValue: 'docker.io/library/busybox',
  });
  registry.declare(scope, { path: ['tests', 'image', 'tag'], schema: { type: 'string', description: 'Tag of the helm test image' }, defaultValue: '1.36.1' });
  registry.declare(scope, {
    path: ['tests', 'image', 'digest'],
    schema: { type: 'string', pattern: '^(sha256:[a-f0-9]{64})?$', description: 'Digest of the helm test image, or empty' },
    defaultValue: '',
  });
}

/** The NetworkPolicy and the pod of one service's test, in `templates/tests/metrics.yaml`. */
export function testTemplate(s: TestedService): string {
  const name = `${s.name}-helm-test`.slice(0, 63);
  const testLabel = { 'gantry.dev/helm-test': s.name };
  const policy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: '__NAMESPACE__', annotations: { ...HOOK, 'helm.sh/hook-weight': '-1' } },
    spec: {
      podSelector: { matchLabels: s.selector },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: testLabel } }], ports: [{ port: s.targetPort, protocol: 'TCP' }] }],
    },
  };
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: '__NAMESPACE__', labels: testLabel, annotations: HOOK },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'wget',
        image: '__IMAGE__',
        command: ['wget', '-q', '-T', '10', '-O', '/dev/null', `http://${s.name}:${s.port}/metrics`],
        securityContext: {
          runAsNonRoot: true, runAsUser: 65534, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
        },
        resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
      }],
    },
  };
  const text = [policy, pod].map((o) => `---\n${toYaml(o)}`).join('')
    .replace(/__NAMESPACE__/g, '{{ $.Release.Namespace | quote }}')
    .replace('__IMAGE__', '{{ include "gantry.image" (dict "image" $.Values.tests.image "global" $.Values.global) | quote }}');
  const test = s.conditions.length === 1 ? s.conditions[0] : `and ${s.conditions.map((c) => `(${c})`).join(' ')}`;
  return `{{- if ${test} }}\n${text}{{- end }}\n`;
}
