import { Duration, Size } from 'cdk8s';
import { ContainerResources } from 'cdk8s-plus-28';
import { HealthCheck } from './health-check';
import { RollingDeployment } from './rolling-deployment';
import { HpaPolicyOptions } from '../autoscaling/hpa-policy';
import { IntOrPercent } from '../core/int-or-percent';
import { NetworkPolicyOptions } from '../network/network-policy';

/**
 * A value taken from a key of an existing Secret. Gantry never writes secret data into manifests.
 */
export interface SecretKeyReference {
  /** Name of the Secret, in the service's namespace. */
  readonly secretName: string;
  /** Key within the Secret. */
  readonly key: string;
  /**
   * Start the pod even when the Secret or key is missing.
   * @default false
   */
  readonly optional?: boolean;
}

/**
 * The probes of a GoMicroservice. Liveness and readiness must differ, so that a pod that is alive but cannot serve
 * (for example while it drains or waits for a dependency) leaves the Service without being restarted.
 */
export interface HealthChecks {
  /**
   * Holds liveness and readiness until the server has started.
   * @default HealthCheck.http('/healthz') every 2s, up to 30 failures (a minute to start)
   */
  readonly startup?: HealthCheck;

  /**
   * Restarts a container that has hung.
   * @default HealthCheck.http('/healthz') every 10s, 3 failures
   */
  readonly liveness?: HealthCheck;

  /**
   * Takes a pod out of its Services while it cannot serve.
   * @default HealthCheck.http('/readyz') every 5s, 2 failures
   */
  readonly readiness?: HealthCheck;
}

/**
 * The pod and container security settings. The defaults meet the Pod Security Standards "restricted" profile; each
 * property here is an explicit, documented way out of one default.
 */
export interface SecurityOptions {
  /**
   * The user id the container runs as. Must not be 0: the restricted profile forbids root.
   * @default 65532 (distroless `nonroot`)
   */
  readonly runAsUser?: number;

  /**
   * The group id the container runs as, also used as `fsGroup` for volumes.
   * @default 65532 (distroless `nonroot`)
   */
  readonly runAsGroup?: number;

  /**
   * Mount the image's root filesystem read-only. A writable `/tmp` is always mounted.
   * Turn off only for a program that writes outside `/tmp` and cannot be changed.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;

  /**
   * Add the `NET_BIND_SERVICE` capability (the only one the restricted profile allows), to listen on a port below 1024.
   * @default false
   */
  readonly allowNetBindService?: boolean;

  /**
   * Size limit of the writable `/tmp` (an `emptyDir`).
   * @default Size.mebibytes(64)
   */
  readonly tmpSize?: Size;
}

/**
 * How the Go server shuts down. On SIGTERM the server should fail its readiness probe, keep serving for `drainDelay`
 * while endpoints are removed everywhere, then call `http.Server.Shutdown` with `timeout`. No `preStop` hook is used:
 * distroless images have no shell to run `sleep` in.
 */
export interface GracefulShutdownOptions {
  /**
   * How long the server keeps serving after SIGTERM, while the endpoint removal reaches every proxy.
   * @default Duration.seconds(5)
   */
  readonly drainDelay?: Duration;

  /**
   * The server's shutdown timeout: how long in-flight requests get to finish.
   * @default Duration.seconds(20)
   */
  readonly timeout?: Duration;

  /**
   * Pass both values to the server as `SHUTDOWN_DRAIN_DELAY` and `SHUTDOWN_TIMEOUT`, in Go's `time.ParseDuration` format.
   * @default true
   */
  readonly env?: boolean;
}

/**
 * The PodDisruptionBudget of a GoMicroservice. By default `minAvailable` is half the minimum pod count (the replica
 * count, or the HPA's `minReplicas`), rounded up, which always allows at least one eviction when there are two or
 * more pods; with a single pod, `maxUnavailable: 1` lets drains proceed.
 */
export interface DisruptionBudgetOptions {
  /**
   * Emit a PodDisruptionBudget.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Pods that must stay available during voluntary disruptions. Must allow at least one eviction.
   * @default - derived from the replica count, as above
   */
  readonly minAvailable?: IntOrPercent;
}

/**
 * How pods spread over failure domains.
 */
export interface TopologySpreadOptions {
  /**
   * Spread over zones (`topology.kubernetes.io/zone`).
   * @default true
   */
  readonly acrossZones?: boolean;

  /**
   * Spread over nodes (`kubernetes.io/hostname`).
   * @default true
   */
  readonly acrossNodes?: boolean;

  /**
   * Refuse to schedule a pod that would break the spread, rather than prefer not to.
   * `true` can leave pods pending in a cluster with too few zones or nodes.
   * @default false
   */
  readonly strict?: boolean;
}

/**
 * Properties of a GoMicroservice.
 */
export interface GoMicroserviceProps {
  /**
   * The container image, pinned to a tag or a digest (`ghcr.io/acme/orders:1.4.2`). `latest` and untagged images are
   * refused.
   */
  readonly image: string;

  /**
   * The service name: the name of every object, and the `app.kubernetes.io/name` label. A DNS-1035 label of at most
   * 50 characters.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The namespace of every object.
   * @default - the chart's namespace, if any
   */
  readonly namespace?: string;

  /**
   * The `app.kubernetes.io/version` label.
   * @default - the image tag, when it is a valid label value
   */
  readonly version?: string;

  /**
   * The `app.kubernetes.io/part-of` label: the application this service belongs to.
   * @default - none
   */
  readonly partOf?: string;

  /**
   * The `app.kubernetes.io/component` label.
   * @default 'server'
   */
  readonly component?: string;

  /**
   * The container's command (the image's entrypoint otherwise).
   * @default - the image's entrypoint
   */
  readonly command?: string[];

  /**
   * The container's arguments.
   * @default - none
   */
  readonly args?: string[];

  /**
   * The number of pods when there is no HPA. Leave it out with an HPA: the HPA owns the count.
   * @default 2
   */
  readonly replicas?: number;

  /**
   * The container port the HTTP server listens on; named `http`.
   * @default 8080
   */
  readonly httpPort?: number;

  /**
   * The Service port for HTTP.
   * @default 80
   */
  readonly httpServicePort?: number;

  /**
   * The container port of a gRPC server; named `grpc`, and exposed on the Service on the same port.
   * @default - no gRPC port
   */
  readonly grpcPort?: number;

  /**
   * The port Prometheus metrics are served on; named `metrics`, and exposed on the Service on the same port for a
   * ServiceMonitor.
   * @default 9090
   */
  readonly metricsPort?: number;

  /**
   * The probes.
   * @default - startup and liveness on `/healthz`, readiness on `/readyz`, over HTTP
   */
  readonly healthChecks?: HealthChecks;

  /**
   * CPU, memory and ephemeral-storage requests and limits. Each value left out takes its default.
   * `GOMAXPROCS` and `GOMEMLIMIT` follow the limits through the downward API.
   * @default - CPU 100m request and 1 limit; memory 256Mi request and limit; ephemeral storage 64Mi request and 256Mi limit
   */
  readonly resources?: ContainerResources;

  /**
   * Environment variables with literal values. Names that look like secrets are refused (a word PASSWORD, SECRET,
   * TOKEN or CREDENTIALS, as in `DB_PASSWORD` or `AWS_SECRET_ACCESS_KEY`; a name ending in `_KEY` or `_KEY_ID`;
   * `*_FILE` and `*_PATH` names are fine), and so are URLs with a password in them: use `secretEnv`.
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * Names in `env` that look like secrets but hold none (`CACHE_KEY`, say): the explicit opt-out of the check above.
   * @default - none
   */
  readonly nonSecretEnv?: string[];

  /**
   * Environment variables from keys of existing Secrets.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyReference };

  /**
   * Files from keys of existing Secrets, by file name, mounted read-only at `secretMountPath`. Safer than `secretEnv`:
   * environment variables leak into child processes, crash reports and `/proc/<pid>/environ`.
   * @default - none
   */
  readonly secretFiles?: { [fileName: string]: SecretKeyReference };

  /**
   * Where the secret files are mounted.
   * @default '/var/run/secrets/<name>'
   */
  readonly secretMountPath?: string;

  /**
   * Configuration files, by file name. They go into a ConfigMap mounted read-only at `configMountPath`; a checksum of
   * them on the pod template rolls the pods when they change.
   * @default - no ConfigMap
   */
  readonly config?: { [fileName: string]: string };

  /**
   * Where the configuration files are mounted.
   * @default '/etc/<name>'
   */
  readonly configMountPath?: string;

  /**
   * Security settings; the defaults meet the Pod Security Standards "restricted" profile.
   * @default - non-root 65532, read-only root filesystem, no capabilities, RuntimeDefault seccomp
   */
  readonly security?: SecurityOptions;

  /**
   * Mount a ServiceAccount token into the pod. Only for services that call the Kubernetes API.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;

  /**
   * The rollout strategy.
   * @default RollingDeployment.rollingUpdate()
   */
  readonly strategy?: RollingDeployment;

  /**
   * Scale with a HorizontalPodAutoscaler.
   * @default - a fixed replica count
   */
  readonly autoscaling?: HpaPolicyOptions;

  /**
   * The PodDisruptionBudget.
   * @default - enabled, derived from the replica count
   */
  readonly disruptionBudget?: DisruptionBudgetOptions;

  /**
   * The NetworkPolicy.
   * @default - enabled; HTTP and gRPC from the same namespace, metrics from `monitoring`
   */
  readonly networkPolicy?: NetworkPolicyOptions;

  /**
   * Topology spread.
   * @default - prefer spreading over zones and nodes
   */
  readonly topologySpread?: TopologySpreadOptions;

  /**
   * Graceful shutdown.
   * @default - 5s drain delay, 20s shutdown timeout, 30s termination grace period
   */
  readonly shutdown?: GracefulShutdownOptions;

  /**
   * Extra labels on the pods (not in the selector).
   * @default - none
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * Annotations on the pods.
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };

  /**
   * Names of Secrets to pull the image with.
   * @default - none
   */
  readonly imagePullSecrets?: string[];
}
