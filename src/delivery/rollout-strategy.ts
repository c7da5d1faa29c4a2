import { Duration } from 'cdk8s';
import { CanaryAnalysisOptions } from './canary-analysis';
import { CanaryStep } from './canary-step';

/**
 * The traffic routing a canary Rollout drives: which VirtualService routes and DestinationRule subsets it sets the
 * weights of. IstioCanary gives it.
 */
export interface IstioTrafficRouting {
  /** The VirtualService's name. */
  readonly virtualServiceName: string;
  /** The names of the VirtualService's HTTP routes whose weights the Rollout sets. */
  readonly routes: string[];
  /** The DestinationRule's name. */
  readonly destinationRuleName: string;
  /** The subset of the stable version. */
  readonly stableSubsetName: string;
  /** The subset of the canary. */
  readonly canarySubsetName: string;
}

/**
 * The steps and analysis of a canary Rollout.
 */
export interface CanaryOptions {
  /**
   * The steps from 0 % to 100 %.
   * @default - 10 %, 5 minutes, 25 %, 5 minutes, 50 %, 5 minutes, then all
   */
  readonly steps?: CanaryStep[];
  /**
   * The analysis that runs in the background from the first step on, and rolls the canary back when it fails.
   * @default - the rollback rule: error ratio above 5 % or p99 latency above 2 s
   */
  readonly analysis?: CanaryAnalysisOptions;
  /**
   * Run no analysis at all: the steps alone decide.
   * @default false
   */
  readonly withoutAnalysis?: boolean;
}

/**
 * Options of a canary Rollout.
 */
export interface CanaryStrategyOptions extends CanaryOptions {
  /**
   * The Istio routing the Rollout drives; without it, Argo Rollouts splits traffic by pod counts.
   * @default - no traffic routing
   */
  readonly istio?: IstioTrafficRouting;
}

/**
 * Options of a blue-green Rollout.
 */
export interface BlueGreenStrategyOptions {
  /**
   * The name of the preview Service, which selects the new version's pods before promotion.
   * @default '<service>-preview'
   */
  readonly previewServiceName?: string;
  /**
   * Promote the new version without waiting for `kubectl argo rollouts promote`.
   * @default false
   */
  readonly autoPromotion?: boolean;
  /**
   * How long the old version keeps running after the switch, so that a quick abort finds it still up.
   * @default Duration.seconds(30)
   */
  readonly scaleDownDelay?: Duration;
  /**
   * The analysis of the preview, before promotion.
   * @default - the rollback rule, 5 measurements
   */
  readonly analysis?: CanaryAnalysisOptions;
  /**
   * Run no analysis before promotion.
   * @default false
   */
  readonly withoutAnalysis?: boolean;
}

/**
 * How an Argo Rollouts Rollout replaces a service's pods: a canary in steps, or a blue-green switch.
 */
export class RolloutStrategy {
  /** A canary: the new version gets a growing share of the traffic, watched by the analysis. */
  public static canary(options: CanaryStrategyOptions = {}): RolloutStrategy {
    return new RolloutStrategy('canary', options, undefined);
  }

  /** Blue-green: the new version runs beside the old one behind a preview Service, and takes all traffic at once. */
  public static blueGreen(options: BlueGreenStrategyOptions = {}): RolloutStrategy {
    return new RolloutStrategy('blueGreen', undefined, options);
  }

  private constructor(
    /** `canary` or `blueGreen`. */
    public readonly kind: string,
    /** The canary options, for a canary. */
    public readonly canaryOptions?: CanaryStrategyOptions,
    /** The blue-green options, for blue-green. */
    public readonly blueGreenOptions?: BlueGreenStrategyOptions,
  ) {}
}
