import { MetricNames } from './metric-names';

/** client_golang's default histogram buckets (prometheus.DefBuckets), in seconds. */
const PROMETHEUS_DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** The OpenTelemetry Go SDK's default buckets for `http.server.request.duration` (semantic conventions), in seconds. */
const OTEL_HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** The gRPC status codes that mean the server failed (the rest are the caller's doing: NotFound, InvalidArgument, ...). */
const GRPC_SERVER_ERRORS = 'Unknown|DeadlineExceeded|Unimplemented|Internal|Unavailable|DataLoss';

/**
 * How a Go service is instrumented: the request metrics its alerts, SLOs, dashboard and canary analysis read, which
 * status codes count as errors, and the histogram buckets a latency objective can use. The Go runtime metrics (`go_*`)
 * come from client_golang's Go collector in every case.
 *
 * @example
 * orders.addMonitoring({ instrumentation: Instrumentation.openTelemetryHttp() });
 */
export class Instrumentation {
  /**
   * client_golang's promhttp middleware (`InstrumentHandlerCounter`, `InstrumentHandlerDuration`), with the counter
   * `http_requests_total{code}` and the histogram `http_request_duration_seconds` registered by the service (promhttp
   * alone exports neither). Errors: 5xx.
   */
  public static promhttp(): Instrumentation {
    return new Instrumentation({
      requestsTotal: 'http_requests_total', codeLabel: 'code', errorCodes: '5..', requestDurationSeconds: 'http_request_duration_seconds',
    }, PROMETHEUS_DEFAULT_BUCKETS);
  }

  /**
   * OpenTelemetry's otelhttp middleware, exported by the OpenTelemetry Prometheus exporter: the histogram
   * `http_server_request_duration_seconds` (`http.server.request.duration`, in seconds), counted by its `_count`,
   * with `http_response_status_code`. Errors: 5xx.
   */
  public static openTelemetryHttp(): Instrumentation {
    return new Instrumentation({
      requestsTotal: 'http_server_request_duration_seconds_count',
      codeLabel: 'http_response_status_code',
      errorCodes: '5..',
      requestDurationSeconds: 'http_server_request_duration_seconds',
    }, OTEL_HTTP_BUCKETS);
  }

  /**
   * go-grpc-middleware's Prometheus server metrics (v2 `providers/prometheus`, with the handling-time histogram
   * enabled): `grpc_server_handled_total{grpc_code}` and `grpc_server_handling_seconds`. Errors: the codes that mean the
   * server failed (Unknown, DeadlineExceeded, Unimplemented, Internal, Unavailable, DataLoss).
   */
  public static grpcMiddleware(): Instrumentation {
    return new Instrumentation({
      requestsTotal: 'grpc_server_handled_total', codeLabel: 'grpc_code', errorCodes: GRPC_SERVER_ERRORS, requestDurationSeconds: 'grpc_server_handling_seconds',
    }, PROMETHEUS_DEFAULT_BUCKETS);
  }

  private constructor(
    /** The metric names (only the request metrics; the Go runtime's keep their defaults). */
    public readonly metricNames: MetricNames,
    /** The request duration histogram's bucket boundaries, in seconds. */
    public readonly buckets: number[],
  ) {}
}
