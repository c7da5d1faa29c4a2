import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Routing, Rule } from './rules';
import { ValueRegistry } from '../helm/registry';
import { blockHook, scalarHook, valuesRef } from '../helm/template-hooks';

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
  // Which alerts page only where paging is on: those whose severity differs between the two routings.
  const paging = groupsOf({ ...routing, pages: true });
  const quiet = groupsOf({ ...routing, pages: false });
  paging.forEach((group, g) => group.rules.forEach((rule, i) => {
    if (rule.labels === undefined) return;
    const at = `/spec/groups/${g}/rules/${i}/labels`;
    if (rule.labels.severity !== quiet[g].rules[i].labels?.severity) {
      registry.hook(rules, scalarHook(`${at}/severity`, `ternary ${JSON.stringify(rule.labels.severity)} ${JSON.stringify(quiet[g].rules[i].labels!.severity)} ${valuesRef(PAGE)} | quote`));
    }
    // Without routing labels (no environment) there is nothing to replace: no template action per rule.
    if (routingKeys.length === 0) return;
    registry.hook(rules, blockHook(at, routingKeys, (indent) => [
      `${indent}{{- with ${valuesRef(LABELS)} }}`,
      `${indent}{{- toYaml . | nindent ${indent.length} }}`,
      `${indent}{{- end }}`,
    ]));
  }));
}
