import { IConstruct } from 'constructs';
import { ValueRegistry } from './registry';
import { allOf } from './template-hooks';
import { toYaml } from '../core/yaml';

// `helm test`: one pod asks the metrics endpoint of every service through its Service (every Go service serves
// /metrics over HTTP, whatever else it speaks), so a release is proven to answer, not only to be scheduled. Its log
// says which service answered and which did not.
//
// One pod rather than one a service: helm runs test pods one after another, each scheduled and pulled on its own, and
// `helm template` renders and parses every one (with --skip-tests too): two documents a service were about a twentieth
// of its time for 1,000 services.
//
// The services' NetworkPolicies admit only their declared callers; a NetworkPolicy that admits the test pod to their
// metrics ports is created with it, as a hook too, and both are deleted when the test passes. Both pass the restricted
// Pod Security profile.

/** The template file of the tests, under templates/. */
export const TESTS_FILE = 'tests/metrics';

/** A Service the chart tests: its name, pod selector and metrics port. */
export interface TestedService {
  readonly name: string;
  readonly selector: Record<string, string>;
  readonly port: number;
  /** The pod's port behind it (a NetworkPolicy matches the pod's port, not the Service's). */
  readonly targetPort: number | string;
  /** The conditions the Service is rendered under (`.Values.orders.enabled`, a switch of the construct that adds it). */
  readonly conditions: string[];
}

/** The Service of `json` (a rendered object) to test, if it is one with a `metrics` port. */
export function testedService(json: any): Omit<TestedService, 'conditions'> | undefined {
  if (json.kind !== 'Service' || json.apiVersion !== 'v1') return undefined;
  const port = (json.spec?.ports ?? []).find((p: any) => p.name === 'metrics');
  if (port === undefined || json.spec?.selector === undefined) return undefined;
  return { name: json.metadata.name, selector: json.spec.selector, port: port.port, targetPort: port.targetPort ?? port.port };
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

/** The script of the test pod: every URL it is given, each reported, failing if any failed. */
export const TEST_SCRIPT = 'failed=0; for url in "$@"; do if wget -q -T 10 -O /dev/null "$url"; then echo "ok $url"; '
  + 'else echo "FAILED $url"; failed=1; fi; done; exit $failed';

/** Whether any of `services` renders: `or` of their conditions. */
function anyOf(services: TestedService[]): string {
  return services.length === 1 ? allOf(services[0].conditions) : `or ${services.map((s) => `(${allOf(s.conditions)})`).join(' ')}`;
}

/** `- "item"` lines at `indent`, each once, rendered only where a service it is for renders. */
function conditionalItems(indent: string, items: { service: TestedService; item: string }[]): string {
  const byItem = new Map<string, TestedService[]>();
  for (const { service, item } of items) byItem.set(item, [...byItem.get(item) ?? [], service]);
  return [...byItem].map(([item, services]) => `${indent}{{- if ${anyOf(services)} }}\n${indent}- ${JSON.stringify(item)}\n${indent}{{- end }}`)
    .join('\n');
}

/**
 * `templates/tests/metrics.yaml`: the test pod of chart `chart`, asking every service of `services` that renders, and
 * the NetworkPolicies that admit it (one for each set of selector keys the services use, matching their values).
 */
export function testsTemplate(chart: string, services: TestedService[]): string {
  const name = `${chart}-helm-test`;
  const testLabel = { 'gantry.dev/helm-test': chart };
  const byKeys = new Map<string, TestedService[]>();
  for (const s of services) {
    const keys = Object.keys(s.selector).sort().join(',');
    byKeys.set(keys, [...byKeys.get(keys) ?? [], s]);
  }
  const policies = [...byKeys.values()].map((group, i) => {
    const keys = Object.keys(group[0].selector).sort();
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: i === 0 ? name : `${name}-${i + 1}`, namespace: '__NAMESPACE__', annotations: { ...HOOK, 'helm.sh/hook-weight': '-1' } },
      spec: {
        podSelector: { matchExpressions: keys.map((key, k) => ({ key, operator: 'In', values: [`__VALUES_${k}__`] })) },
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{ podSelector: { matchLabels: testLabel } }],
          ports: [...new Set(group.map((s) => s.targetPort))].map((port) => ({ port, protocol: 'TCP' })),
        }],
      },
    };
    let text = toYaml(policy);
    keys.forEach((key, k) => {
      text = text.replace(new RegExp(`^( *)- __VALUES_${k}__$`, 'm'),
        (_line, indent: string) => conditionalItems(indent, group.map((s) => ({ service: s, item: s.selector[key] }))));
    });
    return `{{- if ${anyOf(group)} }}\n---\n${text}{{- end }}\n`;
  });
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
        command: ['sh', '-c', TEST_SCRIPT, 'helm-test'],
        args: ['__URLS__'],
        securityContext: {
          runAsNonRoot: true, runAsUser: 65534, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
        },
        resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
      }],
    },
  };
  const podText = toYaml(pod).replace(/^( *)- __URLS__$/m,
    (_line, indent: string) => conditionalItems(indent, services.map((s) => ({ service: s, item: `http://${s.name}:${s.port}/metrics` }))));
  const text = [...policies, `{{- if ${anyOf(services)} }}\n---\n${podText}{{- end }}\n`].join('')
    .replace(/__NAMESPACE__/g, '{{ $.Release.Namespace | quote }}')
    .replace('__IMAGE__', '{{ include "gantry.image" (dict "image" $.Values.tests.image "global" $.Values.global) | quote }}');
  return text;
}
