import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { checkInt, checkSeconds } from '../core/checks';
import { GantryError } from '../core/errors';

/**
 * One limit on how fast an HpaPolicy may scale: so many pods, or so many percent, per period.
 */
export class ScalingPolicy {
  /** At most `count` pods per `period`. */
  public static pods(count: number, period: Duration): ScalingPolicy {
    return new ScalingPolicy('Pods', count, period);
  }

  /** At most `percent` of the current pods per `period`. */
  public static percent(percent: number, period: Duration): ScalingPolicy {
    return new ScalingPolicy('Percent', percent, period);
  }

  private constructor(
    /** `Pods` or `Percent`. */
    public readonly type: string,
    /** Pods, or percent. */
    public readonly value: number,
    /** The period the limit applies to. */
    public readonly period: Duration,
  ) {}

  /**
   * Checks the policy and returns its `HPAScalingPolicy`.
   * @internal
   */
  public _bind(scope: IConstruct, property: string): k8s.HpaScalingPolicyV2 {
    checkInt(scope, `${property}.value`, this.value, 1, this.type === 'Percent' ? 1000 : 10000);
    const periodSeconds = checkSeconds(scope, `${property}.period`, this.period, 1, 1800);
    return { type: this.type, value: this.value, periodSeconds };
  }
}

/** Which policy wins when several allow different changes. */
export enum ScalingSelect {
  /** The policy that allows the largest change. */
  MAX = 'Max',
  /** The policy that allows the smallest change. */
  MIN = 'Min',
  /** Never scale in this direction. */
  DISABLED = 'Disabled',
}

/**
 * How one direction of scaling behaves (`spec.behavior.scaleUp` or `scaleDown`).
 */
export interface ScalingRules {
  /**
   * How far back the controller looks for the recommendation to act on; smooths out flapping.
   * @default - no window for scale-up, 5 minutes for scale-down
   */
  readonly stabilizationWindow?: Duration;

  /**
   * Limits on the rate of change.
   * @default - scale-up: 100% or 4 pods per 15s, whichever is more (the Kubernetes default);
   * scale-down: 50% per minute, gentler than the Kubernetes default of 100% per 15s
   */
  readonly policies?: ScalingPolicy[];

  /**
   * Which policy wins.
   * @default ScalingSelect.MAX
   */
  readonly select?: ScalingSelect;
}

/** The defaults of each direction. */
export const SCALE_UP_DEFAULTS = {
  stabilizationWindow: Duration.seconds(0),
  policies: [ScalingPolicy.percent(100, Duration.seconds(15)), ScalingPolicy.pods(4, Duration.seconds(15))],
};
export const SCALE_DOWN_DEFAULTS = {
  stabilizationWindow: Duration.minutes(5),
  policies: [ScalingPolicy.percent(50, Duration.minutes(1))],
};

/** Checks `rules` and returns `HPAScalingRules`. */
export function renderScalingRules(scope: IConstruct, property: string, rules: ScalingRules | undefined,
  defaults: { stabilizationWindow: Duration; policies: ScalingPolicy[] }): k8s.HpaScalingRulesV2 {
  const window = checkSeconds(scope, `${property}.stabilizationWindow`, rules?.stabilizationWindow ?? defaults.stabilizationWindow, 0, 3600);
  const policies = rules?.policies ?? defaults.policies;
  if (policies.length === 0) {
    throw GantryError.of(scope, `${property}.policies`, '[]', 'is empty, which Kubernetes refuses',
      'give at least one ScalingPolicy, or set \'select\' to ScalingSelect.DISABLED to stop scaling in this direction');
  }
  const select = rules?.select ?? ScalingSelect.MAX;
  return {
    stabilizationWindowSeconds: window,
    selectPolicy: select,
    policies: policies.map((p, i) => p._bind(scope, `${property}.policies[${i}]`)),
  };
}
