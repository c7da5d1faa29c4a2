import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValueRegistry, valuesGroupOf } from '../helm/registry';
import { fieldBlockHook, scalarHook, valuesRef } from '../helm/template-hooks';
import { IGoMicroservice } from '../workload/workload-contract';

// The Helm values of an Argo Rollout: a switch, so that one chart serves environments that release through Argo
// Rollouts and environments that do not (the Deployment then keeps its pods, and the HPA scales it), and the
// replica count the service's own value sets.

/** What a Rollout's values are made from. */
export interface RolloutValuesState {
  readonly service: IGoMicroservice;
  /** The Rollout, and the objects that exist only with it (its AnalysisTemplate, a blue-green preview Service). */
  readonly rollout: ApiObject;
  readonly companions: (ApiObject | undefined)[];
  /**
   * The switch, when a construct that owns the Rollout declares it (an IstioCanary's `canary.enabled`); else the
   * Rollout declares `<service>.rollout.enabled`.
   */
  readonly switchedBy?: string[];
}

export function declareRolloutValues(registry: ValueRegistry, owner: IConstruct, s: RolloutValuesState): void {
  const group = valuesGroupOf(s.service.name);
  const objects = [s.rollout, ...s.companions];
  let ref: string;
  if (s.switchedBy === undefined) {
    ref = registry.declareSwitch(owner, [group, 'rollout', 'enabled'], 'Release through the Argo Rollouts Rollout; false leaves the pods to the Deployment', objects);
  } else {
    ref = valuesRef(s.switchedBy);
    for (const o of objects) if (o !== undefined) registry.condition(o, ref);
  }
  // Without an HPA the Rollout runs the service's replica count, as the Deployment would.
  if (s.service.hpa === undefined) registry.hook(s.rollout, scalarHook('/spec/replicas', valuesRef([group, 'replicas'])));
  // The HPA scales the Rollout while there is one, else the Deployment.
  const hpa = s.service.hpa?.apiObject;
  if (hpa !== undefined) {
    registry.hook(hpa, fieldBlockHook('/spec/scaleTargetRef', (indent) => [
      `${indent}{{- if ${ref} }}`,
      ...targetLines(indent, s.service.scaleTargetApiVersion, s.service.scaleTargetKind, s.service.scaleTargetName),
      `${indent}{{- else }}`,
      ...targetLines(indent, 'apps/v1', 'Deployment', s.service.deploymentName),
      `${indent}{{- end }}`,
    ]));
  }
}

function targetLines(indent: string, apiVersion: string, kind: string, name: string): string[] {
  return [`${indent}scaleTargetRef:`, `${indent}  apiVersion: ${apiVersion}`, `${indent}  kind: ${kind}`, `${indent}  name: ${name}`];
}
