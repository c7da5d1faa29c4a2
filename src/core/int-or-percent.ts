import { k8s } from 'cdk8s-plus-28';

/**
 * A count or a percentage, as Kubernetes takes for `maxSurge`, `maxUnavailable` and PodDisruptionBudgets.
 */
export class IntOrPercent {
  /** An absolute number of pods. */
  public static count(value: number): IntOrPercent {
    return new IntOrPercent(value, false);
  }

  /** A percentage of the desired pods, from 0 to 100. */
  public static percent(value: number): IntOrPercent {
    return new IntOrPercent(value, true);
  }

  private constructor(
    /** The number: pods, or percent. */
    public readonly value: number,
    /** Whether `value` is a percentage. */
    public readonly isPercent: boolean,
  ) {}

  /** Whether this is zero pods or zero percent. */
  public get isZero(): boolean {
    return this.value === 0;
  }

  /**
   * The value as Kubernetes takes it: `3` or `"25%"`.
   * @internal
   */
  public _toKube(): k8s.IntOrString {
    return this.isPercent ? k8s.IntOrString.fromString(`${this.value}%`) : k8s.IntOrString.fromNumber(this.value);
  }

  /** `3` or `25%`, for messages. */
  public toString(): string {
    return this.isPercent ? `${this.value}%` : `${this.value}`;
  }

  /**
   * The whole number of pods this stands for out of `total`, rounded as the Deployment controller does.
   * @param total the pod count the percentage applies to
   * @param roundUp round a fraction up (maxSurge) rather than down (maxUnavailable)
   */
  public pods(total: number, roundUp: boolean): number {
    if (!this.isPercent) {
      return this.value;
    }
    const exact = (total * this.value) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
}
