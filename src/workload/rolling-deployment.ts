import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { checkInt, checkSeconds } from '../core/checks';
import { GantryError } from '../core/errors';
import { IntOrPercent } from '../core/int-or-percent';

/**
 * Settings every rollout strategy shares.
 */
export interface RolloutOptions {
  /**
   * How long a new pod must be ready, without any container crashing, before it counts as available.
   * Gives a Go server time to fail on a bad config after it first reports ready.
   * @default Duration.seconds(5)
   */
  readonly minReady?: Duration;

  /**
   * How long a rollout may make no progress before the Deployment reports `ProgressDeadlineExceeded`.
   * Must be longer than `minReady`.
   * @default Duration.minutes(10)
   */
  readonly progressDeadline?: Duration;

  /**
   * How many old ReplicaSets to keep so that `kubectl rollout undo` can go back.
   * @default 5
   */
  readonly revisionHistoryLimit?: number;
}

/**
 * Options of a rolling update.
 */
export interface RollingUpdateOptions extends RolloutOptions {
  /**
   * How many pods may be created above the desired count during the update.
   * @default IntOrPercent.percent(25)
   */
  readonly maxSurge?: IntOrPercent;

  /**
   * How many pods may be unavailable during the update. The default keeps full capacity: new pods come up before old
   * ones go. `maxSurge` and `maxUnavailable` cannot both be zero.
   * @default IntOrPercent.count(0)
   */
  readonly maxUnavailable?: IntOrPercent;
}

/**
 * How a GoMicroservice's Deployment replaces its pods: a rolling update (the default) or recreate.
 *
 * @example
 * RollingDeployment.rollingUpdate({ maxSurge: IntOrPercent.count(1), maxUnavailable: IntOrPercent.count(0) })
 */
export class RollingDeployment {
  /**
   * Replace pods a few at a time, keeping the service up (Deployment strategy `RollingUpdate`).
   */
  public static rollingUpdate(options: RollingUpdateOptions = {}): RollingDeployment {
    return new RollingDeployment('RollingUpdate', options,
      options.maxSurge ?? IntOrPercent.percent(25), options.maxUnavailable ?? IntOrPercent.count(0));
  }

  /**
   * Stop every old pod before starting new ones (Deployment strategy `Recreate`): a gap in service on every rollout.
   * For services that cannot run two versions at once, such as a singleton consumer.
   */
  public static recreate(options: RolloutOptions = {}): RollingDeployment {
    return new RollingDeployment('Recreate', options);
  }

  /** `RollingUpdate` or `Recreate`. */
  public readonly type: string;
  /** How long a new pod must be ready before it counts as available. */
  public readonly minReady: Duration;
  /** How long before a rollout with no progress is reported as failed. */
  public readonly progressDeadline: Duration;
  /** Old ReplicaSets kept for rollback. */
  public readonly revisionHistoryLimit: number;
  /** Pods above the desired count during a rolling update. */
  public readonly maxSurge?: IntOrPercent;
  /** Pods that may be unavailable during a rolling update. */
  public readonly maxUnavailable?: IntOrPercent;

  private constructor(type: string, options: RolloutOptions, maxSurge?: IntOrPercent, maxUnavailable?: IntOrPercent) {
    this.type = type;
    this.minReady = options.minReady ?? Duration.seconds(5);
    this.progressDeadline = options.progressDeadline ?? Duration.minutes(10);
    this.revisionHistoryLimit = options.revisionHistoryLimit ?? 5;
    this.maxSurge = maxSurge;
    this.maxUnavailable = maxUnavailable;
  }

  /**
   * Checks the settings for the workload `scope` and returns the Deployment spec fields they set.
   * Called by the workload that uses this strategy; errors name that workload.
   * @internal
   */
  public _bind(scope: IConstruct): RolloutSpec {
    const minReadySeconds = checkSeconds(scope, 'strategy.minReady', this.minReady, 0, 3600);
    const progressDeadlineSeconds = checkSeconds(scope, 'strategy.progressDeadline', this.progressDeadline, 1, 86400);
    if (progressDeadlineSeconds <= minReadySeconds) {
      throw GantryError.of(scope, 'strategy.progressDeadline', `${progressDeadlineSeconds}s`,
        `must be longer than 'strategy.minReady' (${minReadySeconds}s), or every rollout is reported as failed`,
        `use at least Duration.seconds(${minReadySeconds + 60})`);
    }
    checkInt(scope, 'strategy.revisionHistoryLimit', this.revisionHistoryLimit, 1, 100,
      'keep at least 1 old ReplicaSet so that a rollout can be undone, such as 5');
    for (const [prop, v] of [['strategy.maxSurge', this.maxSurge], ['strategy.maxUnavailable', this.maxUnavailable]] as const) {
      if (v === undefined) continue;
      const max = v.isPercent ? 100 : 10000;
      if (!Number.isInteger(v.value) || v.value < 0 || v.value > max) {
        throw GantryError.of(scope, prop, v.toString(),
          v.isPercent ? 'must be a whole percentage from 0 to 100' : 'must be a whole number of pods, 0 or more',
          v.isPercent ? 'use a value such as IntOrPercent.percent(25)' : 'use a value such as IntOrPercent.count(1)');
      }
    }
    if (this.maxSurge?.isZero && this.maxUnavailable?.isZero) {
      throw GantryError.of(scope, 'strategy.maxUnavailable', '0',
        'cannot be zero when \'strategy.maxSurge\' is zero too: the rollout could never replace a pod',
        'set maxSurge to IntOrPercent.percent(25) or maxUnavailable to IntOrPercent.count(1)');
    }
    return {
      minReadySeconds,
      progressDeadlineSeconds,
      revisionHistoryLimit: this.revisionHistoryLimit,
      strategy: this.type === 'Recreate'
        ? { type: 'Recreate' }
        : { type: 'RollingUpdate', rollingUpdate: { maxSurge: this.maxSurge!._toKube(), maxUnavailable: this.maxUnavailable!._toKube() } },
    };
  }
}

/** The Deployment spec fields a `RollingDeployment` sets. */
export type RolloutSpec = Required<Pick<k8s.DeploymentSpec, 'minReadySeconds' | 'progressDeadlineSeconds' | 'revisionHistoryLimit' | 'strategy'>>;
