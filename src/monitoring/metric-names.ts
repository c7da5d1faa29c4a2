/**
 * The metric names the alerts, SLOs, dashboard and canary analysis use. The defaults are those of a service
 * instrumented with client_golang's promhttp middleware (see `Instrumentation`) and its Go collector; change them for
 * services that name their metrics differently.
 */
export interface MetricNames {
  /**
   * Counter of HTTP requests, with a `code` label (the status code).
   * @default 'http_requests_total'
   */
  readonly requestsTotal?: string;

  /**
   * Histogram of request durations in seconds (the `_bucket` series are used).
   * @default 'http_request_duration_seconds'
   */
  readonly requestDurationSeconds?: string;

  /**
   * The label of the HTTP status code on `requestsTotal`.
   * @default 'code'
   */
  readonly codeLabel?: string;

  /**
   * A regular expression of the `codeLabel` values that count as errors.
   * @default '5..'
   */
  readonly errorCodes?: string;

  /**
   * Gauge of goroutines.
   * @default 'go_goroutines'
   */
  readonly goroutines?: string;

  /**
   * Summary of GC pause durations (the `_sum` series is used).
   * @default 'go_gc_duration_seconds'
   */
  readonly gcDurationSeconds?: string;

  /**
   * Gauge of heap bytes in use.
   * @default 'go_memstats_heap_inuse_bytes'
   */
  readonly heapInuseBytes?: string;
}
