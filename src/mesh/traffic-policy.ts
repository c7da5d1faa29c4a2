import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkInt, checkSeconds } from '../core/checks';
import { GantryError } from '../core/errors';

/** How the sidecars talk TLS to a service's pods (`DestinationRule.trafficPolicy.tls.mode`). */
export enum IstioTlsMode {
  /** Istio's mutual TLS with its own certificates: the default, and what `PeerAuthentication` STRICT needs. */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
  /** No TLS: for pods outside the mesh. */
  DISABLE = 'DISABLE',
}

/**
 * Connection limits towards the service's pods (`connectionPool`): when they are reached, callers get fast failures
 * (503, `UO` in the access log) instead of queueing into a service that cannot keep up.
 */
export interface ConnectionPoolOptions {
  /**
   * TCP connections to all the pods, from each calling sidecar.
   * @default 1024
   */
  readonly maxConnections?: number;
  /**
   * How long a TCP connect may take.
   * @default Duration.seconds(2)
   */
  readonly connectTimeout?: Duration;
  /**
   * HTTP/1.1 requests waiting for a connection.
   * @default 1024
   */
  readonly maxPendingRequests?: number;
  /**
   * Concurrent HTTP/2 and gRPC requests (Go's servers speak HTTP/2 to the sidecar for gRPC).
   * @default 1024
   */
  readonly maxRequests?: number;
  /**
   * Concurrent retries to all the pods.
   * @default 3
   */
  readonly maxRetries?: number;
}

/**
 * Ejection of failing pods from the load-balancing pool (`outlierDetection`): a pod that keeps answering 5xx is
 * taken out for a while, so one bad pod does not fail a share of every caller's requests.
 */
export interface OutlierDetectionOptions {
  /**
   * Consecutive 5xx (or gRPC Unavailable, Internal, ...) answers before a pod is ejected.
   * @default 5
   */
  readonly consecutive5xxErrors?: number;
  /**
   * How often ejection is evaluated.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;
  /**
   * How long a pod stays out the first time (longer each time it is ejected again).
   * @default Duration.seconds(30)
   */
  readonly baseEjectionTime?: Duration;
  /**
   * The most pods, in percent, that may be ejected at once; the rest keep serving even when failing.
   * @default 50
   */
  readonly maxEjectionPercent?: number;
}

/**
 * Circuit breaking and TLS for the calls to a service (`DestinationRule.trafficPolicy`), with defaults that suit a Go
 * HTTP or gRPC server behind an Istio sidecar.
 */
export interface TrafficPolicyOptions {
  /**
   * Connection limits.
   * @default - the ConnectionPoolOptions defaults
   */
  readonly connectionPool?: ConnectionPoolOptions;
  /**
   * Ejection of failing pods.
   * @default - the OutlierDetectionOptions defaults
   */
  readonly outlierDetection?: OutlierDetectionOptions;
  /**
   * TLS between the sidecars.
   * @default IstioTlsMode.ISTIO_MUTUAL
   */
  readonly tls?: IstioTlsMode;
}

/** A duration as Istio's protobuf JSON takes it: whole seconds, `30s`. */
function seconds(scope: IConstruct, property: string, d: Duration, min: number, max: number): string {
  return `${checkSeconds(scope, property, d, min, max)}s`;
}

/** `trafficPolicy`, checked; errors name `scope` and `trafficPolicy.*`. */
export function trafficPolicy(scope: IConstruct, options: TrafficPolicyOptions = {}): any {
  const pool = options.connectionPool ?? {};
  const count = (name: string, value: number | undefined, fallback: number) => {
    const v = value ?? fallback;
    checkInt(scope, `trafficPolicy.connectionPool.${name}`, v, 1, 2147483647, `use a value such as ${fallback}`);
    return v;
  };
  const outliers = options.outlierDetection ?? {};
  const consecutive5xxErrors = outliers.consecutive5xxErrors ?? 5;
  checkInt(scope, 'trafficPolicy.outlierDetection.consecutive5xxErrors', consecutive5xxErrors, 1, 1000, 'use a value such as 5');
  const maxEjectionPercent = outliers.maxEjectionPercent ?? 50;
  if (!Number.isInteger(maxEjectionPercent) || maxEjectionPercent < 0 || maxEjectionPercent > 100) {
    throw GantryError.of(scope, 'trafficPolicy.outlierDetection.maxEjectionPercent', maxEjectionPercent,
      'must be a whole percentage from 0 to 100', 'use a value such as 50, so that half the pods keep serving');
  }
  // The mode's value is checked with the props (checkProps: one of IstioTlsMode's values).
  const tls = options.tls ?? IstioTlsMode.ISTIO_MUTUAL;
  return {
    connectionPool: {
      tcp: {
        maxConnections: count('maxConnections', pool.maxConnections, 1024),
        connectTimeout: seconds(scope, 'trafficPolicy.connectionPool.connectTimeout', pool.connectTimeout ?? Duration.seconds(2), 1, 300),
      },
      http: {
        http1MaxPendingRequests: count('maxPendingRequests', pool.maxPendingRequests, 1024),
        http2MaxRequests: count('maxRequests', pool.maxRequests, 1024),
        maxRetries: count('maxRetries', pool.maxRetries, 3),
      },
    },
    outlierDetection: {
      consecutive5xxErrors,
      interval: seconds(scope, 'trafficPolicy.outlierDetection.interval', outliers.interval ?? Duration.seconds(10), 1, 3600),
      baseEjectionTime: seconds(scope, 'trafficPolicy.outlierDetection.baseEjectionTime', outliers.baseEjectionTime ?? Duration.seconds(30), 1, 86400),
      maxEjectionPercent,
    },
    tls: { mode: tls },
  };
}
