import { k8s } from 'cdk8s-plus-28';
import { TrackOptions, WorkloadTrack } from './tracks';
import { HpaPolicy, IScalableWorkload } from '../autoscaling/hpa-policy';
import { IMonitorable, PrometheusMonitor } from '../monitoring/prometheus-monitor';
import { IngressRule } from '../network/network-policy';

// What the layers above the workload (traffic management, progressive delivery) may ask of a service.

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
  /** The Deployment. */
  readonly deployment: k8s.KubeDeployment;
  /** The Service. */
  readonly service: k8s.KubeService;
  /**
   * The NetworkPolicy that admits the service's callers.
   * @default - none, when the service turned it off
   */
  readonly networkPolicy?: k8s.KubeNetworkPolicy;
  /**
   * The service's monitoring, when it has some: its metric names are what canary analysis queries.
   * @default - not monitored
   */
  readonly monitor?: PrometheusMonitor;
  /** The container image of the service's own Deployment. */
  readonly image: string;
  /** The fewest pods the service runs with: the HPA's `minReplicas`, or `replicas`. */
  readonly minPods: number;
  /** The labels that select the pods of the service's own Deployment only (with its track label, once it has tracks). */
  readonly primaryPodSelector: { [key: string]: string };
  /** Runs the service's pods in a second Deployment, as another track. */
  addTrack(track: string, options: TrackOptions): WorkloadTrack;
  /** Lets more peers in, besides what the service's NetworkPolicy allows. */
  allowIngress(rule: IngressRule): void;
  /** Points the Service at the pods of one track only. */
  routeServiceTo(track: string): void;
  /** Hands the service's pods over to another controller, such as an Argo Rollouts Rollout. */
  handOver(controller: PodControllerRef): void;
}

/**
 * A controller that takes over a GoMicroservice's pods from its Deployment (an Argo Rollouts Rollout with
 * `workloadRef`): the HPA scales it instead.
 */
export interface PodControllerRef {
  /** Its `apiVersion`, such as `argoproj.io/v1alpha1`. */
  readonly apiVersion: string;
  /** Its `kind`, such as `Rollout`. */
  readonly kind: string;
  /** Its `metadata.name`. */
  readonly name: string;
}
