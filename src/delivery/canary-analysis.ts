import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { checkInt, checkSeconds } from '../core/checks';
import { goDuration } from '../core/duration';
import { GantryError } from '../core/errors';
import { checkPromQL } from '../monitoring/promql';
import { IGoMicroservice } from '../workload/workload-contract';

/**
 * When an automated analysis fails a new version: the thresholds, and how often and how long it measures. The
 * defaults are the rollback rule: more than 5 % of requests failing, or a p99 latency above 2 s.
 */
export interface CanaryAnalysisOptions {
  /**
   * The highest share of requests (0 to 1) that may fail with 5xx.
   * @default 0.05
   */
  readonly maxErrorRatio?: number;
  /**
   * The highest 99th-percentile request duration.
   * @default Duration.seconds(2)
   */
  readonly maxP99Latency?: Duration;
  /**
   * How often the analysis measures.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
  /**
   * Measurements that may fail before the analysis fails (and the new version is rolled back).
   * @default 1
   */
  readonly failureLimit?: number;
  /**
   * The Prometheus the Argo Rollouts controller queries.
   * @default 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090'
   */
  readonly prometheusAddress?: string;
}

/** The argument an AnalysisRun gets: the pod-template hash of the version under test. */
export const HASH_ARG = 'pod-template-hash';

/** The window of the analysis queries: at least two scrapes at the default 30 s interval. */
const WINDOW = '2m';

/**
 * An Argo Rollouts AnalysisTemplate that judges the new version of a service by the queries its alerts use (the
 * PrometheusMonitor's metric names and selectors), limited to the new version's pods: the error ratio and the p99
 * latency. A measurement with no traffic (no result, or NaN) passes: there is nothing to judge yet.
 */
export class CanaryAnalysis {
  /** The AnalysisTemplate. */
  public readonly apiObject: ApiObject;

  /**
   * @param scope the construct the template belongs to; errors name it
   * @param id the template's construct id
   * @param service the service, which must be monitored
   * @param options thresholds and timing
   * @param count measurements before the analysis ends successfully, for analyses that must end (before a promotion)
   */
  constructor(scope: Construct, id: string, service: IGoMicroservice, options: CanaryAnalysisOptions, name: string, count?: number) {
    const monitor = service.monitor;
    if (monitor === undefined) {
      throw GantryError.of(scope, 'analysis', service.name, 'needs the service\'s metrics, but the service has no PrometheusMonitor',
        'call addMonitoring() on the service before this, or leave \'analysis\' out');
    }
    const maxErrorRatio = options.maxErrorRatio ?? 0.05;
    if (typeof maxErrorRatio !== 'number' || !(maxErrorRatio > 0 && maxErrorRatio <= 1)) {
      throw GantryError.of(scope, 'analysis.maxErrorRatio', maxErrorRatio, 'must be a ratio above 0 and at most 1',
        maxErrorRatio > 1 && maxErrorRatio <= 100 ? `write a ratio, not a percentage: use ${maxErrorRatio / 100}` : 'use a value such as 0.05 (5 %)');
    }
    const latency = (options.maxP99Latency ?? Duration.seconds(2)).toMilliseconds() / 1000;
    if (!(latency > 0)) {
      throw GantryError.of(scope, 'analysis.maxP99Latency', `${latency}s`, 'must be longer than zero', 'use a value such as Duration.seconds(2)');
    }
    const interval = checkSeconds(scope, 'analysis.interval', options.interval ?? Duration.minutes(1), 10, 3600);
    const failureLimit = options.failureLimit ?? 1;
    checkInt(scope, 'analysis.failureLimit', failureLimit, 0, 100, 'use a small number such as 1');
    const address = options.prometheusAddress ?? 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090';
    if (!/^https?:\/\/[^\s/]+(:\d+)?(\/\S*)?$/.test(address)) {
      throw GantryError.of(scope, 'analysis.prometheusAddress', address, 'is not an http(s) URL', 'use the URL of the Prometheus service, such as \'http://prometheus.monitoring.svc:9090\'');
    }

    // The version's pods are named <service>-<pod-template-hash>-<suffix>, by a Rollout as by a Deployment.
    const signals = monitor._signals().forPods(`${service.name}-{{args.${HASH_ARG}}}-[a-z0-9]+`);
    const metric = (metricName: string, query: string, max: number) => {
      checkPromQL(scope, `analysis.${metricName}`, query.replace(/\{\{args\.[a-z-]+\}\}/g, 'x'));
      return {
        name: metricName,
        interval: goDuration(interval),
        count,
        failureLimit,
        successCondition: `len(result) == 0 || isNaN(result[0]) || result[0] <= ${max}`,
        provider: { prometheus: { address, query } },
      };
    };
    this.apiObject = new ApiObject(scope, id, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name, namespace: service.namespace, labels: { ...service.labels } },
      spec: {
        args: [{ name: HASH_ARG }],
        metrics: [
          metric('error-ratio', signals.errorRatio(WINDOW), maxErrorRatio),
          metric('p99-latency', signals.latencyQuantile('0.99', WINDOW), latency),
        ],
      },
    });
  }
}
