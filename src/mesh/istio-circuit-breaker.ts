import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { claimDestinationRule, istioHost, joinMesh, meshRuleCondition } from './istio-service';
import { trafficPolicy, TrafficPolicyOptions } from './traffic-policy';
import { checkNamespace } from '../core/checks';
import { checkProps } from '../core/props';
import { syncWaveAnnotations } from '../environment/sync-waves';
import { registerValuesSource, valuesGroupOf } from '../helm/registry';
import { IGoMicroservice } from '../workload/workload-contract';

/**
 * Properties of an IstioCircuitBreaker.
 */
export interface IstioCircuitBreakerProps extends TrafficPolicyOptions {
  /** The service whose callers the DestinationRule protects. */
  readonly service: IGoMicroservice;

  /**
   * The namespace Prometheus runs in: the service's NetworkPolicy lets it reach the sidecar's metrics ports (15090
   * and 15020).
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
}

/**
 * Circuit breaking for the calls to a GoMicroservice in an Istio mesh: a DestinationRule (named like the service,
 * construct id `Resource`) whose `trafficPolicy` limits connections and pending requests, ejects pods that keep
 * failing, and keeps mutual TLS between the sidecars. For a service with an IstioCanary, give these settings to the
 * canary's `trafficPolicy`: a host has one DestinationRule.
 *
 * @example
 * new IstioCircuitBreaker(chart, 'payments-circuit-breaker', { service: payments, outlierDetection: { consecutive5xxErrors: 3 } });
 */
export class IstioCircuitBreaker extends Construct {
  /** The DestinationRule. */
  public readonly destinationRule: ApiObject;

  /**
   * @param scope usually the service's chart
   * @param id the construct id
   * @param props the service and the limits
   */
  constructor(scope: Construct, id: string, props: IstioCircuitBreakerProps) {
    super(scope, id);
    checkProps(this, 'IstioCircuitBreakerProps', props);
    const service = props.service;
    const monitoringNamespace = props.monitoringNamespace ?? 'monitoring';
    checkNamespace(this, 'monitoringNamespace', monitoringNamespace);
    const policy = trafficPolicy(this, props);
    claimDestinationRule(this, service);
    this.destinationRule = new ApiObject(this, 'Resource', {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'DestinationRule',
      metadata: { name: service.name, namespace: service.namespace, labels: { ...service.labels }, annotations: syncWaveAnnotations(this, 'DestinationRule') },
      spec: { host: istioHost(service), trafficPolicy: policy },
    });
    const joined = joinMesh(service, monitoringNamespace);
    // In a Helm chart, a switch: one chart serves environments with and without the breaker (and the mesh).
    registerValuesSource(this, {
      group: valuesGroupOf(service.name),
      declare: (registry) => {
        const ref = registry.declareSwitch(this, [valuesGroupOf(service.name), 'circuitBreaker', 'enabled'],
          'The DestinationRule that breaks the circuit to failing pods (the service is in an Istio mesh)', [this.destinationRule]);
        if (joined) meshRuleCondition(registry, service, ref);
      },
    });
  }
}
