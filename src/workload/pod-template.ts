import { Duration, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { CONFIG_CHECKSUM_ANNOTATION } from './config';
import { renderEnv, renderResources, secretSources } from './container-spec';
import { GoMicroserviceProps } from './go-microservice-props';
import { HealthCheck, ProbeKind } from './health-check';
import { topologySpread } from './pod-placement';
import { toContainerPorts } from './ports';
import { checkInt, checkLabelValue, checkSeconds } from '../core/checks';
import { GantryError } from '../core/errors';
import { RecommendedLabels as L } from '../core/labels';
import { sizeQuantity } from '../core/quantity';

/** What the pod template is made from, besides the service's props. */
export interface PodTemplateInput {
  /** The service name: the container, ServiceAccount and mount paths are named after it. */
  readonly name: string;
  readonly labels: { [key: string]: string };
  readonly selectorLabels: { [key: string]: string };
  readonly ports: { [name: string]: number };
  /** The checksum of the config files, when the service has a ConfigMap (named `<name>-config`). */
  readonly configChecksum?: string;
}

/**
 * The pod template of a GoMicroservice's Deployment: one Go container under the Pod Security Standards "restricted"
 * profile, with probes, the Go runtime's limits, graceful shutdown settings, config and secret mounts, and topology
 * spread. It owns the JSON pointers into what it builds, so the Helm values never guess at its shape.
 */
export class PodTemplate {
  /** Where the pod template sits in a Deployment. */
  public static readonly POINTER = '/spec/template';

  /** The pod template. */
  public readonly spec: k8s.PodTemplateSpec;
  /** JSON pointer to the service's container, in the Deployment. */
  public readonly containerPointer: string;
  /** Whether the pod template has annotations (the config checksum, or the service's own). */
  public readonly hasAnnotations: boolean;

  constructor(scope: IConstruct, props: GoMicroserviceProps, input: PodTemplateInput) {
    const annotations = { ...props.podAnnotations, ...(input.configChecksum ? { [CONFIG_CHECKSUM_ANNOTATION]: input.configChecksum } : {}) };
    this.hasAnnotations = Object.keys(annotations).length > 0;
    const spec = podSpec(scope, props, input);
    this.containerPointer = `${PodTemplate.POINTER}/spec/containers/${spec.containers.findIndex((c) => c.name === input.name)}`;
    this.spec = {
      metadata: {
        labels: { ...input.labels, ...podLabels(scope, input.selectorLabels, props.podLabels) },
        annotations: this.hasAnnotations ? annotations : undefined,
      },
      spec,
    };
  }
}

type Labels = { [key: string]: string };

function podLabels(scope: IConstruct, selectorLabels: Labels, labels: Labels | undefined): Labels {
  for (const key of Object.keys(labels ?? {})) {
    if (key in selectorLabels || key === L.MANAGED_BY) {
      throw GantryError.of(scope, `podLabels.${key}`, labels![key], 'would replace a label Gantry sets and selects pods by',
        'use another label key');
    }
    checkLabelValue(scope, `podLabels.${key}`, labels![key]);
  }
  return { ...labels };
}

function podSpec(scope: IConstruct, props: GoMicroserviceProps, input: PodTemplateInput): k8s.PodSpec {
  const { name, ports } = input;
  const security = props.security ?? {};
  const runAsUser = security.runAsUser ?? 65532;
  const runAsGroup = security.runAsGroup ?? 65532;
  for (const [prop, v] of [['security.runAsUser', runAsUser], ['security.runAsGroup', runAsGroup]] as const) {
    if (v === 0) {
      throw GantryError.of(scope, prop, v, 'is root, which the Pod Security Standards "restricted" profile forbids',
        'run as a non-root id such as 65532 (distroless nonroot)');
    }
    checkInt(scope, prop, v, 1, 2147483647, 'use an id such as 65532');
  }
  const resources = renderResources(scope, props);
  const tmpSize = security.tmpSize ?? Size.mebibytes(64);
  const probes = containerProbes(scope, props, ports);

  const shutdown = props.shutdown ?? {};
  const drainDelay = checkSeconds(scope, 'shutdown.drainDelay', shutdown.drainDelay ?? Duration.seconds(5), 0, 300);
  const shutdownTimeout = checkSeconds(scope, 'shutdown.timeout', shutdown.timeout ?? Duration.seconds(20), 1, 3600);

  const env = renderEnv(scope, name, props, name, (shutdown.env ?? true) ? { drainDelay, shutdownTimeout } : undefined);

  const volumeMounts: k8s.VolumeMount[] = [{ name: 'tmp', mountPath: '/tmp' }];
  const volumes: k8s.Volume[] = [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeQuantity(tmpSize)) } }];
  const mountPaths: string[] = ['/tmp'];
  const mount = (property: string, mountPath: string, example: string) => {
    if (!mountPath.startsWith('/') || mountPath === '/' || /\s|:/.test(mountPath)) {
      throw GantryError.of(scope, property, mountPath, 'is not a usable mount path', `use an absolute path such as '${example}'`);
    }
    const clash = mountPaths.find((p) => p === mountPath || p.startsWith(mountPath + '/') || mountPath.startsWith(p + '/'));
    if (clash !== undefined) {
      throw GantryError.of(scope, property, mountPath, `overlaps the mount at ${clash}`, `use a path outside it, such as '${example}'`);
    }
    mountPaths.push(mountPath);
    return mountPath;
  };
  if (input.configChecksum !== undefined) {
    const mountPath = mount('configMountPath', props.configMountPath ?? `/etc/${name}`, `/etc/${name}`);
    volumeMounts.push({ name: 'config', mountPath, readOnly: true });
    volumes.push({ name: 'config', configMap: { name: `${name}-config` } });
  }
  if (props.secretFiles !== undefined) {
    const mountPath = mount('secretMountPath', props.secretMountPath ?? `/var/run/secrets/${name}`, `/var/run/secrets/${name}`);
    volumeMounts.push({ name: 'secrets', mountPath, readOnly: true });
    volumes.push({ name: 'secrets', projected: { defaultMode: 0o440, sources: secretSources(scope, props.secretFiles) } });
  }

  const container: k8s.Container = {
    name,
    image: props.image,
    imagePullPolicy: 'IfNotPresent',
    command: props.command,
    args: props.args,
    ports: toContainerPorts(ports),
    env,
    resources,
    ...probes,
    securityContext: {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: security.readOnlyRootFilesystem ?? true,
      runAsNonRoot: true,
      runAsUser,
      runAsGroup,
      capabilities: security.allowNetBindService ? { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } : { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    // A Go panic's stack goes to stderr; this puts its tail into the pod status when the container dies.
    terminationMessagePolicy: 'FallbackToLogsOnError',
    volumeMounts,
  };

  return {
    serviceAccountName: name,
    automountServiceAccountToken: props.automountServiceAccountToken ?? false,
    // Service links inject one env var per Service in the namespace: noise for a Go binary, and slow with many.
    enableServiceLinks: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser,
      runAsGroup,
      fsGroup: runAsGroup,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    terminationGracePeriodSeconds: drainDelay + shutdownTimeout + 5,
    imagePullSecrets: props.imagePullSecrets?.map((secret) => ({ name: secret })),
    topologySpreadConstraints: topologySpread(props.topologySpread, input.selectorLabels),
    containers: [container],
    volumes,
  };
}

/** Startup and liveness on `/healthz`, readiness on `/readyz` by default; liveness and readiness must differ. */
function containerProbes(scope: IConstruct, props: GoMicroserviceProps, ports: { [name: string]: number }): Pick<k8s.Container, 'startupProbe' | 'livenessProbe' | 'readinessProbe'> {
  const probes = props.healthChecks ?? {};
  const startupProbe = (probes.startup ?? HealthCheck.http('/healthz'))._bind(scope, 'healthChecks.startup', ProbeKind.STARTUP, ports);
  const livenessProbe = (probes.liveness ?? HealthCheck.http('/healthz'))._bind(scope, 'healthChecks.liveness', ProbeKind.LIVENESS, ports);
  const readinessProbe = (probes.readiness ?? HealthCheck.http('/readyz'))._bind(scope, 'healthChecks.readiness', ProbeKind.READINESS, ports);
  // What must differ is the check itself, not its timing: readiness has to be able to fail while liveness passes.
  const handler = (probe: k8s.Probe) => probe.httpGet
    ? `GET ${probe.httpGet.path} on port ${probe.httpGet.port.value}`
    : `gRPC health of '${probe.grpc?.service ?? ''}' on port ${probe.grpc?.port}`;
  if (handler(livenessProbe) === handler(readinessProbe)) {
    throw GantryError.of(scope, 'healthChecks.readiness', handler(readinessProbe),
      'checks the same thing as the liveness probe, so a pod that cannot serve is restarted instead of taken out of the Service',
      'check readiness on its own endpoint, such as HealthCheck.http(\'/readyz\')');
  }
  return { startupProbe, livenessProbe, readinessProbe };
}
