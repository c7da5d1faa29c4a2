import { ApiObject } from 'cdk8s';
import { scalarHook, TemplateHook } from './template-hooks';

// What makes an exported chart behave as Helm users expect of any chart, whatever the app: its objects go to the
// release's namespace, carry Helm's labels, and custom resources render only where the cluster serves their API.

/** The template expression of the release namespace (`$`: the root context, wherever the line is). */
const RELEASE_NAMESPACE = '$.Release.Namespace';

/**
 * The namespace the exported objects were defined for: the one most of them have. Its occurrences follow the release
 * namespace in the chart; objects in other namespaces (a monitoring namespace, say) keep theirs.
 */
export function appNamespace(objects: ApiObject[]): string | undefined {
  const counts = new Map<string, number>();
  for (const o of objects) {
    const ns = o.metadata.namespace;
    if (ns !== undefined) counts.set(ns, (counts.get(ns) ?? 0) + 1);
  }
  return [...counts.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]?.[0];
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Hooks that put the release namespace where `json` (an object as synthesized) names the app's namespace as a field:
 * its own `metadata.namespace`, any other `namespace` field, a namespace selector's `kubernetes.io/metadata.name`
 * label and a ServiceMonitor's `namespaceSelector.matchNames`.
 */
export function namespaceHooks(json: any, namespace: string): TemplateHook[] {
  const pointers: string[] = [];
  const walk = (node: any, at: string, key: string, parentKey: string) => {
    if (node === namespace && (key === 'namespace' || key === 'kubernetes.io/metadata.name' || parentKey === 'matchNames')) {
      pointers.push(at);
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${at}/${i}`, String(i), key));
    } else if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) walk(v, `${at}/${escapePointer(k)}`, k, key);
    }
  };
  walk(json, '', '', '');
  return pointers.map((p) => scalarHook(p, `${RELEASE_NAMESPACE} | quote`));
}

/**
 * The app's namespace inside text as written into the chart: PromQL matchers (`namespace="shop"`, also escaped inside
 * a dashboard's JSON), cluster DNS names (`orders.shop.svc`) and dashboards' uids and titles. Alerts that kept the old
 * namespace would never fire.
 */
export function namespaceInText(text: string, namespace: string): string {
  if (!text.includes(namespace)) return text;
  const ns = `{{ ${RELEASE_NAMESPACE} }}`;
  // One pass for every form: a PromQL matcher (its quotes escaped or not), a DNS name, and a Gantry dashboard's uid
  // (`"gantry-<namespace>-<service>`) and title (`<service> (<namespace>)"`), which tell environments apart in Grafana.
  return text.replace(new RegExp(`namespace=(\\\\?)"${namespace}(\\\\?)"|\\.${namespace}\\.svc\\b|"gantry-${namespace}-| \\(${namespace}\\)"`, 'g'),
    (match, open?: string, close?: string) => {
      if (match.startsWith('namespace=')) return `namespace=${open ?? ''}"${ns}${close ?? ''}"`;
      if (match.startsWith('.')) return `.${ns}.svc`;
      if (match.startsWith('"gantry-')) return `"gantry-${ns}-`;
      return ` (${ns})"`;
    });
}

/** Helm's labels on the object itself, in `json` (never on pods or selectors, which an upgrade must not change). */
export function addHelmLabels(json: any, chart: string): void {
  // Written as text, not template actions: the chart's name and version are known here, and Release.Service is always
  // Helm. A chart of 1,000 services has 10,000 objects, and every action costs helm template time.
  const metadata = json?.metadata;
  if (metadata === undefined || metadata === null) return;
  if (metadata.labels === undefined || metadata.labels === null) metadata.labels = {};
  if ('app.kubernetes.io/managed-by' in metadata.labels) metadata.labels['app.kubernetes.io/managed-by'] = 'Helm';
  metadata.labels['helm.sh/chart'] = chart;
}

/** The `helm.sh/chart` label of a chart: name-version, with '+' (not allowed in a label) as '_'. */
export function chartLabel(name: string, version: string): string {
  return `${name}-${version}`.replace(/\+/g, '_').slice(0, 63).replace(/-+$/, '');
}

/**
 * For a custom resource (an API group outside Kubernetes's own), the condition that the cluster serves its API:
 * without prometheus-operator, Argo Rollouts or Istio the chart still installs, leaving those objects out.
 */
export function capabilityCondition(json: any): string | undefined {
  const apiVersion: string = json.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  if (!group.includes('.') || group.endsWith('.k8s.io')) return undefined;
  return `$.Capabilities.APIVersions.Has "${apiVersion}/${json.kind}"`;
}

/** Helpers the templates use, in `templates/_helpers.tpl`. */
export const HELPERS = `{{/*
An image reference from the service's image value and the chart's global values: repo:tag, repo@digest or
repo:tag@digest. With global.imageRegistry set, that registry replaces the one in the repository (or is put in front
of a repository that names none, such as library/nginx). A tag changed while the digest the chart was made with
stays is an error: the digest would win, and the old image would keep running.
*/}}
{{- define "gantry.image" -}}
{{- if and .pinnedDigest (eq .image.digest .pinnedDigest) (ne .image.tag .pinnedTag) -}}
{{- fail (printf "%s.tag is %q, but %s.digest still pins the image the chart was made with (%s), and a digest wins over a tag: set %s.digest to '' (or to the new image's digest)" .key .image.tag .key .pinnedDigest .key) -}}
{{- end -}}
{{- $repository := .image.repository -}}
{{- with .global.imageRegistry -}}
{{- $parts := splitList "/" $repository -}}
{{- if and (gt (len $parts) 1) (regexMatch "[.:]|^localhost$" (first $parts)) -}}
{{- $repository = printf "%s/%s" . (join "/" (rest $parts)) -}}
{{- else -}}
{{- $repository = printf "%s/%s" . $repository -}}
{{- end -}}
{{- end -}}
{{ $repository }}{{ with .image.tag }}:{{ . }}{{ end }}{{ with .image.digest }}@{{ . }}{{ end }}
{{- end -}}

{{/*
Image pull secrets as a list of { name }, from names or { name } maps (both forms are common in global values).
*/}}
{{- define "gantry.pullSecrets" -}}
{{- range . }}
- name: {{ if kindIs "string" . }}{{ . }}{{ else }}{{ .name }}{{ end }}
{{- end }}
{{- end -}}

{{/*
The names of a list of { name, ... }, one a line: the chart's entries that extraEnv replaces.
*/}}
{{- define "gantry.names" -}}
{{- range . }}{{ .name }}
{{ end }}
{{- end -}}
`;
