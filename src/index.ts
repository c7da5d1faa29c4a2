// The public API of cdk8s-gantry, by layer (docs/architecture.md). Every name is exported on purpose: helpers that
// constructs share stay inside their modules. `GantryError` extends `Error`, which jsii cannot model: TypeScript users
// import it from 'cdk8s-gantry/lib/core/errors'; every language can use `GantryErrors.isGantryError`.

// core
export { GantryErrors } from './core/errors';
export { IntOrPercent } from './core/int-or-percent';
export { RecommendedLabels } from './core/labels';
export { ControllerManagedFields } from './core/managed-fields';

// environment
export { ArgoCluster } from './environment/argo-cluster';
export { Environment, type EnvironmentAlerting, type EnvironmentProps } from './environment/environment';
export { type ServiceOverrides } from './environment/service-overrides';

// helm
export { type HelmChartOptions, HelmExport } from './helm/helm-export';
export { type ExposeValueOptions, HelmValues, ValueType } from './helm/helm-values';

// autoscaling
export { type ExternalMetricOptions, HpaMetric, type ObjectMetricOptions, type PodsMetricOptions } from './autoscaling/hpa-metric';
export { HpaPolicy, type HpaPolicyOptions, type HpaPolicyProps, type IScalableWorkload } from './autoscaling/hpa-policy';
export { ScalingPolicy, type ScalingRules, ScalingSelect } from './autoscaling/scaling-rules';

// network
export { IngressPeer } from './network/ingress-peer';
export { type IngressRule, type NetworkPolicyOptions } from './network/network-policy';

// monitoring
export { type AlertOptions, type AlertPresets, AlertSeverity } from './monitoring/alert-options';
export { Instrumentation } from './monitoring/instrumentation';
export { type MetricNames } from './monitoring/metric-names';
export { type AvailabilityObjective, type LatencyObjective, type RatioObjective } from './monitoring/objectives';
export {
  type IMonitorable, PrometheusMonitor, type PrometheusMonitorOptions, type PrometheusMonitorProps, type Relabeling, ScrapeTarget,
} from './monitoring/prometheus-monitor';

// workload
export { GoMicroservice } from './workload/go-microservice';
export { type IGoMicroservice, type PodControllerRef } from './workload/workload-contract';
export { type TrackOptions, type WorkloadTrack } from './workload/tracks';
export {
  type DisruptionBudgetOptions, type GoMicroserviceProps, type GracefulShutdownOptions, type HealthChecks, type SecretKeyReference,
  type SecurityOptions, type TopologySpreadOptions,
} from './workload/go-microservice-props';
export { type GrpcHealthCheckOptions, HealthCheck, type HealthCheckOptions, type HttpHealthCheckOptions, ProbeKind } from './workload/health-check';
export { RollingDeployment, type RollingUpdateOptions, type RolloutOptions } from './workload/rolling-deployment';

// delivery
export { ArgoRollout, type ArgoRolloutProps, WorkloadScaleDown } from './delivery/argo-rollout';
export { BlueGreenDeployment, type BlueGreenDeploymentProps, DeploymentColor } from './delivery/blue-green-deployment';
export { type CanaryAnalysisOptions } from './delivery/canary-analysis';
export { CanaryStep } from './delivery/canary-step';
export {
  type BlueGreenStrategyOptions, type CanaryOptions, type CanaryStrategyOptions, type IstioTrafficRouting, RolloutStrategy,
} from './delivery/rollout-strategy';

// mesh
export { CanaryMatch } from './mesh/canary-match';
export { type HttpRetryOptions, IstioCanary, type IstioCanaryProps } from './mesh/istio-canary';
export { IstioCircuitBreaker, type IstioCircuitBreakerProps } from './mesh/istio-circuit-breaker';
export { type ConnectionPoolOptions, IstioTlsMode, type OutlierDetectionOptions, type TrafficPolicyOptions } from './mesh/traffic-policy';

// gitops
export { ArgoAppOfApps, type ArgoAppOfAppsProps } from './gitops/argo-app-of-apps';
export { ArgoApplication, type ArgoApplicationProps, type ArgoHelmSource } from './gitops/argo-application';
export { ApplicationSetGenerator, ArgoApplicationSet, type ArgoApplicationSetProps } from './gitops/argo-application-set';
export { ArgoProject, type ArgoProjectProps, type ResourceKind } from './gitops/argo-project';
export { ArgoNotification, type ArgoSyncOptions } from './gitops/argo-sync';

// app
export { GantryApp } from './app/gantry-app';

// terraform (cdktf is loaded only when an export runs)
export {
  type TerraformAddOptions, TerraformExport, type TerraformExportOptions, type TerraformManifestOptions, type TerraformStackOptions,
} from './terraform/terraform-export';
export { type ExecProviderOptions, type KubeconfigProviderOptions, TerraformBackend, TerraformKubernetesProvider } from './terraform/terraform-provider';
