import { Chart, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { configFiles } from './config';
import { DisruptionBudget } from './disruption-budget';
import { declareServiceValues } from './go-microservice-helm';
import { GoMicroserviceProps } from './go-microservice-props';
import { linkProblems } from './links';
import { claimServiceName } from './name-registry';
import { applyOverrides } from './overrides';
import { PodTemplate } from './pod-template';
import { containerPorts, METRICS_PORT, servicePorts } from './ports';
import { RollingDeployment, RolloutSpec } from './rolling-deployment';
import { ServiceValues } from './service-values';
import { HpaPolicy, HpaPolicyOptions, IScalableWorkload } from '../autoscaling/hpa-policy';
import { checkDns1035, checkInt, checkLabelValue, checkNamespace } from '../core/checks';
import { GantryError } from '../core/errors';
import { parseImage } from '../core/image';
import { KubeConfigMap, KubeDeployment, KubeNetworkPolicy, KubeService, KubeServiceAccount } from '../core/kube';
import { RecommendedLabels as L } from '../core/labels';
import { ControllerManagedFields } from '../core/managed-fields';
import { Environment } from '../environment/environment';
import { SYNC_WAVE_ANNOTATION, syncWaveAnnotations } from '../environment/sync-waves';
import { registerValuesSource } from '../helm/registry';
import { IMonitorable, PrometheusMonitor, PrometheusMonitorOptions } from '../monitoring/prometheus-monitor';
import { networkPolicySpec } from '../network/network-policy';

/**
 * A Go service deployed as a GoMicroservice, as other constructs see it: what autoscaling, monitoring and traffic
 * management need to target its pods.
 */
export interface IGoMicroservice extends IScalableWorkload, IMonitorable {
  /**
   * The HpaPolicy scaling the service.
   * @default - none
   */
  readonly hpa?: HpaPolicy;
}

/**
 * One Go service on Kubernetes: a Deployment, ServiceAccount, Service, PodDisruptionBudget and NetworkPolicy, plus a
 * ConfigMap when it has config and a HorizontalPodAutoscaler when it autoscales. Secure and production-ready by
 * default: the pods meet the Pod Security Standards "restricted" profile, `GOMAXPROCS` and `GOMEMLIMIT` follow the
 * container limits, pods spread over zones and nodes, and every object carries the recommended labels.
 *
 * Objects are named after the service (`name`, the ConfigMap `<name>-config`). Construct ids of the children:
 * `ServiceAccount`, `Config`, `Deployment`, `Service`, `DisruptionBudget`, `NetworkPolicy` and `Autoscaling`.
 * The children are cdk8s-plus-28's typed `k8s` classes (`KubeDeployment`, `KubeService`, ...): patch them with
 * `addJsonPatch()` where no prop says what you need.
 *
 * @example
 * new GoMicroservice(chart, 'orders', {
 *   image: 'ghcr.io/acme/orders:1.4.2',
 *   autoscaling: { maxReplicas: 10 },
 * });
 */
export class GoMicroservice extends Construct implements IGoMicroservice, kplus.INetworkPolicyPeer, kplus.IPodSelector {
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
  public readonly metricsPortName = METRICS_PORT;
  /** The container image. */
  public readonly image: string;
  /** `apiVersion` of the scaled object. */
  public readonly scaleTargetApiVersion = 'apps/v1';
  /** `kind` of the scaled object. */
  public readonly scaleTargetKind = 'Deployment';
  /** `metadata.name` of the scaled object. */
  public readonly scaleTargetName: string;
  /** The name of the Deployment. */
  public readonly deploymentName: string;
  /** The name of the container. */
  public readonly containerName: string;

  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The Service. */
  public readonly service: k8s.KubeService;
  /** The ServiceAccount. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The ConfigMap, when the service has config. */
  public readonly configMap?: k8s.KubeConfigMap;
  /** The PodDisruptionBudget, unless disabled. */
  public readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  /** The NetworkPolicy, unless disabled. */
  public readonly networkPolicy?: k8s.KubeNetworkPolicy;

  private _hpa?: HpaPolicy;
  private _monitor?: PrometheusMonitor;
  private readonly replicas: number;

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
    if (environment !== undefined) props = applyOverrides(props, environment._overridesFor(props.name ?? id));
    this.name = props.name ?? id;
    checkDns1035(this, 'name', this.name, 50);
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? environment?.namespace;
    if (this.namespace !== undefined) checkNamespace(this, 'namespace', this.namespace);
    this.scaleTargetName = this.name;
    this.deploymentName = this.name;
    this.containerName = this.name;
    claimServiceName(this, this.name, this.namespace);

    this.image = props.image;
    const image = parseImage(this, 'image', props.image);
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
    this.ports = containerPorts(this, props);

    if (props.replicas !== undefined) {
      checkInt(this, 'replicas', props.replicas, 1, 10000, 'use 2 or more so that one pod can be evicted');
      if (props.autoscaling !== undefined) {
        throw GantryError.of(this, 'replicas', props.replicas, 'is set together with \'autoscaling\', whose HPA owns the replica count',
          'remove \'replicas\' and set \'autoscaling.minReplicas\' instead');
      }
    }
    this.replicas = props.replicas ?? 2;
    const rollout: RolloutSpec = (props.strategy ?? RollingDeployment.rollingUpdate())._bind(this);

    // Under an Environment (GitOps), each object carries its Argo CD sync wave.
    const metadata = (kind: string, name: string): k8s.ObjectMeta => ({
      name,
      namespace: this.namespace,
      labels: { ...this.labels },
      annotations: syncWaveAnnotations(this, kind),
    });

    this.serviceAccount = new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: metadata('ServiceAccount', this.name),
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
    });

    const config = props.config !== undefined ? configFiles(this, props.config) : undefined;
    if (config !== undefined) {
      this.configMap = new KubeConfigMap(this, 'Config', { metadata: metadata('ConfigMap', `${this.name}-config`), data: config.data });
    }

    const podTemplate = new PodTemplate(this, props, {
      name: this.name, labels: this.labels, selectorLabels: this.selectorLabels, ports: this.ports, configChecksum: config?.checksum,
    });
    this.deployment = new KubeDeployment(this, 'Deployment', {
      metadata: metadata('Deployment', this.name),
      spec: Lazy.any({
        produce: (): k8s.DeploymentSpec => ({
          // With an HPA, `replicas` is left out so that a GitOps sync does not reset what the HPA chose.
          replicas: this._hpa ? undefined : this.replicas,
          ...rollout,
          selector: { matchLabels: { ...this.selectorLabels } },
          template: podTemplate.spec,
        }),
      }),
    });

    this.service = new KubeService(this, 'Service', {
      metadata: metadata('Service', this.name),
      spec: { type: 'ClusterIP', selector: { ...this.selectorLabels }, ports: servicePorts(this, props, this.ports) },
    });

    let disruptionBudget: DisruptionBudget | undefined;
    if (props.disruptionBudget?.enabled ?? true) {
      disruptionBudget = new DisruptionBudget(this, props.disruptionBudget ?? {}, metadata('PodDisruptionBudget', this.name), this);
      this.podDisruptionBudget = disruptionBudget.apiObject;
    }

    if (props.networkPolicy?.enabled ?? true) {
      this.networkPolicy = new KubeNetworkPolicy(this, 'NetworkPolicy', {
        metadata: metadata('NetworkPolicy', this.name),
        spec: networkPolicySpec(this, this, props.networkPolicy ?? {}),
      });
    }

    if (props.autoscaling !== undefined) {
      this.addHpaPolicy(props.autoscaling);
    }

    this.node.addValidation({
      validate: () => linkProblems(this, {
        deployment: this.deployment,
        service: this.service,
        podDisruptionBudget: this.podDisruptionBudget,
        networkPolicy: this.networkPolicy,
        autoscaler: this._hpa?.apiObject,
      }),
    });

    registerValuesSource(this, {
      group: ServiceValues.groupOf(this.name),
      declare: (registry) => declareServiceValues(new ServiceValues(registry, this, ServiceValues.groupOf(this.name)), {
        image,
        replicas: this.replicas,
        hpa: this._hpa,
        deployment: this.deployment,
        podTemplate,
        disruptionBudget,
        networkPolicy: this.networkPolicy,
        monitoring: [this._monitor?.scrapeConfig, this._monitor?.rules, this._monitor?.dashboard].filter((o) => o !== undefined),
        version: this.labels[L.VERSION],
        objects: [
          this.serviceAccount, this.configMap, this.deployment, this.service, this.podDisruptionBudget, this.networkPolicy, this._hpa?.apiObject,
        ].filter((o) => o !== undefined),
      }),
    });
  }

  /** The HpaPolicy scaling this service, if any. */
  public get hpa(): HpaPolicy | undefined {
    return this._hpa;
  }

  /** The name of the HorizontalPodAutoscaler, when the service autoscales. */
  public get autoscalerName(): string | undefined {
    return this._hpa?.apiObject.name;
  }

  /** Whether an HPA owns the replica count. */
  public get autoscaled(): boolean {
    return this._hpa !== undefined;
  }

  /** The fewest pods the service runs with: the HPA's `minReplicas`, or `replicas`. */
  public get minPods(): number {
    return this._hpa?.minReplicas ?? this.replicas;
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
   * The service's pods, for cdk8s-plus: a GoMicroservice is a peer of cdk8s-plus NetworkPolicies and pod
   * connections (`web.connections.allowTo(orders)`).
   */
  public toPodSelectorConfig(): kplus.PodSelectorConfig {
    return {
      labelSelector: kplus.LabelSelector.of({ labels: { ...this.selectorLabels } }),
      namespaces: this.namespace !== undefined ? { names: [this.namespace] } : undefined,
    };
  }

  /** The service's pods, as a cdk8s-plus NetworkPolicy peer. */
  public toNetworkPolicyPeerConfig(): kplus.NetworkPolicyPeerConfig {
    return { podSelector: this.toPodSelectorConfig() };
  }

  /** The service's pods, as a cdk8s-plus pod selector. */
  public toPodSelector(): kplus.IPodSelector | undefined {
    return this;
  }

  /**
   * Called by an HpaPolicy that scales this service. A service takes one; its Deployment then leaves `spec.replicas`
   * to the HPA, and GitOps tools are told to ignore it.
   */
  public registerAutoscaler(hpa: HpaPolicy): void {
    if (this._hpa !== undefined && this._hpa !== hpa) {
      throw GantryError.of(this, 'autoscaling', hpa.node.path, `is a second HpaPolicy for a service that already has ${this._hpa.node.path}`,
        'keep one HpaPolicy per service');
    }
    this._hpa = hpa;
    ControllerManagedFields.of(this.deployment).add('/spec/replicas');
    const wave = syncWaveAnnotations(this, 'HorizontalPodAutoscaler');
    if (wave !== undefined) hpa.apiObject.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, wave[SYNC_WAVE_ANNOTATION]);
  }
}

function compact(o: { [key: string]: string | undefined }): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
