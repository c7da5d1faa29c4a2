import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { GantryError } from '../core/errors';
import { QUANTITY } from '../core/quantity';

/**
 * Options of a metric that HPA averages over the workload's pods.
 */
export interface PodsMetricOptions {
  /** The metric name, as the custom metrics API serves it (for example from prometheus-adapter). */
  readonly name: string;
  /** The target value per pod, as a quantity (`'100'`, `'500m'`). */
  readonly averageValue: string;
  /**
   * Label selector on the metric's series.
   * @default - no selector
   */
  readonly selector?: { [key: string]: string };
}

/**
 * Options of a metric that describes one Kubernetes object (for example an Ingress's request rate).
 */
export interface ObjectMetricOptions {
  /** The metric name. */
  readonly name: string;
  /** `apiVersion` of the described object. */
  readonly describedApiVersion: string;
  /** `kind` of the described object. */
  readonly describedKind: string;
  /** `metadata.name` of the described object. */
  readonly describedName: string;
  /**
   * The target value of the metric, as a quantity. Exactly one of `value` and `averageValue`.
   * @default - none
   */
  readonly value?: string;
  /**
   * The target value divided by the number of pods, as a quantity. Exactly one of `value` and `averageValue`.
   * @default - none
   */
  readonly averageValue?: string;
}

/**
 * Options of a metric from outside the cluster (for example a queue's length).
 */
export interface ExternalMetricOptions {
  /** The metric name, as the external metrics API serves it. */
  readonly name: string;
  /**
   * Label selector on the metric's series.
   * @default - no selector
   */
  readonly selector?: { [key: string]: string };
  /**
   * The target value of the metric, as a quantity. Exactly one of `value` and `averageValue`.
   * @default - none
   */
  readonly value?: string;
  /**
   * The target value divided by the number of pods, as a quantity. Exactly one of `value` and `averageValue`.
   * @default - none
   */
  readonly averageValue?: string;
}

/**
 * A custom metric an HpaPolicy scales on, besides CPU and memory utilization.
 *
 * @example
 * HpaMetric.pods({ name: 'http_requests_per_second', averageValue: '50' })
 */
export class HpaMetric {
  /** A metric of each pod, averaged over the workload's pods (`type: Pods`). */
  public static pods(options: PodsMetricOptions): HpaMetric {
    return new HpaMetric('Pods', options.name, (scope, property) => ({
      type: 'Pods',
      pods: {
        metric: metricId(options.name, options.selector),
        target: { type: 'AverageValue', averageValue: quantity(scope, `${property}.averageValue`, options.averageValue) },
      },
    }));
  }

  /** A metric of another Kubernetes object (`type: Object`). */
  public static object(options: ObjectMetricOptions): HpaMetric {
    return new HpaMetric('Object', options.name, (scope, property) => ({
      type: 'Object',
      object: {
        describedObject: { apiVersion: options.describedApiVersion, kind: options.describedKind, name: options.describedName },
        metric: metricId(options.name),
        target: valueTarget(scope, property, options.value, options.averageValue),
      },
    }));
  }

  /** A metric from outside the cluster (`type: External`). */
  public static external(options: ExternalMetricOptions): HpaMetric {
    return new HpaMetric('External', options.name, (scope, property) => ({
      type: 'External',
      external: {
        metric: metricId(options.name, options.selector),
        target: valueTarget(scope, property, options.value, options.averageValue),
      },
    }));
  }

  private constructor(
    /** `Pods`, `Object` or `External`. */
    public readonly type: string,
    /** The metric name. */
    public readonly metricName: string,
    private readonly render: (scope: IConstruct, property: string) => k8s.MetricSpecV2,
  ) {}

  /**
   * Checks the metric and returns its `MetricSpec`; errors name `scope` and `property`.
   * @internal
   */
  public _bind(scope: IConstruct, property: string): k8s.MetricSpecV2 {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:.\/-]*$/.test(this.metricName ?? '')) {
      throw GantryError.of(scope, `${property}.name`, this.metricName, 'is not a metric name',
        'use the name the metrics API serves, such as \'http_requests_per_second\'');
    }
    return this.render(scope, property);
  }
}

function metricId(name: string, selector?: { [key: string]: string }): k8s.MetricIdentifierV2 {
  return selector && Object.keys(selector).length > 0 ? { name, selector: { matchLabels: { ...selector } } } : { name };
}

function quantity(scope: IConstruct, property: string, value: string | undefined): k8s.Quantity {
  if (typeof value !== 'string' || !QUANTITY.test(value)) {
    throw GantryError.of(scope, property, value, 'is not a Kubernetes quantity', 'use a string such as \'100\' or \'500m\'');
  }
  if (!(parseFloat(value) > 0)) {
    throw GantryError.of(scope, property, value, 'must be above zero: Kubernetes refuses a zero or negative target', 'use a string such as \'100\' or \'500m\'');
  }
  return k8s.Quantity.fromString(value);
}

function valueTarget(scope: IConstruct, property: string, value?: string, averageValue?: string): k8s.MetricTargetV2 {
  if ((value === undefined) === (averageValue === undefined)) {
    throw GantryError.of(scope, `${property}.value`, value ?? averageValue,
      'needs exactly one of \'value\' and \'averageValue\'', 'set \'averageValue\' to divide the target by the pod count, or \'value\' for a total');
  }
  return value !== undefined
    ? { type: 'Value', value: quantity(scope, `${property}.value`, value) }
    : { type: 'AverageValue', averageValue: quantity(scope, `${property}.averageValue`, averageValue) };
}
