import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { checkInt, checkSeconds } from '../core/checks';
import { GantryError } from '../core/errors';

/**
 * Timing and thresholds of a probe.
 */
export interface HealthCheckOptions {
  /**
   * Wait before the first check. Prefer a startup probe to a long delay.
   * @default Duration.seconds(0)
   */
  readonly initialDelay?: Duration;

  /**
   * How often to check.
   * @default - 2s for startup, 10s for liveness, 5s for readiness
   */
  readonly period?: Duration;

  /**
   * How long one check may take.
   * @default - 1s for startup, 2s for liveness and readiness
   */
  readonly timeout?: Duration;

  /**
   * Failed checks in a row before the probe fails.
   * @default - 30 for startup (a minute to start), 3 for liveness, 2 for readiness
   */
  readonly failureThreshold?: number;

  /**
   * Successful checks in a row before a failed probe passes again. Kubernetes requires 1 for liveness and startup.
   * @default 1
   */
  readonly successThreshold?: number;
}

/**
 * Options of an HTTP health check.
 */
export interface HttpHealthCheckOptions extends HealthCheckOptions {
  /**
   * The name of the container port to check.
   * @default 'http'
   */
  readonly port?: string;
}

/**
 * Options of a gRPC health check (the standard `grpc.health.v1.Health` service).
 */
export interface GrpcHealthCheckOptions extends HealthCheckOptions {
  /**
   * The service name sent in the `HealthCheckRequest`. Use different names for liveness and readiness, so the server can
   * report "alive but not ready" (for example while it drains).
   * @default '' (the server's overall health)
   */
  readonly service?: string;
}

/** Which probe a health check is used for: the defaults differ. */
export enum ProbeKind {
  /** The startup probe: holds the other probes until the server has started. */
  STARTUP = 'startup',
  /** The liveness probe: restarts a container that has hung. */
  LIVENESS = 'liveness',
  /** The readiness probe: takes a pod out of its Services while it cannot serve. */
  READINESS = 'readiness',
}

const DEFAULTS: Record<ProbeKind, { period: number; timeout: number; failureThreshold: number }> = {
  [ProbeKind.STARTUP]: { period: 2, timeout: 1, failureThreshold: 30 },
  [ProbeKind.LIVENESS]: { period: 10, timeout: 2, failureThreshold: 3 },
  [ProbeKind.READINESS]: { period: 5, timeout: 2, failureThreshold: 2 },
};

/**
 * A probe of a GoMicroservice's container: an HTTP GET on a path, or a gRPC health check.
 *
 * @example
 * HealthCheck.http('/healthz', { failureThreshold: 5 })
 * HealthCheck.grpc({ service: 'readiness' })
 */
export class HealthCheck {
  /**
   * An HTTP GET on `path`; any status from 200 to 399 passes.
   * @param path the request path, starting with '/'
   */
  public static http(path: string, options: HttpHealthCheckOptions = {}): HealthCheck {
    return new HealthCheck('http', options.port ?? 'http', options, path, undefined);
  }

  /**
   * A gRPC health check on the container's `grpc` port (Kubernetes' built-in gRPC probe). Needs a `grpcPort`.
   */
  public static grpc(options: GrpcHealthCheckOptions = {}): HealthCheck {
    return new HealthCheck('grpc', 'grpc', options, undefined, options.service ?? '');
  }

  private constructor(
    private readonly kind: 'http' | 'grpc',
    /** The name of the container port that is checked. */
    public readonly portName: string,
    private readonly options: HealthCheckOptions,
    private readonly path?: string,
    private readonly grpcService?: string,
  ) {}

  /**
   * Checks the settings and returns the probe as Kubernetes JSON.
   *
   * @param scope the workload, for error messages
   * @param property the property this check was given as, for error messages
   * @param probe which probe this check is used for
   * @param ports container port names by number, to resolve and check the port
   * @internal
   */
  public _bind(scope: IConstruct, property: string, probe: ProbeKind, ports: { [name: string]: number }): k8s.Probe {
    const d = DEFAULTS[probe];
    const seconds = (x: Duration | undefined, fallback: number, name: string, min: number) =>
      checkSeconds(scope, `${property}.${name}`, x ?? Duration.seconds(fallback), min, 3600);
    const initialDelaySeconds = seconds(this.options.initialDelay, 0, 'initialDelay', 0);
    const periodSeconds = seconds(this.options.period, d.period, 'period', 1);
    const timeoutSeconds = seconds(this.options.timeout, d.timeout, 'timeout', 1);
    const failureThreshold = this.options.failureThreshold ?? d.failureThreshold;
    checkInt(scope, `${property}.failureThreshold`, failureThreshold, 1, 1000);
    const successThreshold = this.options.successThreshold ?? 1;
    if (probe !== ProbeKind.READINESS && successThreshold !== 1) {
      throw GantryError.of(scope, `${property}.successThreshold`, successThreshold,
        `must be 1 for a ${probe} probe (Kubernetes rejects anything else)`, 'remove it, or set it on the readiness probe');
    }
    checkInt(scope, `${property}.successThreshold`, successThreshold, 1, 1000);
    if (timeoutSeconds > periodSeconds) {
      throw GantryError.of(scope, `${property}.timeout`, `${timeoutSeconds}s`,
        `is longer than the probe period (${periodSeconds}s), so checks overlap`, `use a timeout of at most ${periodSeconds}s`);
    }
    if (!(this.portName in ports)) {
      const known = Object.keys(ports).join(', ');
      throw GantryError.of(scope, `${property}.port`, this.portName,
        `is not a port of the container (it has ${known})`,
        this.kind === 'grpc' ? 'set \'grpcPort\' on the service, or use HealthCheck.http()' : `use one of: ${known}`);
    }

    const timing: k8s.Probe = {
      initialDelaySeconds: initialDelaySeconds === 0 ? undefined : initialDelaySeconds,
      periodSeconds,
      timeoutSeconds,
      failureThreshold,
      successThreshold,
    };
    if (this.kind === 'grpc') {
      // The gRPC probe takes a port number only (no name): resolve it here.
      return { grpc: { port: ports[this.portName], service: this.grpcService || undefined }, ...timing };
    }
    if (!this.path || !this.path.startsWith('/') || /\s/.test(this.path)) {
      throw GantryError.of(scope, `${property}.path`, this.path,
        'is not an HTTP path', 'use a path starting with \'/\', such as \'/healthz\'');
    }
    return { httpGet: { path: this.path, port: k8s.IntOrString.fromString(this.portName), scheme: 'HTTP' }, ...timing };
  }
}
