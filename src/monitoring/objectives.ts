import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkPromQL } from './promql';
import { Routing, Rule } from './routing';
import { availabilityIndicator, latencyIndicator, SloIndicator, sloRules } from './rules';
import { Signals, Target } from './signals';
import { checkDns1035 } from '../core/checks';
import { GantryError } from '../core/errors';

/**
 * An availability objective: the share of requests that must not fail with 5xx.
 */
export interface AvailabilityObjective {
  /** The objective in percent, such as 99.9. */
  readonly objective: number;
  /**
   * The period the objective (and its error budget) is measured over.
   * @default Duration.days(30)
   */
  readonly period?: Duration;
}

/**
 * A latency objective: the share of requests that must be faster than `threshold`.
 */
export interface LatencyObjective {
  /** The objective in percent, such as 99. */
  readonly objective: number;
  /**
   * The latency threshold. It must be a bucket boundary of the request duration histogram (client_golang's default
   * buckets: 5ms, 10ms, 25ms, 50ms, 100ms, 250ms, 500ms, 1s, 2.5s, 5s, 10s).
   */
  readonly threshold: Duration;
  /**
   * The period the objective is measured over.
   * @default Duration.days(30)
   */
  readonly period?: Duration;
}

/**
 * An objective on a ratio of your own: the share of events that may be bad, such as failed jobs among all jobs.
 */
export interface RatioObjective {
  /** Its name: the objective is labelled `slo: <service>-<name>`. */
  readonly name: string;
  /** The objective in percent, such as 99.5. */
  readonly objective: number;
  /**
   * PromQL of the bad events per second over `$window`, aggregated `by (namespace)` so that environments stay apart:
   * `sum by (namespace) (rate(jobs_failed_total{job="worker"}[$window]))`.
   */
  readonly errorsQuery: string;
  /** PromQL of all events per second over `$window`, aggregated the same way. */
  readonly totalQuery: string;
  /**
   * The period the objective is measured over.
   * @default Duration.days(30)
   */
  readonly period?: Duration;
}

/** What the objectives of a monitor are given. */
export interface ObjectiveOptions {
  readonly availability?: AvailabilityObjective;
  readonly latency?: LatencyObjective;
  readonly ratios?: RatioObjective[];
  readonly durationBuckets?: Duration[];
}

/** The recording rules and burn-rate alerts of every objective of a monitor, checked; errors name `scope`. */
export function objectiveRules(
  scope: IConstruct, props: ObjectiveOptions, signals: Signals, instrumentationBuckets: number[], target: Target, runbookBase: string,
  routing: Routing,
): Rule[] {
  const slos: Rule[] = [];
  if (props.availability) {
    slos.push(...sloRules(scope, availabilityIndicator(signals), props.availability.objective,
      props.availability.period ?? Duration.days(30), target, runbookBase, routing));
  }
  if (props.latency) {
    const seconds = props.latency.threshold.toMilliseconds() / 1000;
    if (!(seconds > 0)) {
      throw GantryError.of(scope, 'latency.threshold', `${seconds}s`, 'must be longer than zero', 'use a bucket boundary such as Duration.millis(250)');
    }
    // The SLO counts requests under the threshold from the bucket `le="<threshold>"`: there must be one.
    const buckets = props.durationBuckets?.map((b) => b.toMilliseconds() / 1000) ?? instrumentationBuckets;
    if (!buckets.some((b) => Math.abs(b - seconds) < 1e-9)) {
      const near = buckets.reduce((a, b) => (Math.abs(b - seconds) < Math.abs(a - seconds) ? b : a));
      throw GantryError.of(scope, 'latency.threshold', `${seconds}s`,
        `is not a bucket boundary of ${signals.names.requestDurationSeconds} (${buckets.join(', ')}), so the SLO could count no request as fast or slow`,
        `use one of them, such as Duration.millis(${Math.round(near * 1000)}), or give the service's own buckets as 'durationBuckets'`);
    }
    slos.push(...sloRules(scope, latencyIndicator(signals, String(seconds)), props.latency.objective,
      props.latency.period ?? Duration.days(30), target, runbookBase, routing));
  }
  (props.ratios ?? []).forEach((r, i) => {
    slos.push(...sloRules(scope, ratioIndicator(scope, `ratios[${i}]`, r, target), r.objective, r.period ?? Duration.days(30), target, runbookBase, routing));
  });
  return slos;
}

/** The error ratio of a RatioObjective: its two queries, `$window` filled in. */
function ratioIndicator(scope: IConstruct, property: string, r: RatioObjective, target: Target): SloIndicator {
  checkDns1035(scope, `${property}.name`, r.name, 40);
  for (const [key, query] of [['errorsQuery', r.errorsQuery], ['totalQuery', r.totalQuery]] as const) {
    if (typeof query !== 'string' || !query.includes('$window')) {
      throw GantryError.of(scope, `${property}.${key}`, query, 'has no $window, so every window would measure the same thing',
        'write the range as [$window], such as sum by (namespace) (rate(jobs_failed_total[$window]))');
    }
    checkPromQL(scope, `${property}.${key}`, query.replace(/\$window/g, '5m'));
  }
  return {
    name: `${target.service}-${r.name}`,
    property,
    what: r.name,
    errorRatio: (w) => `(${r.errorsQuery.replace(/\$window/g, w)}) / (${r.totalQuery.replace(/\$window/g, w)})`,
  };
}
