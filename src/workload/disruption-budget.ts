import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DisruptionBudgetOptions } from './go-microservice-props';
import { ServiceValues } from './service-values';
import { GantryError } from '../core/errors';
import { IntOrPercent } from '../core/int-or-percent';
import { KubePodDisruptionBudget } from '../core/kube';
import { blockHook } from '../helm/template-hooks';

/** What the disruption budget of a service depends on. */
export interface DisruptionBudgetTarget {
  readonly selectorLabels: { [key: string]: string };
  /** The fewest pods the service runs with: the HPA's `minReplicas`, or `replicas`. Read at synthesis. */
  readonly minPods: number;
  /** Whether an HPA owns the replica count. Read at synthesis. */
  readonly autoscaled: boolean;
}

/**
 * The PodDisruptionBudget of a GoMicroservice (construct id `DisruptionBudget` under the service). Unless
 * `minAvailable` is given, it keeps half the fewest pods, rounded up, and always allows a node drain: one pod gets
 * `maxUnavailable: 1`. Unhealthy pods may always be evicted, so a crash-looping pod never blocks a drain.
 */
export class DisruptionBudget {
  /** The PodDisruptionBudget. */
  public readonly apiObject: k8s.KubePodDisruptionBudget;
  private readonly minAvailable?: IntOrPercent;

  constructor(scope: Construct, options: DisruptionBudgetOptions, metadata: k8s.ObjectMeta, private readonly target: DisruptionBudgetTarget) {
    const v = options.minAvailable;
    if (v !== undefined && (!Number.isInteger(v.value) || v.value < 0 || (v.isPercent && v.value > 100))) {
      throw GantryError.of(scope, 'disruptionBudget.minAvailable', v.toString(), 'must be a whole number of pods or a percentage from 0 to 100',
        'use IntOrPercent.count(1) or IntOrPercent.percent(50)');
    }
    this.minAvailable = v;
    this.apiObject = new KubePodDisruptionBudget(scope, 'DisruptionBudget', {
      metadata,
      spec: Lazy.any({ produce: () => this.spec() }),
    });
    scope.node.addValidation({ validate: () => this.validate(scope) });
  }

  /** Declares `disruptionBudget.enabled`, and, for a derived budget, templates it from the replica values. */
  public declareValues(values: ServiceValues, minPodsExpression: string): void {
    values.declare(['disruptionBudget', 'enabled'], { type: 'boolean', description: 'The PodDisruptionBudget that keeps pods up through node drains' }, true);
    values.condition(this.apiObject, 'disruptionBudget', 'enabled');
    if (this.minAvailable !== undefined) return;
    // The same rule as spec(), in the template language.
    values.hook(this.apiObject, blockHook('/spec', ['minAvailable', 'maxUnavailable'], (indent) => [
      `${indent}{{- $minPods := int ${minPodsExpression} }}`,
      `${indent}{{- if le $minPods 1 }}`,
      `${indent}maxUnavailable: 1`,
      `${indent}{{- else }}`,
      `${indent}minAvailable: {{ div (add $minPods 1) 2 }}`,
      `${indent}{{- end }}`,
    ]));
  }

  private spec(): k8s.PodDisruptionBudgetSpec {
    const selector = { matchLabels: { ...this.target.selectorLabels } };
    const unhealthyPodEvictionPolicy = 'AlwaysAllow';
    if (this.minAvailable !== undefined) {
      return { minAvailable: this.minAvailable._toKube(), selector, unhealthyPodEvictionPolicy };
    }
    const min = this.target.minPods;
    // One pod: say so explicitly, so a node drain can always proceed. More: keep at least half.
    return min <= 1
      ? { maxUnavailable: k8s.IntOrString.fromNumber(1), selector, unhealthyPodEvictionPolicy }
      : { minAvailable: k8s.IntOrString.fromNumber(Math.ceil(min / 2)), selector, unhealthyPodEvictionPolicy };
  }

  private validate(scope: Construct): string[] {
    if (this.minAvailable === undefined) return [];
    const min = this.target.minPods;
    if (this.minAvailable.pods(min, true) < min) return [];
    return [GantryError.format(scope, 'disruptionBudget.minAvailable', this.minAvailable.toString(),
      `keeps all ${min} pods (${this.target.autoscaled ? 'the HPA\'s minReplicas' : 'replicas'}) available, so it blocks every eviction and node drain`,
      `use at most IntOrPercent.count(${Math.max(min - 1, 0)})${min <= 1 ? ', or run 2 or more pods' : ''}`)];
  }
}
