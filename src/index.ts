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
export { Environment, EnvironmentProps, ServiceOverrides } from './environment/environment';

// helm
export { HelmChartOptions, HelmExport } from './helm/helm-export';
export { ExposeValueOptions, HelmValues, ValueType } from './helm/helm-values';

// autoscaling
export { ExternalMetricOptions, HpaMetric, ObjectMetricOptions, PodsMetricOptions } from './autoscaling/hpa-metric';
export { HpaPolicy, HpaPolicyOptions, HpaPolicyProps, IScalableWorkload } from './autoscaling/hpa-policy';
export { ScalingPolicy, ScalingRules, ScalingSelect } from './autoscaling/scaling-rules';

// network
export { IngressPeer } from './network/ingress-peer';
export { NetworkPolicyOptions } from './network/network-policy';

// monitoring
export { AlertOptions, AlertPresets, AlertSeverity } from './monitoring/alert-options';
export { MetricNames } from './monitoring/metric-names';
export {
  AvailabilityObjective, IMonitorable, LatencyObjective, PrometheusMonitor, PrometheusMonitorOptions, PrometheusMonitorProps,
  Relabeling, ScrapeTarget,
} from './monitoring/prometheus-monitor';

// workload
export { GoMicroservice, IGoMicroservice } from './workload/go-microservice';
export {
  DisruptionBudgetOptions, GoMicroserviceProps, GracefulShutdownOptions, HealthChecks, SecretKeyReference, SecurityOptions,
  TopologySpreadOptions,
} from './workload/go-microservice-props';
export { GrpcHealthCheckOptions, HealthCheck, HealthCheckOptions, HttpHealthCheckOptions, ProbeKind } from './workload/health-check';
export { RollingDeployment, RollingUpdateOptions, RolloutOptions } from './workload/rolling-deployment';

// gitops
export { ArgoAppOfApps, ArgoAppOfAppsProps } from './gitops/argo-app-of-apps';
export { ArgoApplication, ArgoApplicationProps, ArgoHelmSource } from './gitops/argo-application';
export { ApplicationSetGenerator, ArgoApplicationSet, ArgoApplicationSetProps } from './gitops/argo-application-set';
export { ArgoProject, ArgoProjectProps, ResourceKind } from './gitops/argo-project';
export { ArgoNotification, ArgoSyncOptions } from './gitops/argo-sync';

// app
export { GantryApp } from './app/gantry-app';
