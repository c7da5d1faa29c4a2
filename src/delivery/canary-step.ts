import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkInt, checkSeconds } from '../core/checks';
import { goDuration } from '../core/duration';

/**
 * One step of an Argo Rollouts canary: send a share of the traffic to the new version, wait, or run the analysis.
 *
 * @example
 * [CanaryStep.weight(10), CanaryStep.pause(Duration.minutes(5)), CanaryStep.weight(50), CanaryStep.pause()]
 */
export class CanaryStep {
  /**
   * Send `percent` of the requests to the new version (Argo Rollouts' `setWeight`; jsii reserves `set*` names for
   * Java setters).
   */
  public static weight(percent: number): CanaryStep {
    return new CanaryStep((scope, property) => {
      checkInt(scope, `${property}.weight`, percent, 0, 100, 'use a whole percentage such as 20');
      return { setWeight: percent };
    });
  }

  /**
   * Wait for `duration`, or, without one, until someone promotes the rollout
   * (`kubectl argo rollouts promote <name>`).
   */
  public static pause(duration?: Duration): CanaryStep {
    return new CanaryStep((scope, property) => {
      if (duration === undefined) return { pause: {} };
      return { pause: { duration: goDuration(checkSeconds(scope, `${property}.pause`, duration, 1, 7 * 86400)) } };
    });
  }

  /** Run the canary's analysis now and go on only when it succeeds (needs the strategy's `analysis`). */
  public static analysis(): CanaryStep {
    return new CanaryStep(() => ({ analysis: {} }), true);
  }

  private constructor(
    private readonly render: (scope: IConstruct, property: string) => any,
    /** Whether the step runs the analysis. */
    public readonly runsAnalysis = false,
  ) {}

  /**
   * The step as Argo Rollouts takes it; `analysis` steps get their templates and arguments from the caller.
   * @internal
   */
  public _toRollouts(scope: IConstruct, property: string): any {
    return this.render(scope, property);
  }
}
