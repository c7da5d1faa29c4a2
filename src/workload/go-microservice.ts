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
import { TrackOptions, Tracks, TRACK_LABEL, WorkloadTrack } from './tracks';
import { IGoMicroservice, PodControllerRef } from './workload-contract';
import { HpaPolicy, HpaPolicyOptions } from '../autoscaling/hpa-policy';
import { checkDns1035, checkLabelValue, checkNamespace, checkReplicas } from '../core/checks';
import { GantryError } from '../core/errors';
import { parseImage } from '../core/image';
import { KubeConfigMap, KubeDeployment, KubeNetworkPolicy, KubeService, KubeServiceAccount } from '../core/kube';
import { compactLabels, RecommendedLabels as L, versionOfTag } from '../core/labels';
import { ControllerManagedFields } from '../core/managed-fields';
import { checkProps } from '../core/props';
import { Environment } from '../environment/environment';
import { SYNC_WAVE_ANNOTATION, syncWaveAnnotations } from '../environment/sync-waves';
import { registerValuesSource } from '../helm/registry';
import { PrometheusMonitor, PrometheusMonitorOptions } from '../monitoring/prometheus-monitor';
import { IngressRule, ingressRule, networkPolicySpec } from '../network/network-policy';

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
  private _controller?: PodControllerRef;
  private _serviceTrack?: string;
  private readonly tracks: Tracks;
  private readonly extraIngress: k8s.NetworkPolicyIngressRule[] = [];
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
    checkProps(this, 'GoMicroserviceProps', props);
    const environment = Environment.of(this);
    if (environment !== undefined) props = applyOverrides(props, environment._overridesFor(props.name ?? id));
    this.name = props.name ?? id;
    checkDns1035(this, 'name', this.name, 50);
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? environment?.namespace;
    if (this.namespace !== undefined) checkNamespace(this, 'namespace', this.namespace);
    this.deploymentName = this.name;
    this.containerName = this.name;
    claimServiceName(this, this.name, this.namespace);

    this.image = props.image;
    const image = parseImage(this, 'image', props.image);
    const version = props.version ?? versionOfTag(image.tag);
    if (version !== undefined) checkLabelValue(this, 'version', version);
    if (props.partOf !== undefined) checkLabelValue(this, 'partOf', props.partOf);
    const component = props.component ?? 'server';
    checkLabelValue(this, 'component', component);

    this.selectorLabels = { [L.NAME]: this.name, [L.INSTANCE]: this.name };
    this.labels = compactLabels({
      ...this.selectorLabels,
      [L.VERSION]: version,
      [L.COMPONENT]: component,
      [L.PART_OF]: props.partOf,
      [L.MANAGED_BY]: L.MANAGER,
    });
    this.ports = containerPorts(this, props);

    if (props.replicas !== undefined) {
      checkReplicas(this, 'replicas', props.replicas);
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

    const podInput = {
      name: this.name, labels: this.labels, selectorLabels: this.selectorLabels, ports: this.ports, configChecksum: config?.checksum,
    };
    const podTemplate = new PodTemplate(this, props, podInput);
    this.tracks = new Tracks(this, { props, input: podInput, rollout, metadata });
    this.deployment = new KubeDeployment(this, 'Deployment', {
      metadata: metadata('Deployment', this.name),
      spec: Lazy.any({
        produce: (): k8s.DeploymentSpec => ({
          // With an HPA, `replicas` is left out so that a GitOps sync does not reset what the HPA chose.
          replicas: this._hpa ? undefined : this.replicas,
          ...rollout,
          selector: { matchLabels: { ...this.selectorLabels } },
          template: this.tracks.primaryTemplate(podTemplate.spec),
        }),
      }),
    });

    const ports = servicePorts(this, props, this.ports);
    this.service = new KubeService(this, 'Service', {
      metadata: metadata('Service', this.name),
      spec: Lazy.any({
        produce: (): k8s.ServiceSpec => ({
          type: 'ClusterIP',
          selector: { ...this.selectorLabels, ...(this._serviceTrack ? { [TRACK_LABEL]: this._serviceTrack } : {}) },
          ports,
        }),
      }),
    });

    let disruptionBudget: DisruptionBudget | undefined;
    if (props.disruptionBudget?.enabled ?? true) {
      disruptionBudget = new DisruptionBudget(this, props.disruptionBudget ?? {}, metadata('PodDisruptionBudget', this.name), this);
      this.podDisruptionBudget = disruptionBudget.apiObject;
    }

    if (props.networkPolicy?.enabled ?? true) {
      const policy = networkPolicySpec(this, this, props.networkPolicy ?? {});
      this.networkPolicy = new KubeNetworkPolicy(this, 'NetworkPolicy', {
        metadata: metadata('NetworkPolicy', this.name),
        spec: Lazy.any({ produce: () => ({ ...policy, ingress: [...policy.ingress ?? [], ...this.extraIngress] }) }),
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
        configMap: this.configMap,
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

  /** `apiVersion` of the scaled object: the Deployment's, or the controller's it was handed over to. */
  public get scaleTargetApiVersion(): string {
    return this._controller?.apiVersion ?? 'apps/v1';
  }

  /** `kind` of the scaled object. */
  public get scaleTargetKind(): string {
    return this._controller?.kind ?? 'Deployment';
  }

  /** `metadata.name` of the scaled object. */
  public get scaleTargetName(): string {
    return this._controller?.name ?? this.name;
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
   * Runs the service's pods in a second Deployment, `<name>-<track>` (construct id `Track-<track>`), beside its own:
   * a canary, or the other colour of a blue-green pair. The service's own pods are then labelled
   * `gantry.dev/track: <primaryTrack>`, which rolls them once. Called by IstioCanary and BlueGreenDeployment.
   */
  public addTrack(track: string, options: TrackOptions): WorkloadTrack {
    if (this._controller !== undefined) {
      throw GantryError.of(this, 'track', track, `cannot be added: the pods are handed over to ${this._controller.kind} ${this._controller.name}`,
        'let the Rollout run the new version, or drop the Rollout');
    }
    return this.tracks.add(track, options);
  }

  /** The track of the service's own Deployment, once the service has tracks. */
  public get primaryTrack(): string | undefined {
    return this.tracks.primaryTrack;
  }

  /** The labels that select the pods of the service's own Deployment only. */
  public get primaryPodSelector(): { [key: string]: string } {
    const track = this.tracks.primaryTrack;
    return { ...this.selectorLabels, ...(track !== undefined ? { [TRACK_LABEL]: track } : {}) };
  }

  /**
   * Points the Service at the pods of one track only (the live colour of a blue-green pair); its selector gets
   * `gantry.dev/track: <track>`. Called by BlueGreenDeployment.
   */
  public routeServiceTo(track: string): void {
    const known = [this.tracks.primaryTrack, ...this.tracks.all.map((t) => t.track)].filter((t) => t !== undefined);
    if (!known.includes(track)) {
      throw GantryError.of(this, 'track', track, `is not a track of this service (it has ${known.join(', ') || 'none'})`,
        'add the track first with addTrack(), or route to one of those');
    }
    this._serviceTrack = track;
  }

  /**
   * Lets more peers in, besides what the service's NetworkPolicy allows (nothing to do without one): a mesh's
   * sidecar ports for Prometheus, an ingress gateway.
   */
  public allowIngress(rule: IngressRule): void {
    this.extraIngress.push(ingressRule(this, `allowIngress[${this.extraIngress.length}]`, rule));
  }

  /**
   * Hands the service's pods over to another controller (an Argo Rollouts Rollout with `workloadRef`): the HPA scales
   * it instead of the Deployment, and the Deployment's replica count becomes the controller's to set, so GitOps tools
   * ignore it. Called by ArgoRollout; once per service.
   */
  public handOver(controller: PodControllerRef): void {
    if (this._controller !== undefined) {
      throw GantryError.of(this, 'controller', `${controller.kind} ${controller.name}`,
        `takes over pods already handed over to ${this._controller.kind} ${this._controller.name}`, 'keep one controller per service');
    }
    if (this.tracks.all.length > 0) {
      throw GantryError.of(this, 'controller', `${controller.kind} ${controller.name}`,
        `cannot take over a service with tracks (${this.tracks.all.map((t) => t.track).join(', ')})`, 'use either tracks or a Rollout');
    }
    this._controller = { ...controller };
    ControllerManagedFields.of(this.deployment).add('/spec/replicas');
  }

  /** The controller the pods were handed over to, if any. */
  public get controller(): PodControllerRef | undefined {
    return this._controller;
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
