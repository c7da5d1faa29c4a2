import { AlertSeverity } from './alert-options';

// How a service's alerts are routed (whether they may page, the labels they carry), and the rule objects they are in.
// Internal: PrometheusMonitor builds the rules, a Helm export makes their routing values.

/** A rule of a Prometheus rule file: an alert or a recording rule. */
export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: { [key: string]: string };
  annotations?: { [key: string]: string };
}

/** How a service's alerts are routed: whether they may page, and the labels they all carry (its environment's). */
export interface Routing {
  readonly pages: boolean;
  readonly labels: { [name: string]: string };
}

/** Whether an alert's severity follows the routing: a preset critical one, unless set explicitly, pages only where alerts page. */
function followsPaging(explicit: AlertSeverity | undefined, preset: AlertSeverity): boolean {
  return explicit === undefined && preset === AlertSeverity.CRITICAL;
}

/** The severity an alert gets: its own when set explicitly, else the preset's, without paging where nothing pages. */
export function severityOf(explicit: AlertSeverity | undefined, preset: AlertSeverity, routing: Routing): AlertSeverity {
  return followsPaging(explicit, preset) && !routing.pages ? AlertSeverity.WARNING : explicit ?? preset;
}

/** The alerts built whose severity follows the routing (critical where alerts page, warning where they do not). */
const PAGING_DEPENDENT = new WeakSet<Rule>();

/** `rule`, noted as following the routing if it does. */
export function routed(rule: Rule, explicit: AlertSeverity | undefined, preset: AlertSeverity): Rule {
  if (followsPaging(explicit, preset)) PAGING_DEPENDENT.add(rule);
  return rule;
}

/**
 * Where the alerts whose severity follows the routing are in `groups` (a build of a monitor's rules): group and rule
 * index, flattened (`[g0, r0, g1, r1, ...]`). The same for every build of one monitor, so one build tells it.
 */
export function pagingDependentPlaces(groups: { rules: Rule[] }[]): number[] {
  const places: number[] = [];
  groups.forEach((group, g) => group.rules.forEach((rule, i) => {
    if (PAGING_DEPENDENT.has(rule)) places.push(g, i);
  }));
  return places;
}
