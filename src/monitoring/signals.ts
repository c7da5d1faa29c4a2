import { MetricNames } from './metric-names';

// One source for every PromQL expression about a service: the alerts, the SLO rules and the dashboard ask this factory,
// each with its own window ('5m' in a rule, '$__rate_interval' on a dashboard), so what pages and what is graphed is
// the same query. Every aggregation keeps `namespace`: Alertmanager groups, inhibits and routes by it
// (kube-prometheus-stack's defaults), and two environments in one Prometheus never share a series.

/** MetricNames with every default filled in. */
export type ResolvedMetricNames = Required<MetricNames>;

export function resolveMetricNames(names: MetricNames = {}): ResolvedMetricNames {
  return {
    requestsTotal: names.requestsTotal ?? 'http_requests_total',
    requestDurationSeconds: names.requestDurationSeconds ?? 'http_request_duration_seconds',
    codeLabel: names.codeLabel ?? 'code',
    errorCodes: names.errorCodes ?? '5..',
    goroutines: names.goroutines ?? 'go_goroutines',
    gcDurationSeconds: names.gcDurationSeconds ?? 'go_gc_duration_seconds',
    heapInuseBytes: names.heapInuseBytes ?? 'go_memstats_heap_inuse_bytes',
  };
}

/** Who the expressions are about: label matchers for each source of metrics. */
export interface Target {
  readonly service: string;
  readonly namespace?: string;
  readonly deployment: string;
  readonly container: string;
  readonly hpa?: string;
}

export class Signals {
  /**
   * @param names the metric names
   * @param target whose series
   * @param podPattern when given, only the series of pods whose name matches this regular expression (a canary's)
   */
  constructor(public readonly names: ResolvedMetricNames, public readonly target: Target, private readonly podPattern?: string) {}

  /** The same signals, for the pods whose name matches `pattern` only. */
  public forPods(pattern: string): Signals {
    return new Signals(this.names, this.target, pattern);
  }

  /** Series scraped from the service's own metrics port (prometheus-operator sets `job` to the Service name). */
  public http(...extra: string[]): string {
    return matchers([`job="${this.target.service}"`, this.ns(), ...(this.podPattern ? [`pod=~"${this.podPattern}"`] : []), ...extra]);
  }

  /** cAdvisor and kube-state-metrics series of the service's containers. */
  public pods(...extra: string[]): string {
    const t = this.target;
    return matchers([this.ns(), `pod=~"${t.deployment}-[a-z0-9]+-[a-z0-9]+"`, `container="${t.container}"`, ...extra]);
  }

  /** kube-state-metrics series of the Deployment. */
  public deployment(...extra: string[]): string {
    return matchers([this.ns(), `deployment="${this.target.deployment}"`, ...extra]);
  }

  /** kube-state-metrics series of the HPA. */
  public hpa(): string {
    return matchers([this.ns(), `horizontalpodautoscaler="${this.target.hpa}"`]);
  }

  /** Requests per second over `window`, summed (or by the labels `by`), as of `offset` ago. */
  public requestRate(window: string, options: { by?: string; offset?: string } = {}): string {
    const at = options.offset ? ` offset ${options.offset}` : '';
    return `sum by (${['namespace', ...(options.by ? [options.by] : [])].join(', ')}) (rate(${this.names.requestsTotal}${this.http()}[${window}]${at}))`;
  }

  /** Share of requests answered with an error code (5xx, or the gRPC codes that mean the server failed). */
  public errorRatio(window: string): string {
    const m = this.names;
    return `sum by (namespace) (rate(${m.requestsTotal}${this.http(`${m.codeLabel}=~"${m.errorCodes}"`)}[${window}])) / ${this.requestRate(window)}`;
  }

  /** Share of requests slower than `le` seconds (a bucket boundary of the duration histogram). */
  public slowRatio(window: string, le: string): string {
    const m = this.names;
    const rate = (series: string) => `sum by (namespace) (rate(${series}[${window}]))`;
    return `1 - (${rate(`${m.requestDurationSeconds}_bucket${this.http(`le="${le}"`)}`)} / ${rate(`${m.requestDurationSeconds}_count${this.http()}`)})`;
  }

  /** The `q` quantile of the request duration, in seconds. */
  public latencyQuantile(q: string, window: string): string {
    return `histogram_quantile(${q}, sum by (namespace, le) (rate(${this.names.requestDurationSeconds}_bucket${this.http()}[${window}])))`;
  }

  /** CPU use per pod, as a share of its limit. */
  public cpuOfLimit(window: string): string {
    return `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total${this.pods()}[${window}])) / ${this.limit('cpu')}`;
  }

  /** Working set per pod, as a share of its memory limit. */
  public memoryOfLimit(): string {
    return `sum by (namespace, pod) (container_memory_working_set_bytes${this.pods()}) / ${this.limit('memory')}`;
  }

  /** Share of CPU periods throttled, per pod. */
  public cpuThrottling(window: string): string {
    return `sum by (namespace, pod) (rate(container_cpu_cfs_throttled_periods_total${this.pods()}[${window}])) / sum by (namespace, pod) (rate(container_cpu_cfs_periods_total${this.pods()}[${window}]))`;
  }

  /** Goroutines per pod, now or `offset` ago. */
  public goroutines(offset?: string): string {
    return `sum by (namespace, pod) (${this.names.goroutines}${this.http()}${offset ? ` offset ${offset}` : ''})`;
  }

  /** Share of time in stop-the-world GC pauses, per pod. */
  public gcPauseRatio(window: string): string {
    return `sum by (namespace, pod) (rate(${this.names.gcDurationSeconds}_sum${this.http()}[${window}]))`;
  }

  /** Go heap in use per pod, as a share of the memory limit (which GOMEMLIMIT follows). */
  public heapOfLimit(): string {
    return `sum by (namespace, pod) (${this.names.heapInuseBytes}${this.http()}) / ${this.limit('memory')}`;
  }

  private limit(resource: string): string {
    return `sum by (namespace, pod) (kube_pod_container_resource_limits${this.pods(`resource="${resource}"`)})`;
  }

  private ns(): string | undefined {
    return this.target.namespace ? `namespace="${this.target.namespace}"` : undefined;
  }
}

/** `{a, b}` from the matchers given. */
export function matchers(pairs: (string | undefined)[]): string {
  return `{${pairs.filter((p) => p !== undefined).join(', ')}}`;
}
