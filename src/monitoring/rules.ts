import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AlertOptions, AlertPresets, AlertSeverity } from './alert-options';
import { checkPromQL } from './promql';
import { routed, Routing, Rule, severityOf } from './routing';
import { matchers, Signals, Target } from './signals';
import { checkSeconds } from '../core/checks';
import { GantryError } from '../core/errors';

// The preset alerts and SLO rules of a service, as Prometheus rule-file objects. Internal: PrometheusMonitor wraps them.

/**
 * A duration in Prometheus's format, in its largest whole unit: 90s, 5m, 1h, 3d, and 0s for none. Prometheus takes no
 * fraction (`1.5s` would make promtool refuse the whole rule file, every alert of the service with it).
 */
function promDuration(scope: IConstruct, property: string, d: Duration): string {
  const s = checkSeconds(scope, property, d, 0, 366 * 86400);
  if (s === 0) return '0s';
  if (s % 86400 === 0) return `${s / 86400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** The longest window of the burn-rate alerts: an SLO period must be at least that long. */
const LONGEST_WINDOW_SECONDS = 3 * 86400;

interface Preset {
  key: keyof AlertPresets;
  alert: string;
  threshold?: { default: number; min: number; max: number; unit: string };
  for: Duration;
  severity: AlertSeverity;
  summary: string;
  description: (t: string) => string;
  expr: (s: Signals, threshold: number) => string;
  when?: (t: Target) => boolean;
  /** kubernetes-mixin (kube-prometheus-stack) raises the same alert. */
  mixin?: boolean;
}

const PRESETS: Preset[] = [
  {
    key: 'errorRate',
    alert: 'GoServiceHighErrorRate',
    threshold: { default: 0.05, min: 0.0001, max: 1, unit: 'ratio' },
    for: Duration.minutes(5),
    severity: AlertSeverity.CRITICAL,
    summary: 'More than {{ $value | humanizePercentage }} of requests fail with 5xx',
    description: (t) => `The 5xx ratio of ${t} is above the threshold.`,
    expr: (s, x) => `${s.errorRatio('5m')} > ${x}`,
  },
  {
    key: 'latency',
    alert: 'GoServiceHighLatency',
    threshold: { default: 2, min: 0.001, max: 3600, unit: 'seconds' },
    for: Duration.minutes(10),
    severity: AlertSeverity.WARNING,
    summary: 'p99 latency is {{ $value | humanizeDuration }}',
    description: (t) => `The 99th percentile request duration of ${t} is above the threshold.`,
    expr: (s, x) => `${s.latencyQuantile('0.99', '5m')} > ${x}`,
  },
  {
    key: 'trafficStopped',
    alert: 'GoServiceTrafficStopped',
    threshold: { default: 0.1, min: 0.001, max: 0.9, unit: 'share of the previous hour\'s rate' },
    for: Duration.minutes(10),
    severity: AlertSeverity.WARNING,
    summary: 'Requests fell to {{ $value | humanize }} per second',
    description: (t) => `${t} serves far fewer requests than in the hour before: callers, routing or the network may have lost it.`,
    // Relative to the usual level, and only where there is one (1 request a second): a bursty internal service's quiet
    // gaps are not an outage.
    expr: (s, x) => `${s.requestRate('10m')} < ${x} * ${s.requestRate('1h', { offset: '10m' })} and ${s.requestRate('1h', { offset: '10m' })} > 1`,
  },
  {
    key: 'cpu',
    alert: 'GoServiceCpuNearLimit',
    threshold: { default: 0.85, min: 0.01, max: 1, unit: 'ratio' },
    for: Duration.minutes(5),
    severity: AlertSeverity.WARNING,
    summary: 'Pod {{ $labels.pod }} uses {{ $value | humanizePercentage }} of its CPU limit',
    description: (t) => `A pod of ${t} is close to its CPU limit; it will be throttled.`,
    expr: (s, x) => `${s.cpuOfLimit('5m')} > ${x}`,
  },
  {
    key: 'memory',
    alert: 'GoServiceMemoryNearLimit',
    threshold: { default: 0.9, min: 0.01, max: 1, unit: 'ratio' },
    for: Duration.minutes(5),
    severity: AlertSeverity.WARNING,
    summary: 'Pod {{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit',
    description: (t) => `A pod of ${t} is close to its memory limit; the OOM killer is next.`,
    expr: (s, x) => `${s.memoryOfLimit()} > ${x}`,
  },
  {
    key: 'cpuThrottling',
    alert: 'GoServiceCpuThrottled',
    threshold: { default: 0.25, min: 0.01, max: 1, unit: 'ratio' },
    for: Duration.minutes(15),
    severity: AlertSeverity.WARNING,
    summary: 'Pod {{ $labels.pod }} is throttled in {{ $value | humanizePercentage }} of CPU periods',
    description: (t) => `A pod of ${t} is CPU-throttled; latency suffers. Raise the CPU limit or check GOMAXPROCS.`,
    expr: (s, x) => `${s.cpuThrottling('5m')} > ${x}`,
    mixin: true,
  },
  {
    key: 'restarts',
    alert: 'GoServiceRestarting',
    threshold: { default: 2, min: 1, max: 1000, unit: 'restarts' },
    for: Duration.seconds(0),
    severity: AlertSeverity.WARNING,
    summary: 'Container of pod {{ $labels.pod }} restarted {{ $value }} times in 15 minutes',
    description: (t) => `A container of ${t} keeps restarting (crash loop?).`,
    expr: (s, x) => `increase(kube_pod_container_status_restarts_total${s.pods()}[15m]) > ${x}`,
    mixin: true,
  },
  {
    key: 'oomKills',
    alert: 'GoServiceOomKilled',
    for: Duration.seconds(0),
    severity: AlertSeverity.WARNING,
    summary: 'Container of pod {{ $labels.pod }} was OOM-killed',
    description: (t) => `A container of ${t} was killed for exceeding its memory limit. Check GOMEMLIMIT and the limit.`,
    expr: (s) => `(kube_pod_container_status_last_terminated_reason${s.pods('reason="OOMKilled"')} == 1) `
      + `and on (namespace, pod, container) (increase(kube_pod_container_status_restarts_total${s.pods()}[10m]) > 0)`,
  },
  {
    key: 'crashLooping',
    alert: 'GoServiceCrashLooping',
    for: Duration.minutes(15),
    severity: AlertSeverity.WARNING,
    summary: 'Container of pod {{ $labels.pod }} is in CrashLoopBackOff',
    description: (t) => `A container of ${t} keeps crashing; Kubernetes waits up to 5 minutes between restarts, so it restarts too rarely to count.`,
    // Waiting, not restarts: a steady crash loop backs off to one restart every 5 minutes.
    expr: (s) => `max_over_time(kube_pod_container_status_waiting_reason${s.pods('reason="CrashLoopBackOff"')}[5m]) >= 1`,
    mixin: true,
  },
  {
    key: 'targetsDown',
    alert: 'GoServiceTargetsDown',
    for: Duration.minutes(5),
    severity: AlertSeverity.CRITICAL,
    summary: 'Prometheus scrapes no pod of the service',
    description: (t) => `No metrics endpoint of ${t} is up: every other alert of the service is blind.`,
    // All targets down, or none at all (the ServiceMonitor selects nothing, or every pod is gone).
    expr: (s) => `sum by (job, namespace) (up${s.http()}) == 0 or absent(up${s.http()})`,
  },
  {
    key: 'replicasUnavailable',
    alert: 'GoServiceReplicasUnavailable',
    for: Duration.minutes(10),
    severity: AlertSeverity.WARNING,
    summary: '{{ $value }} replicas unavailable',
    description: (t) => `Deployment ${t} has had unavailable replicas for a while.`,
    expr: (s) => `kube_deployment_status_replicas_unavailable${s.deployment()} > 0`,
    mixin: true,
  },
  {
    key: 'rolloutStuck',
    alert: 'GoServiceRolloutStuck',
    for: Duration.minutes(1),
    severity: AlertSeverity.CRITICAL,
    summary: 'The rollout passed its progress deadline',
    description: (t) => `Deployment ${t} reports Progressing=False (ProgressDeadlineExceeded). Roll back or fix the new version.`,
    expr: (s) => `kube_deployment_status_condition${s.deployment('condition="Progressing"', 'status="false"')} == 1`,
    mixin: true,
  },
  {
    key: 'hpaMaxedOut',
    alert: 'GoServiceAutoscalerAtMax',
    for: Duration.minutes(15),
    severity: AlertSeverity.WARNING,
    summary: 'The HPA has run at its maximum of {{ $value }} replicas',
    description: (t) => `The HPA of ${t} cannot add pods; raise maxReplicas or find out why load grew.`,
    expr: (s) => `kube_horizontalpodautoscaler_status_current_replicas${s.hpa()} >= kube_horizontalpodautoscaler_spec_max_replicas${s.hpa()}`,
    when: (t) => t.hpa !== undefined,
    mixin: true,
  },
  {
    key: 'goroutines',
    alert: 'GoServiceTooManyGoroutines',
    threshold: { default: 10000, min: 1, max: 10000000, unit: 'goroutines' },
    for: Duration.minutes(15),
    severity: AlertSeverity.WARNING,
    summary: 'Pod {{ $labels.pod }} runs {{ $value }} goroutines',
    description: (t) => `A pod of ${t} runs very many goroutines: a leak, or a blocked dependency.`,
    expr: (s, x) => `${s.goroutines()} > ${x}`,
  },
  {
    key: 'goroutineGrowth',
    alert: 'GoServiceGoroutinesGrowing',
    threshold: { default: 50, min: 1, max: 1000000, unit: 'goroutines per hour' },
    for: Duration.minutes(15),
    severity: AlertSeverity.WARNING,
    summary: 'Pod {{ $labels.pod }} gains at least {{ $value | humanize }} goroutines an hour, steadily',
    description: (t) => `The goroutines of a pod of ${t} have grown without pause for two hours: a leak before it becomes an outage.`,
    // A leak grows all the time; load comes in steps and ramps. So: the growth rate over every half hour of the last two
    // hours, and its lowest value (a ramp that levels off brings it to zero).
    expr: (s, x) => `min_over_time(deriv(${s.goroutines()}[30m:1m])[2h:5m]) * 3600 > ${x}`,
  },
  {
    key: 'gcPauses',
    alert: 'GoServiceGcPauses',
    threshold: { default: 0.05, min: 0.001, max: 1, unit: 'ratio' },
    for: Duration.minutes(15),
    severity: AlertSeverity.WARNING,
    summary: 'Pod {{ $labels.pod }} spends {{ $value | humanizePercentage }} of its time in GC pauses',
    description: (t) => `A pod of ${t} spends much time in stop-the-world GC pauses.`,
    expr: (s, x) => `${s.gcPauseRatio('5m')} > ${x}`,
  },
  {
    key: 'heapNearLimit',
    alert: 'GoServiceHeapNearMemoryLimit',
    threshold: { default: 0.9, min: 0.01, max: 1, unit: 'ratio' },
    for: Duration.minutes(15),
    severity: AlertSeverity.WARNING,
    summary: 'Pod {{ $labels.pod }} heap is {{ $value | humanizePercentage }} of GOMEMLIMIT',
    description: (t) => `The Go heap of a pod of ${t} is close to GOMEMLIMIT (the memory limit): the GC runs hard, and an OOM kill is near.`,
    expr: (s, x) => `${s.heapOfLimit()} > ${x}`,
  },
];

/** The preset alerts, checked and tuned. */
export function presetAlerts(
  scope: IConstruct, presets: AlertPresets, signals: Signals, runbookBase: string, routing: Routing, alongsideKubernetesMixin = false,
): Rule[] {
  const t = signals.target;
  // The namespace comes from the alert's own labels (every preset keeps `namespace`): the text is then the same
  // wherever the rules are installed, so one Helm chart serves every environment.
  const name = t.namespace ? `{{ $labels.namespace }}/${t.service}` : t.service;
  const rules: Rule[] = [];
  for (const p of PRESETS) {
    const o: AlertOptions = presets[p.key] ?? {};
    // Left out when kubernetes-mixin already raises it, unless asked for by name.
    const mixinDuplicate = alongsideKubernetesMixin && p.mixin && presets[p.key] === undefined;
    if (o.enabled === false || (p.when && !p.when(t)) || mixinDuplicate) continue;
    let threshold = 0;
    if (p.threshold) {
      threshold = o.threshold ?? p.threshold.default;
      if (typeof threshold !== 'number' || !(threshold >= p.threshold.min && threshold <= p.threshold.max)) {
        throw GantryError.of(scope, `alerts.${p.key}.threshold`, threshold,
          `is out of range for this alert (${p.threshold.unit}, from ${p.threshold.min} to ${p.threshold.max})`,
          `use a value such as ${p.threshold.default}`);
      }
    } else if (o.threshold !== undefined) {
      throw GantryError.of(scope, `alerts.${p.key}.threshold`, o.threshold, 'does not apply: this alert has no threshold', 'remove it');
    }
    const rule: Rule = {
      alert: p.alert,
      expr: p.expr(signals, threshold),
      for: promDuration(scope, `alerts.${p.key}.for`, o.for ?? p.for),
      labels: { severity: severityOf(o.severity, p.severity, routing), service: t.service, ...routing.labels },
      annotations: {
        summary: p.summary,
        description: p.description(name),
        runbook_url: `${runbookBase}#${p.alert.toLowerCase()}`,
      },
    };
    if (rule.for === '0s') delete rule.for;
    checkPromQL(scope, `alerts.${p.key}`, rule.expr);
    rules.push(routed(rule, o.severity, p.severity));
  }
  return rules;
}

/** The windows of the multi-window, multi-burn-rate alerts (Google SRE workbook, chapter 5). */
// Each alert fires when the error budget burns so fast that, kept up over the long window, it would spend the given
// share of the whole period's budget: the factor is that share times the period over the window (the SRE workbook's
// 2 % in 1 hour, 5 % in 6 hours, 10 % in a day and in 3 days; Sloth and Pyrra compute it the same way). Over 30 days
// that gives the workbook's 14.4, 6, 3 and 1; over 7 days 3.36, 1.4, 0.7 and 0.233.
const BURN_RATE_WINDOWS = [
  { long: '1h', longSeconds: 3600, short: '5m', budgetShare: 0.02, severity: AlertSeverity.CRITICAL, kind: 'page' },
  { long: '6h', longSeconds: 6 * 3600, short: '30m', budgetShare: 0.05, severity: AlertSeverity.CRITICAL, kind: 'page' },
  { long: '1d', longSeconds: 86400, short: '2h', budgetShare: 0.1, severity: AlertSeverity.WARNING, kind: 'ticket' },
  { long: '3d', longSeconds: 3 * 86400, short: '6h', budgetShare: 0.1, severity: AlertSeverity.WARNING, kind: 'ticket' },
];

/** The burn-rate factor of a window for an SLO over `periodSeconds`, to 4 significant digits. */
export function burnRateFactor(window: { longSeconds: number; budgetShare: number }, periodSeconds: number): number {
  return +((window.budgetShare * periodSeconds) / window.longSeconds).toPrecision(4);
}

/** What an objective measures: its name, its property (for messages) and its error ratio over a window. */
export interface SloIndicator {
  readonly name: string;
  readonly property: string;
  readonly what: string;
  readonly errorRatio: (window: string) => string;
}

/** The error ratio of an availability objective: 5xx responses among all. */
export function availabilityIndicator(s: Signals): SloIndicator {
  return {
    name: `${s.target.service}-availability`,
    property: 'availability',
    what: 'availability',
    errorRatio: (w) => s.errorRatio(w),
  };
}

/**
 * The error ratio of a latency objective: requests slower than `le` seconds among all, from the duration histogram.
 * `le` must be one of the histogram's bucket boundaries.
 */
export function latencyIndicator(s: Signals, le: string): SloIndicator {
  return {
    name: `${s.target.service}-latency`,
    property: 'latency',
    what: `latency (${le}s)`,
    errorRatio: (w) => s.slowRatio(w, le),
  };
}

/**
 * Recording rules of the error ratio over each window, the error budget, and the page and ticket burn-rate alerts of
 * an objective (in percent, such as 99.9) over `period`.
 */
export function sloRules(
  scope: IConstruct, indicator: SloIndicator, objective: number, period: Duration, t: Target, runbookBase: string, routing: Routing,
): Rule[] {
  if (typeof objective !== 'number' || !(objective > 0 && objective < 100)) {
    throw GantryError.of(scope, `${indicator.property}.objective`, objective, 'must be a percentage between 0 and 100, exclusive',
      'use a value such as 99.9');
  }
  if (objective < 1) {
    throw GantryError.of(scope, `${indicator.property}.objective`, objective, 'looks like a fraction, but objectives are percentages',
      `write it in percent: ${+(objective * 100).toPrecision(12)}`);
  }
  const periodText = promDuration(scope, `${indicator.property}.period`, period);
  if (period.toSeconds({ integral: false }) < LONGEST_WINDOW_SECONDS) {
    throw GantryError.of(scope, `${indicator.property}.period`, periodText, 'is shorter than the longest burn-rate window (3d), so the ticket alert could never see it',
      'use a period of at least Duration.days(3), such as Duration.days(30)');
  }
  const budget = +(1 - objective / 100).toPrecision(12);
  const slo = indicator.name;
  // The namespace tells two environments' objectives apart in one Prometheus; the constant series carry it explicitly.
  const namespace: { [key: string]: string } = t.namespace !== undefined ? { namespace: t.namespace } : {};
  const sloLabels = { slo, service: t.service, ...routing.labels };
  const sel = matchers([`slo="${slo}"`, t.namespace !== undefined ? `namespace="${t.namespace}"` : undefined]);
  const windows = [...new Set(['5m', '30m', '1h', '2h', '6h', '1d', '3d', periodText])];
  const rules: Rule[] = windows.map((w) => ({ record: `slo:sli_error:ratio_rate${w}`, expr: indicator.errorRatio(w), labels: { ...sloLabels } }));
  const periodSeconds = period.toSeconds({ integral: false });
  rules.push(
    // What dashboards and SLO tools list: one series per objective, with its target and period as labels.
    { record: 'slo:info', expr: 'vector(1)', labels: { ...sloLabels, ...namespace, objective: String(objective), period: periodText } },
    { record: 'slo:objective:ratio', expr: `vector(${objective / 100})`, labels: { ...sloLabels, ...namespace } },
    { record: 'slo:error_budget:ratio', expr: `vector(${budget})`, labels: { ...sloLabels, ...namespace } },
    {
      record: 'slo:error_budget_remaining:ratio',
      expr: `1 - (slo:sli_error:ratio_rate${periodText}${sel} / ${budget})`,
      labels: { ...sloLabels },
    },
  );
  for (const kind of ['page', 'ticket']) {
    const ws = BURN_RATE_WINDOWS.filter((w) => w.kind === kind).map((w) => ({ ...w, factor: burnRateFactor(w, periodSeconds) }));
    const burning = (w: typeof ws[number]) => `(slo:sli_error:ratio_rate${w.long}${sel} > (${w.factor} * ${budget})`
      + ` and slo:sli_error:ratio_rate${w.short}${sel} > (${w.factor} * ${budget}))`;
    const alert = kind === 'page' ? 'GoServiceErrorBudgetBurnPage' : 'GoServiceErrorBudgetBurnTicket';
    rules.push(routed({
      alert,
      expr: ws.map(burning).join(' or '),
      labels: { severity: severityOf(undefined, ws[0].severity, routing), service: t.service, slo, ...routing.labels },
      annotations: {
        summary: `${t.service} burns its ${objective}% ${indicator.what} error budget fast${kind === 'page' ? '' : 'er than it can last'}`,
        description: `Error ratio over ${ws.map((w) => `${w.long}/${w.short} above ${w.factor}x`).join(', or ')} the budget of ${budget} (objective ${objective}% over ${periodText}).`,
        runbook_url: `${runbookBase}#${alert.toLowerCase()}`,
      },
    }, undefined, ws[0].severity));
  }
  for (const r of rules) checkPromQL(scope, indicator.property, r.expr);
  return rules;
}
