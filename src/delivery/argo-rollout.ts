import { ApiObject, Duration, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CanaryAnalysis, HASH_ARG } from './canary-analysis';
import { CanaryStep } from './canary-step';
import { BlueGreenStrategyOptions, CanaryStrategyOptions, RolloutStrategy } from './rollout-strategy';
import { declareRolloutValues } from './rollout-values';
import { checkDns1035, checkSeconds } from '../core/checks';
import { GantryError } from '../core/errors';
import { KubeService } from '../core/kube';
import { ControllerManagedFields } from '../core/managed-fields';
import { checkProps } from '../core/props';
import { syncWaveAnnotations } from '../environment/sync-waves';
import { registerValuesSource, valuesGroupOf } from '../helm/registry';
import { IGoMicroservice } from '../workload/workload-contract';

/** When Argo Rollouts scales the service's Deployment down, once the Rollout has taken its pods over. */
export enum WorkloadScaleDown {
  /** Step by step as the Rollout's pods become ready, so capacity never drops (the default). */
  PROGRESSIVELY = 'progressively',
  /** At once, when the Rollout is healthy. */
  ON_SUCCESS = 'onsuccess',
  /** Never: the Deployment keeps running beside the Rollout. */
  NEVER = 'never',
}

/**
 * Properties of an ArgoRollout.
 */
export interface ArgoRolloutProps {
  /** The service whose pods the Rollout takes over from its Deployment (`workloadRef`). */
  readonly service: IGoMicroservice;
  /** A canary in steps, or blue-green. */
  readonly strategy: RolloutStrategy;
  /**
   * When the service's Deployment is scaled down.
   * @default WorkloadScaleDown.PROGRESSIVELY
   */
  readonly scaleDown?: WorkloadScaleDown;
}

const DEFAULT_STEPS = [
  CanaryStep.weight(10), CanaryStep.pause(Duration.minutes(5)),
  CanaryStep.weight(25), CanaryStep.pause(Duration.minutes(5)),
  CanaryStep.weight(50), CanaryStep.pause(Duration.minutes(5)),
];

/**
 * An Argo Rollouts Rollout that takes a GoMicroservice's pods over from its Deployment (`workloadRef`, the pod
 * template stays in the Deployment) and releases new versions as a canary or blue-green, with automated analysis on
 * the service's own metrics: a failing analysis aborts the release and sends all traffic back to the stable version.
 *
 * The service's HPA then scales the Rollout; Argo CD is told to leave the replica counts the controllers set alone.
 * Objects: the Rollout named like the service (id `Resource`), the AnalysisTemplate `<name>-analysis` (id
 * `Analysis`), and for blue-green the preview Service (id `PreviewService`).
 *
 * @example
 * new ArgoRollout(chart, 'payments-rollout', { service: payments, strategy: RolloutStrategy.blueGreen() });
 */
export class ArgoRollout extends Construct {
  /** The Rollout. */
  public readonly apiObject: ApiObject;
  /** The AnalysisTemplate, unless the strategy runs no analysis. */
  public readonly analysisTemplate?: ApiObject;
  /** The preview Service of a blue-green Rollout. */
  public readonly previewService?: k8s.KubeService;

  private switchedBy?: string[];

  /**
   * @param scope usually the service's chart
   * @param id the construct id
   * @param props the service and the strategy
   */
  constructor(scope: Construct, id: string, props: ArgoRolloutProps) {
    super(scope, id);
    checkProps(this, 'ArgoRolloutProps', props);
    const service = props.service;
    const scaleDown = props.scaleDown ?? WorkloadScaleDown.PROGRESSIVELY;
    const analysisName = `${service.name}-analysis`;
    const wave = (kind: string) => syncWaveAnnotations(this, kind);
    let strategy: any;
    if (props.strategy.kind === 'canary') {
      const options = props.strategy.canaryOptions!;
      if (!options.withoutAnalysis) this.analysisTemplate = this.analysis(service, options, analysisName);
      strategy = { canary: this.canary(options, this.analysisTemplate !== undefined ? analysisName : undefined) };
    } else {
      const options = props.strategy.blueGreenOptions!;
      const previewName = options.previewServiceName ?? `${service.name}-preview`;
      checkDns1035(this, 'previewServiceName', previewName);
      if (previewName === service.name) {
        throw GantryError.of(this, 'previewServiceName', previewName, 'is the active Service, so the preview would take the live traffic',
          `give the preview a Service of its own, such as '${service.name}-preview'`);
      }
      this.previewService = new KubeService(this, 'PreviewService', {
        metadata: { name: previewName, namespace: service.namespace, labels: { ...service.labels }, annotations: wave('Service') },
        spec: {
          type: 'ClusterIP',
          selector: { ...service.selectorLabels },
          // The active Service's ports, rendered; their target ports are names.
          ports: (service.service.toJson().spec.ports as any[]).map((p) => ({ ...p, targetPort: k8s.IntOrString.fromString(String(p.targetPort)) })),
        },
      });
      if (!options.withoutAnalysis) this.analysisTemplate = this.analysis(service, options, analysisName, 5);
      strategy = { blueGreen: this.blueGreen(options, service.name, previewName, this.analysisTemplate !== undefined ? analysisName : undefined) };
    }

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: service.name, namespace: service.namespace, labels: { ...service.labels }, annotations: wave('Rollout') },
      spec: {
        // With an HPA the count is the HPA's to set; without one, the service's.
        replicas: Lazy.any({ produce: () => (service.hpa === undefined ? service.minPods : undefined) }),
        revisionHistoryLimit: 5,
        selector: { matchLabels: { ...service.selectorLabels } },
        workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.deploymentName, scaleDown },
        strategy,
      },
    });
    service.handOver({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: service.name });
    if (service.hpa !== undefined) ControllerManagedFields.of(this.apiObject).add('/spec/replicas');
    this.node.addValidation({ validate: () => this.templateProblems() });
    registerValuesSource(this, {
      group: valuesGroupOf(service.name),
      declare: (registry) => declareRolloutValues(registry, this, {
        service, rollout: this.apiObject, companions: [this.analysisTemplate, this.previewService], switchedBy: this.switchedBy,
      }),
    });
  }

  /**
   * Puts the Rollout under the Helm switch of the construct that owns it (an IstioCanary's), instead of its own.
   * @internal
   */
  public _switchedBy(path: string[]): void {
    this.switchedBy = path;
  }

  private analysis(service: IGoMicroservice, options: CanaryStrategyOptions | BlueGreenStrategyOptions, name: string, count?: number): ApiObject {
    const template = new CanaryAnalysis(this, 'Analysis', service, options.analysis ?? {}, name, count).apiObject;
    const wave = syncWaveAnnotations(this, 'AnalysisTemplate');
    for (const [k, v] of Object.entries(wave ?? {})) template.metadata.addAnnotation(k, v);
    return template;
  }

  private canary(options: CanaryStrategyOptions, analysisName?: string): any {
    const steps = options.steps ?? DEFAULT_STEPS;
    if (steps.length === 0) {
      throw GantryError.of(this, 'strategy.steps', '[]', 'is empty, so a new version would take all traffic at once',
        'give steps such as [CanaryStep.weight(10), CanaryStep.pause(Duration.minutes(5))], or use RolloutStrategy.blueGreen()');
    }
    const args = [{ name: HASH_ARG, valueFrom: { podTemplateHashValue: 'Latest' } }];
    const templates = analysisName !== undefined ? [{ templateName: analysisName }] : undefined;
    const rendered = steps.map((step, i) => {
      if (step.runsAnalysis && templates === undefined) {
        throw GantryError.of(this, `strategy.steps[${i}]`, 'CanaryStep.analysis()', 'runs an analysis, but the strategy has none (withoutAnalysis)',
          'remove the step, or drop \'withoutAnalysis\'');
      }
      return step.runsAnalysis ? { analysis: { templates, args } } : step._toRollouts(this, `strategy.steps[${i}]`);
    });
    const istio = options.istio;
    return {
      steps: rendered,
      // In the background from the first step on: a failure at any point aborts and sends all traffic back.
      analysis: templates !== undefined && !steps.some((s) => s.runsAnalysis) ? { templates, args, startingStep: 1 } : undefined,
      trafficRouting: istio !== undefined ? {
        istio: {
          virtualService: { name: istio.virtualServiceName, routes: [...istio.routes] },
          destinationRule: { name: istio.destinationRuleName, canarySubsetName: istio.canarySubsetName, stableSubsetName: istio.stableSubsetName },
        },
      } : undefined,
    };
  }

  private blueGreen(options: BlueGreenStrategyOptions, activeService: string, previewService: string, analysisName?: string): any {
    const scaleDownDelaySeconds = checkSeconds(this, 'strategy.scaleDownDelay', options.scaleDownDelay ?? Duration.seconds(30), 0, 86400);
    return {
      activeService,
      previewService,
      autoPromotionEnabled: options.autoPromotion ?? false,
      scaleDownDelaySeconds,
      prePromotionAnalysis: analysisName !== undefined
        ? { templates: [{ templateName: analysisName }], args: [{ name: HASH_ARG, valueFrom: { podTemplateHashValue: 'Latest' } }] }
        : undefined,
    };
  }

  /** Every AnalysisTemplate the rendered Rollout names exists in the app, in the Rollout's namespace. */
  private templateProblems(): string[] {
    const rollout = this.apiObject.toJson();
    const named = JSON.stringify(rollout.spec?.strategy ?? {}).match(/"templateName":"[^"]*"/g) ?? [];
    const existing = new Set(this.node.root.node.findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject && c.kind === 'AnalysisTemplate' && c.metadata.namespace === rollout.metadata.namespace)
      .map((t) => t.name));
    return [...new Set(named.map((n) => n.slice('"templateName":"'.length, -1)))].filter((n) => !existing.has(n))
      .map((n) => GantryError.format(this, 'strategy.analysis.templateName', n, 'names no AnalysisTemplate of this app in the Rollout\'s namespace',
        'remove the JSON patch that renamed it, or define the template'));
  }
}
