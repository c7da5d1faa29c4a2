// The README.md of an exported chart: what `helm show readme` prints, with a table of every value from the chart's
// own values.schema.json and values.yaml, so it cannot drift from them.

import { dereference } from './values-schema';

/** One row of the values table: a leaf of the schema. */
interface ValueRow {
  readonly key: string;
  readonly type: string;
  readonly defaultValue: unknown;
  readonly description: string;
}

/** The leaves of the schema: a group of values (an object the export made, with no description) is descended into. */
function rows(root: any, schema: any, values: any, prefix: string[] = []): ValueRow[] {
  const out: ValueRow[] = [];
  for (const [key, shared] of Object.entries<any>(schema.properties ?? {})) {
    const sub = dereference(root, shared);
    const path = [...prefix, key];
    if (sub.properties !== undefined && sub.description === undefined) {
      out.push(...rows(root, sub, values?.[key], path));
    } else {
      out.push({ key: path.join('.'), type: typeOf(sub), defaultValue: values?.[key], description: sub.description ?? '' });
    }
  }
  return out;
}

function typeOf(schema: any): string {
  if (schema.anyOf) return [...new Set(schema.anyOf.map(typeOf))].join(' or ');
  if (Array.isArray(schema.type)) return schema.type.join(' or ');
  if (schema.type === 'array' && schema.items?.type) return `list of ${schema.items.type}`;
  return schema.type ?? 'any';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function shown(value: unknown): string {
  if (value === undefined) return '';
  const json = JSON.stringify(value);
  return `\`${cell(json.length > 80 ? `${json.slice(0, 77)}...` : json)}\``;
}

/** The chart's README.md. */
export function chartReadme(options: { name: string; description: string; namespace?: string }, values: any, schema: any): string {
  const namespace = options.namespace ?? 'default';
  return [
    `# ${options.name}`,
    '',
    options.description,
    '',
    'The chart is exported from a TypeScript definition by [cdk8s-gantry](https://github.com/gantry-dev/cdk8s-gantry):',
    'change that definition and export again, rather than these files.',
    '',
    '## Install',
    '',
    '```console',
    `helm upgrade --install ${options.name} . --namespace ${namespace} --create-namespace`,
    '```',
    '',
    'Every object goes to the release namespace, and so does every place that names it (PromQL matchers, ServiceMonitor',
    'selectors, cluster DNS names). ServiceMonitors, PrometheusRules, Argo Rollouts and Istio objects render only where',
    'the cluster serves their API; `helm template` needs them told with `--api-versions` (for example',
    '`--api-versions monitoring.coreos.com/v1/ServiceMonitor`). As a subchart, the chart takes `global.imageRegistry` and',
    '`global.imagePullSecrets` from its parent.',
    '',
    '## Values',
    '',
    'Every key is typed in `values.schema.json`; an unknown key or a wrong type is refused at install time.',
    '',
    '| Key | Type | Default | Description |',
    '| --- | --- | --- | --- |',
    ...rows(schema, schema, values).map((r) => `| \`${r.key}\` | ${cell(r.type)} | ${shown(r.defaultValue)} | ${cell(r.description)} |`),
    '',
  ].join('\n');
}
