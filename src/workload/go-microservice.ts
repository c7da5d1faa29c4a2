import { createHash } from 'crypto';
import { ApiObject, Chart, Duration, Lazy, Size } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { renderEnv, renderResources, secretSources } from './container-spec';
import { declareServiceValues } from './go-microservice-helm';
import { GoMicroserviceProps } from './go-microservice-props';
import { HealthCheck, ProbeKind } from './health-check';
import { networkPolicySpec, topologySpread } from './pod-placement';
import { RollingDeployment, RolloutSpec } from './rolling-deployment';
import { HpaPolicy, HpaPolicyOptions, IScalableWorkload } from '../autoscaling/hpa-policy';
import { checkDns1035, checkInt, checkLabelValue, checkNamespace, checkPort, checkSeconds } from '../core/checks';
import { ImageReference, parseImage } from '../core/image';
import { RecommendedLabels as L } from '../core/labels';
import { sizeQuantity } from '../core/quantity';
import { GantryError } from '../errors';
import { Environment } from '../gitops/environment';
import { applyOverrides, SYNC_WAVES } from '../gitops/overrides';
import { ValueRegistry } from '../helm/registry';
import { PrometheusMonitor, PrometheusMonitorOptions } from '../monitoring/prometheus-monitor';

/**
 * A Go service deployed as a GoMicroservice, as other constructs see it.
 */
export interface IGoMicroservice extends IScalableWorkload {
  /** The service name: the name of its Deployment, Service, ServiceAccount and other objects. */
  readonly name: string;
  /** The labels that select the service's pods. */
  readonly selectorLabels: { [key: string]: string };
  /** Container ports by name (`http`, `grpc`, `metrics`). */
  readonly ports: { [name: string]: number };
  /** The name of the Service port that serves metrics. */
  readonly metricsPortName: string;
  /** The HpaPolicy scaling the service, if any. */
  readonly hpa?: HpaPolicy;
}

const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/** Names in use per namespace, per app, to refuse two services that would write the same objects. */
const NAMES_IN_USE = new WeakMap<IConstruct, Map<string, string>>();

/**
 * One Go service on Kubernetes: a Deployment, ServiceAccount, Service, PodDisruptionBudget and NetworkPolicy, plus a
 * ConfigMap when it has config and a HorizontalPodAutoscaler when it autoscales. Secure and production-ready by
 * default: the pods meet the Pod Security Standards "restricted" profile, `GOMAXPROCS` and `GOMEMLIMIT` follow the
 * container limits, pods spread over zones and nodes, and every object carries the recommended labels.
 *
 * Objects are named after the service (`name`, the ConfigMap `<name>-config`). Construct ids of the children:
 * `ServiceAccount`, `Config`, `Deployment`, `Service`, `DisruptionBudget`, `NetworkPolicy` and `Autoscaling`.
 *
 * @example
 * new GoMicroservice(chart, 'orders', {
 *   image: 'ghcr.io/acme/orders:1.4.2',
 *   autoscaling: { maxReplicas: 10 },
 * });
 */
export class GoMicroservice extends Construct implements IGoMicroservice {
  /** The service name. */
  public readonly name: string;
  /** The namespace, when set on the service or its chart. */
  public readonly namespace?: string;
  /** Labels on every object. */
  public readonly labels: { [key: string]: string };
  /** The labels that select the pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** Container ports by name. */
  public readonly ports: { [name: string]: number };
  /** The name of the metrics port. */
  public readonly metricsPortName = 'metrics';
  /** The container image. */
  public readonly image: string;
  /** `apiVersion` of the scaled object. */
  public readonly scaleTargetApiVersion = 'apps/v1';
  /** `kind` of the scaled object. */
  public readonly scaleTargetKind = 'Deployment';
  /** `metadata.name` of the scaled object. */
  public readonly scaleTargetName: string;

  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The Service. */
  public readonly service: ApiObject;
  /** The ServiceAccount. */
  public readonly serviceAccount: ApiObject;
  /** The ConfigMap, when the service has config. */
  public readonly configMap?: ApiObject;
  /** The PodDisruptionBudget, unless disabled. */
  public readonly podDisruptionBudget?: ApiObject;
  /** The NetworkPolicy, unless disabled. */
  public readonly networkPolicy?: ApiObject;

  private _hpa?: HpaPolicy;
  private _monitor?: PrometheusMonitor;
  private readonly imageReference: ImageReference;
  private readonly hasPodAnnotations: boolean;
  private readonly replicas?: number;
  private readonly rollout: RolloutSpec;
  private readonly minAvailable?: any;

  /**
   * @param scope usually a Chart
   * @param id the construct id, and the service name unless `name` is set
   * @param props the service
   */
  constructor(scope: Construct, id: string, props: GoMicroserviceProps) {
    super(scope, id);
    if (props === undefined || props === null || typeof props !== 'object') {
      throw GantryError.of(this, 'props', props, 'are missing', 'pass at least { image: \'ghcr.io/acme/orders:1.4.2\' }');
    }
    const environment = Environment.of(this);
    if (environment !== undefined) props = applyOverrides(props, environment.overridesFor(props.name ?? id));
    this.name = props.name ?? id;
    checkDns1035(this, 'name', this.name, 50);
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? environment?.namespace;
    if (this.namespace !== undefined) checkNamespace(this, 'namespace', this.namespace);
    this.scaleTargetName = this.name;
    this.claimName();

    this.image = props.image;
    const image = parseImage(this, 'image', props.image);
    this.imageReference = image;
    const version = props.version ?? (image.tag && /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(image.tag) ? image.tag : undefined);
    if (version !== undefined) checkLabelValue(this, 'version', version);
    if (props.partOf !== undefined) checkLabelValue(this, 'partOf', props.partOf);
    const component = props.component ?? 'server';
    checkLabelValue(this, 'component', component);

    this.selectorLabels = { [L.NAME]: this.name, [L.INSTANCE]: this.name };
    this.labels = compact({
      ...this.selectorLabels,
      [L.VERSION]: version,
      [L.COMPONENT]: component,
      [L.PART_OF]: props.partOf,
      [L.MANAGED_BY]: L.MANAGER,
    });

    this.ports = this.resolvePorts(props);

    if (props.replicas !== undefined) {
      checkInt(this, 'replicas', props.replicas, 1, 10000, 'use 2 or more so that one pod can be evicted');
      if (props.autoscaling !== undefined) {
        throw GantryError.of(this, 'replicas', props.replicas, 'is set together with \'autoscaling\', whose HPA owns the replica count',
          'remove \'replicas\' and set \'autoscaling.minReplicas\' instead');
      }
    }
    this.replicas = props.replicas ?? 2;
    this.rollout = (props.strategy ?? RollingDeployment.rollingUpdate()).bind(this);

    // Under an Environment (GitOps), each object carries its Argo CD sync wave.
    const metadata = (kind: string, name: string) => ({
      name,
      namespace: this.namespace,
      labels: { ...this.labels },
      annotations: environment ? { [SYNC_WAVE]: SYNC_WAVES[kind] } : undefined,
    });

    this.serviceAccount = new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: metadata('ServiceAccount', this.name),
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
    });

    let configChecksum: string | undefined;
    if (props.config !== undefined) {
      const data = this.resolveConfig(props.config);
      configChecksum = createHash('sha256').update(JSON.stringify(data)).digest('hex');
      this.configMap = new ApiObject(this, 'Config', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: metadata('ConfigMap', `${this.name}-config`),
        data,
      });
    }

    const podSpec = this.renderPodSpec(props, configChecksum !== undefined);
    const podMetadata: any = {
      labels: { ...this.labels, ...this.resolvePodLabels(props.podLabels) },
      annotations: { ...props.podAnnotations, ...(configChecksum ? { 'checksum/config': configChecksum } : {}) },
    };
    if (Object.keys(podMetadata.annotations).length === 0) delete podMetadata.annotations;
    this.hasPodAnnotations = podMetadata.annotations !== undefined;

    this.deployment = new ApiObject(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: metadata('Deployment', this.name),
      spec: Lazy.any({
        produce: () => ({
          // With an HPA, `replicas` is left out so that a GitOps sync does not reset what the HPA chose.
          replicas: this._hpa ? undefined : this.replicas,
          ...this.rollout,
          selector: { matchLabels: { ...this.selectorLabels } },
          template: { metadata: podMetadata, spec: podSpec },
        }),
      }),
    });

    this.service = new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata('Service', this.name),
      spec: {
        type: 'ClusterIP',
        selector: { ...this.selectorLabels },
        ports: this.servicePorts(props),
      },
    });

    const pdb = props.disruptionBudget ?? {};
    if (pdb.enabled ?? true) {
      this.minAvailable = pdb.minAvailable;
      if (pdb.minAvailable !== undefined) {
        const v = pdb.minAvailable;
        if (!Number.isInteger(v.value) || v.value < 0 || (v.isPercent && v.value > 100)) {
          throw GantryError.of(this, 'disruptionBudget.minAvailable', v.toString(), 'must be a whole number of pods or a percentage from 0 to 100',
            'use IntOrPercent.count(1) or IntOrPercent.percent(50)');
        }
      }
      this.podDisruptionBudget = new ApiObject(this, 'DisruptionBudget', {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: metadata('PodDisruptionBudget', this.name),
        spec: Lazy.any({ produce: () => this.renderPdbSpec() }),
      });
    }

    const netpol = props.networkPolicy ?? {};
    if (netpol.enabled ?? true) {
      this.networkPolicy = new ApiObject(this, 'NetworkPolicy', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: metadata('NetworkPolicy', this.name),
        spec: networkPolicySpec(this, this.selectorLabels, this.ports, this.metricsPortName, netpol.allowFrom, netpol.monitoringNamespace),
      });
    }

    if (props.autoscaling !== undefined) {
      this.addHpaPolicy(props.autoscaling);
    }

    this.node.addValidation({ validate: () => [...this.validateDisruptionBudget(), ...this.validateLinks()] });
  }

  /** The HpaPolicy scaling this service, if any. */
  public get hpa(): HpaPolicy | undefined {
    return this._hpa;
  }

  /**
   * Scales the service with a HorizontalPodAutoscaler (construct id `Autoscaling`).
   */
  public addHpaPolicy(options: HpaPolicyOptions): HpaPolicy {
    return new HpaPolicy(this, 'Autoscaling', { ...options, target: this });
  }

  /**
   * Monitors the service with prometheus-operator: a ServiceMonitor, a PrometheusRule with preset alerts (and SLO
   * burn-rate alerts when an objective is given) and a Grafana dashboard (construct id `Monitoring`).
   */
  public addMonitoring(options: PrometheusMonitorOptions = {}): PrometheusMonitor {
    if (this._monitor !== undefined) {
      throw GantryError.of(this, 'monitoring', 'addMonitoring()', 'is called a second time', 'call it once, with every option');
    }
    this._monitor = new PrometheusMonitor(this, 'Monitoring', { ...options, service: this });
    return this._monitor;
  }

  /** The service's PrometheusMonitor, if any. */
  public get monitor(): PrometheusMonitor | undefined {
    return this._monitor;
  }

  /**
   * Called by an HpaPolicy that scales this service. A service takes one.
   */
  public registerAutoscaler(hpa: HpaPolicy): void {
    if (this._hpa !== undefined && this._hpa !== hpa) {
      throw GantryError.of(this, 'autoscaling', hpa.node.path, `is a second HpaPolicy for a service that already has ${this._hpa.node.path}`,
        'keep one HpaPolicy per service');
    }
    this._hpa = hpa;
    if (Environment.of(this) !== undefined) hpa.apiObject.metadata.addAnnotation(SYNC_WAVE, SYNC_WAVES.HorizontalPodAutoscaler);
  }

  /**
   * The key of this service's values in a Helm export: the name in camelCase (`orders-api` → `ordersApi`).
   * @internal
   */
  public get _helmGroup(): string {
    return this.name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  }

  /**
   * Declares this service's Helm values.
   * @internal
   */
  public _declareHelmValues(registry: ValueRegistry): void {
    declareServiceValues(registry, {
      owner: this,
      group: this._helmGroup,
      image: this.imageReference,
      replicas: this.replicas!,
      hpa: this._hpa,
      deployment: this.deployment,
      podDisruptionBudget: this.podDisruptionBudget,
      derivedDisruptionBudget: this.minAvailable === undefined,
      networkPolicy: this.networkPolicy,
      hasPodAnnotations: this.hasPodAnnotations,
      monitoring: [this._monitor?.scrapeConfig, this._monitor?.rules, this._monitor?.dashboard].filter((o): o is ApiObject => o !== undefined),
      version: this.labels[L.VERSION],
      objects: [
        this.serviceAccount, this.configMap, this.deployment, this.service, this.podDisruptionBudget, this.networkPolicy, this._hpa?.apiObject,
      ].filter((o): o is ApiObject => o !== undefined),
    });
  }

  /** The fewest pods the service runs with: the HPA's `minReplicas`, or `replicas`. */
  public get minPods(): number {
    return this._hpa?.minReplicas ?? this.replicas!;
  }

  private claimName(): void {
    const root = this.node.root;
    let names = NAMES_IN_USE.get(root);
    if (names === undefined) {
      names = new Map();
      NAMES_IN_USE.set(root, names);
    }
    const key = `${this.namespace ?? ''}/${this.name}`;
    const other = names.get(key);
    if (other !== undefined) {
      throw GantryError.of(this, 'name', this.name,
        `is already used by ${other}${this.namespace ? ` in namespace ${this.namespace}` : ''}, so both would write the same objects`,
        'give one of them another \'name\' or \'namespace\'');
    }
    names.set(key, this.node.path);
  }

  private resolvePorts(props: GoMicroserviceProps): { [name: string]: number } {
    const ports: { [name: string]: number } = { http: props.httpPort ?? 8080 };
    checkPort(this, 'httpPort', ports.http);
    if (props.grpcPort !== undefined) {
      checkPort(this, 'grpcPort', props.grpcPort);
      ports.grpc = props.grpcPort;
    }
    ports.metrics = props.metricsPort ?? 9090;
    checkPort(this, 'metricsPort', ports.metrics);
    const seen = new Map<number, string>();
    for (const [name, port] of Object.entries(ports)) {
      const prop = name === 'http' ? 'httpPort' : `${name}Port`;
      if (seen.has(port)) {
        throw GantryError.of(this, prop, port, `is already the ${seen.get(port)} port`, 'give each port its own number');
      }
      seen.set(port, name);
      if (port < 1024 && !props.security?.allowNetBindService) {
        throw GantryError.of(this, prop, port, 'is below 1024, which a non-root process cannot listen on',
          'listen on a port from 1024 up (the Service still exposes HTTP on 80), or set \'security.allowNetBindService\'');
      }
    }
    return ports;
  }

  private servicePorts(props: GoMicroserviceProps): any[] {
    const httpServicePort = props.httpServicePort ?? 80;
    checkPort(this, 'httpServicePort', httpServicePort);
    const ports: any[] = [{ name: 'http', port: httpServicePort, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }];
    if (this.ports.grpc !== undefined) {
      if (this.ports.grpc === httpServicePort) {
        throw GantryError.of(this, 'grpcPort', this.ports.grpc, `is the same as 'httpServicePort' (${httpServicePort}) on the Service`,
          'use another gRPC port or HTTP service port');
      }
      ports.push({ name: 'grpc', port: this.ports.grpc, targetPort: 'grpc', protocol: 'TCP', appProtocol: 'grpc' });
    }
    if (this.ports.metrics === httpServicePort) {
      throw GantryError.of(this, 'metricsPort', this.ports.metrics, `is the same as 'httpServicePort' (${httpServicePort}) on the Service`,
        'use another metrics port or HTTP service port');
    }
    ports.push({ name: this.metricsPortName, port: this.ports.metrics, targetPort: this.metricsPortName, protocol: 'TCP', appProtocol: 'http' });
    return ports;
  }

  private resolveConfig(config: { [file: string]: string }): { [file: string]: string } {
    const names = Object.keys(config);
    if (names.length === 0) {
      throw GantryError.of(this, 'config', '{}', 'is empty', 'leave \'config\' out, or give at least one file');
    }
    const data: { [file: string]: string } = {};
    for (const file of names.sort()) {
      if (!/^[-._a-zA-Z0-9]+$/.test(file) || file === '.' || file === '..' || file.length > 253) {
        throw GantryError.of(this, `config.${file}`, file, 'is not a valid ConfigMap key (letters, digits, \'-\', \'_\' and \'.\')',
          `rename it, such as '${file.replace(/[^-._a-zA-Z0-9]/g, '-') || 'config.yaml'}'`);
      }
      if (typeof config[file] !== 'string') {
        throw GantryError.of(this, `config.${file}`, config[file], 'is not a string', 'give the file content as a string');
      }
      data[file] = config[file];
    }
    return data;
  }

  private resolvePodLabels(labels: { [key: string]: string } | undefined): { [key: string]: string } {
    for (const key of Object.keys(labels ?? {})) {
      if (key in this.selectorLabels || key === L.MANAGED_BY) {
        throw GantryError.of(this, `podLabels.${key}`, labels![key], 'would replace a label Gantry sets and selects pods by',
          'use another label key');
      }
      checkLabelValue(this, `podLabels.${key}`, labels![key]);
    }
    return { ...labels };
  }

  private renderPodSpec(props: GoMicroserviceProps, hasConfig: boolean): any {
    const security = props.security ?? {};
    const runAsUser = security.runAsUser ?? 65532;
    const runAsGroup = security.runAsGroup ?? 65532;
    for (const [prop, v] of [['security.runAsUser', runAsUser], ['security.runAsGroup', runAsGroup]] as const) {
      if (v === 0) {
        throw GantryError.of(this, prop, v, 'is root, which the Pod Security Standards "restricted" profile forbids',
          'run as a non-root id such as 65532 (distroless nonroot)');
      }
      checkInt(this, prop, v, 1, 2147483647, 'use an id such as 65532');
    }
    const containerName = this.name;
    const resources = renderResources(this, props);
    const tmpSize = security.tmpSize ?? Size.mebibytes(64);

    const probes = props.healthChecks ?? {};
    const startup = (probes.startup ?? HealthCheck.http('/healthz')).bind(this, 'healthChecks.startup', ProbeKind.STARTUP, this.ports);
    const liveness = (probes.liveness ?? HealthCheck.http('/healthz')).bind(this, 'healthChecks.liveness', ProbeKind.LIVENESS, this.ports);
    const readiness = (probes.readiness ?? HealthCheck.http('/readyz')).bind(this, 'healthChecks.readiness', ProbeKind.READINESS, this.ports);
    // What must differ is the check itself, not its timing: readiness has to be able to fail while liveness passes.
    const handler = (probe: any) => probe.httpGet
      ? `GET ${probe.httpGet.path} on port ${probe.httpGet.port}`
      : `gRPC health of '${probe.grpc.service ?? ''}' on port ${probe.grpc.port}`;
    if (handler(liveness) === handler(readiness)) {
      throw GantryError.of(this, 'healthChecks.readiness', handler(readiness),
        'checks the same thing as the liveness probe, so a pod that cannot serve is restarted instead of taken out of the Service',
        'check readiness on its own endpoint, such as HealthCheck.http(\'/readyz\')');
    }

    const shutdown = props.shutdown ?? {};
    const drainDelay = checkSeconds(this, 'shutdown.drainDelay', shutdown.drainDelay ?? Duration.seconds(5), 0, 300);
    const shutdownTimeout = checkSeconds(this, 'shutdown.timeout', shutdown.timeout ?? Duration.seconds(20), 1, 3600);

    const container: any = {
      name: containerName,
      image: this.image,
      imagePullPolicy: 'IfNotPresent',
      command: props.command,
      args: props.args,
      ports: Object.entries(this.ports).map(([name, containerPort]) => ({ name, containerPort, protocol: 'TCP' })),
      env: renderEnv(this, this.name, props, containerName, (shutdown.env ?? true) ? { drainDelay, shutdownTimeout } : undefined),
      resources,
      startupProbe: startup,
      livenessProbe: liveness,
      readinessProbe: readiness,
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
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    };
    const volumes: any[] = [{ name: 'tmp', emptyDir: { sizeLimit: sizeQuantity(tmpSize) } }];
    const mountPaths: string[] = ['/tmp'];
    const mount = (property: string, mountPath: string, example: string) => {
      if (!mountPath.startsWith('/') || mountPath === '/' || /\s|:/.test(mountPath)) {
        throw GantryError.of(this, property, mountPath, 'is not a usable mount path', `use an absolute path such as '${example}'`);
      }
      const clash = mountPaths.find((p) => p === mountPath || p.startsWith(mountPath + '/') || mountPath.startsWith(p + '/'));
      if (clash !== undefined) {
        throw GantryError.of(this, property, mountPath, `overlaps the mount at ${clash}`, `use a path outside it, such as '${example}'`);
      }
      mountPaths.push(mountPath);
      return mountPath;
    };
    if (hasConfig) {
      const mountPath = mount('configMountPath', props.configMountPath ?? `/etc/${this.name}`, `/etc/${this.name}`);
      container.volumeMounts.push({ name: 'config', mountPath, readOnly: true });
      volumes.push({ name: 'config', configMap: { name: `${this.name}-config` } });
    }
    if (props.secretFiles !== undefined) {
      const mountPath = mount('secretMountPath', props.secretMountPath ?? `/var/run/secrets/${this.name}`, `/var/run/secrets/${this.name}`);
      container.volumeMounts.push({ name: 'secrets', mountPath, readOnly: true });
      volumes.push({ name: 'secrets', projected: { defaultMode: 0o440, sources: secretSources(this, props.secretFiles) } });
    }

    return {
      serviceAccountName: this.name,
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
      imagePullSecrets: props.imagePullSecrets?.map((name) => ({ name })),
      topologySpreadConstraints: topologySpread(props.topologySpread, this.selectorLabels),
      containers: [container],
      volumes,
    };
  }


  private renderPdbSpec(): any {
    const selector = { matchLabels: { ...this.selectorLabels } };
    const policy = { unhealthyPodEvictionPolicy: 'AlwaysAllow' };
    if (this.minAvailable !== undefined) {
      return { minAvailable: this.minAvailable.toJson(), selector, ...policy };
    }
    const min = this.minPods;
    // One pod: say so explicitly, so a node drain can always proceed. More: keep at least half.
    return min <= 1
      ? { maxUnavailable: 1, selector, ...policy }
      : { minAvailable: Math.ceil(min / 2), selector, ...policy };
  }

  /**
   * Checks the rendered objects, after any JSON patch applied through the escape hatch, still point at the pods:
   * the Service, NetworkPolicy and PodDisruptionBudget select them, and the HPA targets the Deployment.
   */
  private validateLinks(): string[] {
    // Gantry renders every selector from `selectorLabels`, so only a JSON patch can break a link. Rendering the objects
    // is the expensive part of synthesis, and cdk8s's App runs validations once per chart: skip it when nothing is
    // patched. (`patches` is cdk8s's private list; if it is ever renamed, the check simply always runs.)
    const objects = [this.deployment, this.service, this.podDisruptionBudget, this.networkPolicy, this._hpa?.apiObject];
    if (objects.every((o) => o === undefined || (o as any).patches?.length === 0)) return [];

    const deployment = this.deployment.toJson();
    const podLabels: { [key: string]: string } = deployment.spec?.template?.metadata?.labels ?? {};
    const errors: string[] = [];
    const selects = (selector: { [key: string]: string } | undefined) =>
      selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => podLabels[k] === v);
    const check = (what: string, selector: { [key: string]: string } | undefined) => {
      if (!selects(selector)) {
        errors.push(GantryError.format(this, what, JSON.stringify(selector ?? {}),
          `selects no pod of the Deployment (pod labels ${JSON.stringify(podLabels)})`,
          'remove the JSON patch that changed the selector or the pod labels'));
      }
    };
    if (!selects(deployment.spec?.selector?.matchLabels)) check('deployment.spec.selector', deployment.spec?.selector?.matchLabels);
    check('service.spec.selector', this.service.toJson().spec?.selector);
    if (this.podDisruptionBudget) check('podDisruptionBudget.spec.selector', this.podDisruptionBudget.toJson().spec?.selector?.matchLabels);
    if (this.networkPolicy) check('networkPolicy.spec.podSelector', this.networkPolicy.toJson().spec?.podSelector?.matchLabels);
    const target = this._hpa?.apiObject.toJson().spec?.scaleTargetRef;
    if (target && (target.kind !== 'Deployment' || target.name !== deployment.metadata.name)) {
      errors.push(GantryError.format(this, 'hpa.spec.scaleTargetRef', `${target.kind}/${target.name}`,
        `does not target the Deployment ${deployment.metadata.name}`, 'remove the JSON patch that changed the target'));
    }
    return errors;
  }

  private validateDisruptionBudget(): string[] {
    if (this.podDisruptionBudget === undefined || this.minAvailable === undefined) return [];
    const min = this.minPods;
    const available = this.minAvailable.pods(min, true);
    if (available >= min) {
      return [GantryError.format(this, 'disruptionBudget.minAvailable', this.minAvailable.toString(),
        `keeps all ${min} pods (${this._hpa ? 'the HPA\'s minReplicas' : 'replicas'}) available, so it blocks every eviction and node drain`,
        `use at most IntOrPercent.count(${Math.max(min - 1, 0)})${min <= 1 ? ', or run 2 or more pods' : ''}`)];
    }
    return [];
  }


}

function compact(o: { [key: string]: string | undefined }): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
