import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { HpaMetric } from './hpa-metric';
import { renderScalingRules, SCALE_DOWN_DEFAULTS, SCALE_UP_DEFAULTS, ScalingRules } from './scaling-rules';
import { checkInt, checkReplicas } from '../core/checks';
import { GantryError } from '../core/errors';
import { KubeHorizontalPodAutoscalerV2 } from '../core/kube';
import { checkProps } from '../core/props';

/**
 * A workload an HpaPolicy can scale.
 */
export interface IScalableWorkload extends IConstruct {
  /** `apiVersion` of the scaled object. */
  readonly scaleTargetApiVersion: string;
  /** `kind` of the scaled object. */
  readonly scaleTargetKind: string;
  /** `metadata.name` of the scaled object. */
  readonly scaleTargetName: string;
  /**
   * Namespace of the scaled object; the HPA goes in the same one.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** Labels to put on the HPA. */
  readonly labels: { [key: string]: string };
  /**
   * Called by an HpaPolicy that scales this workload, so that the workload leaves `spec.replicas` to it and sizes its
   * PodDisruptionBudget from `minReplicas`. A workload takes one HpaPolicy.
   */
  registerAutoscaler(hpa: HpaPolicy): void;
}

/**
 * Options of an HpaPolicy.
 */
export interface HpaPolicyOptions {
  /**
   * The fewest pods. Keep at least 2 for availability: the PodDisruptionBudget is derived from it.
   * @default 2
   */
  readonly minReplicas?: number;

  /** The most pods. */
  readonly maxReplicas: number;

  /**
   * Target average CPU utilization, in percent of the CPU request. `0` turns CPU scaling off.
   * @default 70
   */
  readonly cpuUtilization?: number;

  /**
   * Target average memory utilization, in percent of the memory request.
   * Go's heap grows to GOMEMLIMIT before the GC works hard, so memory is a poor scaling signal for Go; prefer CPU or a
   * request-rate metric.
   * @default - none
   */
  readonly memoryUtilization?: number;

  /**
   * Custom metrics, such as requests per second per pod.
   * @default - none
   */
  readonly metrics?: HpaMetric[];

  /**
   * How scale-up behaves.
   * @default - no stabilization; 100% or 4 pods per 15s, whichever is more
   */
  readonly scaleUp?: ScalingRules;

  /**
   * How scale-down behaves.
   * @default - 5 minutes stabilization; at most 50% of the pods per minute
   */
  readonly scaleDown?: ScalingRules;
}

/**
 * Properties of an HpaPolicy.
 */
export interface HpaPolicyProps extends HpaPolicyOptions {
  /** The workload to scale, such as a GoMicroservice. */
  readonly target: IScalableWorkload;
}

/**
 * An `autoscaling/v2` HorizontalPodAutoscaler for a workload.
 *
 * The workload then leaves `spec.replicas` out of its Deployment, so that Argo CD and `kubectl apply` do not reset the
 * replica count on every sync, and its PodDisruptionBudget follows `minReplicas`.
 *
 * Usually made through `GoMicroservice`'s `autoscaling` prop or `addHpaPolicy()`. The HPA object has id `Resource` and is
 * named like the workload.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
export class HpaPolicy extends Construct {
  /** The fewest pods. */
  public readonly minReplicas: number;
  /** The most pods. */
  public readonly maxReplicas: number;
  /** The HorizontalPodAutoscaler object. */
  public readonly apiObject: k8s.KubeHorizontalPodAutoscalerV2;

  private readonly spec: Omit<k8s.HorizontalPodAutoscalerSpecV2, 'scaleTargetRef'>;
  private readonly resourceTargets = new Map<string, { index: number; utilization: number }>();

  /**
   * @param scope the parent construct
   * @param id the construct id
   * @param props the target workload and scaling settings
   */
  constructor(scope: Construct, id: string, props: HpaPolicyProps) {
    super(scope, id);
    checkProps(this, 'HpaPolicyProps', props);
    this.minReplicas = props.minReplicas ?? 2;
    this.maxReplicas = props.maxReplicas;
    checkReplicas(this, 'minReplicas', this.minReplicas);
    checkInt(this, 'maxReplicas', this.maxReplicas, 1, 10000, `use a value of at least minReplicas (${this.minReplicas})`);
    if (this.minReplicas > this.maxReplicas) {
      throw GantryError.of(this, 'minReplicas', this.minReplicas, `is greater than 'maxReplicas' (${this.maxReplicas})`,
        `lower minReplicas or raise maxReplicas to at least ${this.minReplicas}`);
    }

    const metrics: k8s.MetricSpecV2[] = [];
    // The HPA controller stores autoscaling/v2 objects through the v1 form, which keeps the CPU target in its own field
    // and puts it back last; emitting CPU last keeps GitOps tools from seeing a diff on every sync
    // (kubernetes/kubernetes#74099, argoproj/argo-cd#1079).
    if (props.memoryUtilization !== undefined) {
      metrics.push(resourceMetric('memory', this.utilization('memoryUtilization', props.memoryUtilization)));
    }
    (props.metrics ?? []).forEach((m, i) => metrics.push(m._bind(this, `metrics[${i}]`)));
    const cpu = props.cpuUtilization ?? 70;
    if (cpu !== 0) {
      metrics.push(resourceMetric('cpu', this.utilization('cpuUtilization', cpu)));
    }
    if (metrics.length === 0) {
      throw GantryError.of(this, 'cpuUtilization', 0, 'turns off the only metric, so the HPA would never scale',
        'keep a CPU target, or add \'memoryUtilization\' or \'metrics\'');
    }
    metrics.forEach((m, index) => {
      if (m.resource !== undefined) this.resourceTargets.set(m.resource.name, { index, utilization: m.resource.target.averageUtilization! });
    });
    this.spec = {
      minReplicas: this.minReplicas,
      maxReplicas: this.maxReplicas,
      metrics,
      behavior: {
        scaleUp: renderScalingRules(this, 'scaleUp', props.scaleUp, SCALE_UP_DEFAULTS),
        scaleDown: renderScalingRules(this, 'scaleDown', props.scaleDown, SCALE_DOWN_DEFAULTS),
      },
    };

    const target = props.target;
    this.apiObject = new KubeHorizontalPodAutoscalerV2(this, 'Resource', {
      metadata: { name: target.scaleTargetName, namespace: target.namespace, labels: { ...target.labels } },
      spec: Lazy.any({
        produce: (): k8s.HorizontalPodAutoscalerSpecV2 => ({
          scaleTargetRef: { apiVersion: target.scaleTargetApiVersion, kind: target.scaleTargetKind, name: target.scaleTargetName },
          ...this.spec,
        }),
      }),
    });
    target.registerAutoscaler(this);
  }

  /**
   * Position of the `cpu` or `memory` utilization metric in `spec.metrics`, if there is one.
   * @internal
   */
  public _metricIndex(resource: string): number | undefined {
    return this.resourceTargets.get(resource)?.index;
  }

  /**
   * The `cpu` or `memory` utilization target, if there is one.
   * @internal
   */
  public _utilization(resource: string): number | undefined {
    return this.resourceTargets.get(resource)?.utilization;
  }

  private utilization(property: string, value: number): number {
    if (!Number.isInteger(value) || value < 1 || value > 500) {
      throw GantryError.of(this, property, value, 'must be a whole percentage of the request from 1 to 500',
        value > 0 && value < 1 ? `write percent, not a fraction: use ${Math.round(value * 100)}` : 'use a value such as 70');
    }
    return value;
  }
}

function resourceMetric(name: string, averageUtilization: number): k8s.MetricSpecV2 {
  return { type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } } };
}
