import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AlertSeverity } from './alert-options';
import { Routing } from './routing';
import { ValueRegistry } from '../helm/registry';
import { keyColumn, TemplateHook, valuesRef } from '../helm/template-hooks';

// How the alerts of a Helm chart are routed, as chart values: the labels every alert and recorded series carries
// (`environment: prod`, an environment's `alerting.labels`) and whether alerts that would page do. With them, the
// rules of one chart serve every environment: each environment's values file says how its alerts route.

const PAGE = ['alerting', 'page'];
const LABELS = ['alerting', 'labels'];

/**
 * Declares `alerting.page` and `alerting.labels` (once a chart) and templates `rules`: each rule's routing labels come
 * from `alerting.labels`, and the severity of each alert that pages only where paging is on from `alerting.page`.
 */
export function declareAlertingValues(
  registry: ValueRegistry, owner: IConstruct, rules: ApiObject, pagingPlaces: readonly number[], routing: Routing,
): void {
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
  // Which alerts page only where paging is on: those whose severity follows the routing, found when the monitor was
  // defined (`pagingPlaces`), so that the export builds no rules for it. One hook for all the rules of the object: a
  // hook per place (about 40 a service) cost 30 MB for 1,000 services, kept until the export ends.
  if (pagingPlaces.length > 0 || routingKeys.length > 0) registry.hook(rules, alertRoutingHook(pagingPlaces, routingKeys));
}

/**
 * The severities (`ternary` on `alerting.page`) and routing labels (`alerting.labels`, in place of the rule's own) of
 * the rules: the token with `s` marks a severity that follows paging, with `l` a rule's labels.
 */
function alertRoutingHook(pagingPlaces: readonly number[], routingKeys: string[]): TemplateHook {
  return {
    place: (json, token) => {
      const groups: { rules: { labels?: Record<string, string> }[] }[] = json.spec.groups;
      for (let k = 0; k < pagingPlaces.length; k += 2) groups[pagingPlaces[k]].rules[pagingPlaces[k + 1]].labels!.severity = `${token}s`;
      if (routingKeys.length === 0) return;
      for (const group of groups) {
        for (const rule of group.rules) {
          if (rule.labels === undefined) continue;
          for (const key of routingKeys) delete rule.labels[key];
          rule.labels[`${token}l`] = 'x';
        }
      }
    },
    render: (line, token) => {
      if (line[line.indexOf(token) + token.length] === 's') {
        return line.replace(`${token}s`, `{{ ternary ${JSON.stringify(AlertSeverity.CRITICAL)} ${JSON.stringify(AlertSeverity.WARNING)} ${valuesRef(PAGE)} | quote }}`);
      }
      const indent = ' '.repeat(keyColumn(line));
      return [`${indent}{{- with ${valuesRef(LABELS)} }}`, `${indent}{{- toYaml . | nindent ${indent.length} }}`, `${indent}{{- end }}`].join('\n');
    },
  };
}
