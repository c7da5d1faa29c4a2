import { Duration } from 'cdk8s';

/** How urgent an alert is: its `severity` label, which Alertmanager routes on. */
export enum AlertSeverity {
  /** Wake someone up. */
  CRITICAL = 'critical',
  /** Look at it during working hours. */
  WARNING = 'warning',
  /** For dashboards and context only. */
  INFO = 'info',
}

/**
 * Tuning of one preset alert. Each preset is on by default; its threshold's unit is the preset's own (see
 * `AlertPresets`).
 */
export interface AlertOptions {
  /**
   * Emit this alert.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The threshold, in the preset's unit.
   * @default - the preset's
   */
  readonly threshold?: number;

  /**
   * How long the condition must hold before the alert fires.
   * @default - the preset's
   */
  readonly for?: Duration;

  /**
   * The `severity` label.
   * @default - the preset's
   */
  readonly severity?: AlertSeverity;
}

/**
 * The preset alerts of a PrometheusMonitor, each on by default and tunable.
 */
export interface AlertPresets {
  /**
   * Ratio of 5xx responses above `threshold` (0 to 1).
   * @default - 0.05 for 5 minutes, critical
   */
  readonly errorRate?: AlertOptions;

  /**
   * p99 request latency above `threshold` seconds, from the duration histogram.
   * @default - 2 seconds for 10 minutes, warning
   */
  readonly latency?: AlertOptions;

  /**
   * Requests stopped: the last 10 minutes' rate below `threshold` (0 to 1) of the hour before's, when that was at
   * least 1 request a second.
   * @default - 0.1 for 10 minutes, warning
   */
  readonly trafficStopped?: AlertOptions;

  /**
   * CPU use above `threshold` (0 to 1) of the limit.
   * @default - 0.85 for 5 minutes, warning
   */
  readonly cpu?: AlertOptions;

  /**
   * Memory working set above `threshold` (0 to 1) of the limit.
   * @default - 0.9 for 5 minutes, warning
   */
  readonly memory?: AlertOptions;

  /**
   * Share of CPU periods throttled above `threshold` (0 to 1).
   * @default - 0.25 for 15 minutes, warning
   */
  readonly cpuThrottling?: AlertOptions;

  /**
   * More than `threshold` container restarts in 15 minutes (crash loops).
   * @default - 2, at once, warning
   */
  readonly restarts?: AlertOptions;

  /**
   * A container was OOM-killed in the last 10 minutes.
   * @default - at once, warning
   */
  readonly oomKills?: AlertOptions;

  /**
   * A container waiting in CrashLoopBackOff: a steady crash loop, which backs off too far to count as many restarts.
   * @default - for 15 minutes, warning
   */
  readonly crashLooping?: AlertOptions;

  /**
   * No metrics endpoint of the service is up, or Prometheus scrapes none: every other alert of the service is blind.
   * @default - for 5 minutes, critical
   */
  readonly targetsDown?: AlertOptions;

  /**
   * Replicas unavailable.
   * @default - for 10 minutes, warning
   */
  readonly replicasUnavailable?: AlertOptions;

  /**
   * The rollout has passed its progress deadline (`Progressing` is false).
   * @default - for 1 minute, critical
   */
  readonly rolloutStuck?: AlertOptions;

  /**
   * The HPA has run at its maximum (only for services with an HPA).
   * @default - for 15 minutes, warning
   */
  readonly hpaMaxedOut?: AlertOptions;

  /**
   * More than `threshold` goroutines in a pod.
   * @default - 10000 for 15 minutes, warning
   */
  readonly goroutines?: AlertOptions;

  /**
   * Goroutines of a pod grew by at least `threshold` an hour, through every half hour of the last two hours: a leak in
   * the making (load comes in steps and ramps that level off; a leak does not).
   * @default - 50 an hour, for 15 minutes, warning
   */
  readonly goroutineGrowth?: AlertOptions;

  /**
   * Share of time in GC stop-the-world pauses above `threshold` (0 to 1).
   * @default - 0.05 for 15 minutes, warning
   */
  readonly gcPauses?: AlertOptions;

  /**
   * Heap in use above `threshold` (0 to 1) of GOMEMLIMIT (the memory limit): the GC is working hard.
   * @default - 0.9 for 15 minutes, warning
   */
  readonly heapNearLimit?: AlertOptions;
}
