import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Routing, Rule, severities } from './routing';
import { ValueRegistry } from '../helm/registry';
import { keyColumn, TemplateHook, valuesRef } from '../helm/template-hooks';

// How the alerts of a Helm chart are routed, as chart values: the labels every alert and recorded series carries
// (`environment: prod`, an environment's `alerting.labels`) and whether alerts that would page do. With them, the
// rules of one chart serve every environment: each environment's values file says how its alerts route.

/** The rules as built for a routing: the monitor's own builder. */
export type RuleGroupsOf = (routing: Routing) => { name: string; rules: Rule[] }[];

const PAGE = ['alerting', 'page'];
const LABELS = ['alerting', 'labels'];

/**
 * Declares `alerting.page` and `alerting.labels` (once a chart) and templates `rules`: each rule's routing labels come
 * from `alerting.labels`, and the severity of each alert that pages only where paging is on from `alerting.page`.
 */
export function declareAlertingValues(registry: ValueRegistry, owner: IConstruct, rules: ApiObject, groupsOf: RuleGroupsOf, routing: Routing): void {
  const routingKeys = Object.keys(routing.labels);
  if (!registry.has(PAGE)) {
    registry.declare(owner, {
      path: PAGE,
      schema: { type: 'boolean', description: 'Whether critical alerts page; false sends them as warnings (a dev environment, say)' },
      defaultValue: routing.pages,
    });
  }
  // Routing labels come with environments; without them there is nothing to route by.
  if (routingKeys.length > 0 && !registry.has(LABELS)) {
    registry.declare(owner, {
      path: LABELS,
      schema: { type: 'object', additionalProperties: { type: 'string' }, description: 'Labels every alert and recorded series carries, for Alertmanager routes' },
      defaultValue: { ...routing.labels },
    });
  }
  // Which alerts page only where paging is on: those whose severity follows the routing, told by one build. One hook
  // for all the rules of the object, holding only indices and severities: a hook per place (about 40 a service) cost
  // 30 MB for 1,000 services, kept until the export ends.
  const places = severityPlaces(groupsOf(routing));
  if (places.some((p) => p.paging !== p.quiet) || routingKeys.length > 0) registry.hook(rules, alertRoutingHook(places, routingKeys));
}

/** A rule with labels: its group and index, and its severity with paging on and off. */
interface SeverityPlace {
  readonly group: number;
  readonly rule: number;
  readonly paging?: string;
  readonly quiet?: string;
}

function severityPlaces(groups: { rules: Rule[] }[]): SeverityPlace[] {
  const places: SeverityPlace[] = [];
  groups.forEach((group, g) => group.rules.forEach((rule, i) => {
    if (rule.labels !== undefined) places.push({ group: g, rule: i, ...severities(rule) });
  }));
  return places;
}

/**
 * The severities (`ternary` on `alerting.page`) and routing labels (`alerting.labels`, in place of the rule's own) of
 * every rule: the token with `s<k>` marks the severity of place k, with `l<k>` its labels.
 */
function alertRoutingHook(places: SeverityPlace[], routingKeys: string[]): TemplateHook {
  return {
    place: (json, token) => places.forEach((p, k) => {
      const labels = json.spec.groups[p.group].rules[p.rule].labels;
      if (p.paging !== p.quiet) labels.severity = `${token}s${k}`;
      if (routingKeys.length === 0) return;
      for (const key of routingKeys) delete labels[key];
      labels[`${token}l${k}`] = 'x';
    }),
    render: (line, token) => {
      // The marker is the token, 's' or 'l', then the place's index, up to the end of the scalar or key.
      const at = line.indexOf(token) + token.length;
      const kind = line[at];
      const k = /^\d+/.exec(line.slice(at + 1))![0];
      if (kind === 's') {
        const p = places[Number(k)];
        return line.replace(`${token}s${k}`, `{{ ternary ${JSON.stringify(p.paging)} ${JSON.stringify(p.quiet)} ${valuesRef(PAGE)} | quote }}`);
      }
      const indent = ' '.repeat(keyColumn(line));
      return [`${indent}{{- with ${valuesRef(LABELS)} }}`, `${indent}{{- toYaml . | nindent ${indent.length} }}`, `${indent}{{- end }}`].join('\n');
    },
  };
}
