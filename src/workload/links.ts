import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { GantryError } from '../core/errors';

/** The objects of a service that point at its pods. */
export interface LinkedObjects {
  readonly deployment: ApiObject;
  readonly service: ApiObject;
  readonly podDisruptionBudget?: ApiObject;
  readonly networkPolicy?: ApiObject;
  readonly autoscaler?: ApiObject;
}

/**
 * Checks that the rendered objects, after any JSON patch applied through the escape hatch, still point at the pods:
 * the Service, NetworkPolicy and PodDisruptionBudget select them, and the HPA targets the Deployment. Returns the
 * errors, in the library's message style, for `scope`.
 */
export function linkProblems(scope: IConstruct, o: LinkedObjects): string[] {
  // Gantry renders every selector from the same labels, so only a JSON patch can break a link. Rendering the objects
  // is the expensive part of synthesis, and cdk8s's App runs validations once per chart: skip it when nothing is
  // patched. (`patches` is cdk8s's private list; if it is ever renamed, the check simply always runs.)
  const objects = [o.deployment, o.service, o.podDisruptionBudget, o.networkPolicy, o.autoscaler];
  if (objects.every((x) => x === undefined || (x as any).patches?.length === 0)) return [];

  const deployment = o.deployment.toJson();
  const podLabels: { [key: string]: string } = deployment.spec?.template?.metadata?.labels ?? {};
  const errors: string[] = [];
  const selects = (selector: { [key: string]: string } | undefined) =>
    selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => podLabels[k] === v);
  const check = (what: string, selector: { [key: string]: string } | undefined) => {
    if (!selects(selector)) {
      errors.push(GantryError.format(scope, what, JSON.stringify(selector ?? {}),
        `selects no pod of the Deployment (pod labels ${JSON.stringify(podLabels)})`,
        'remove the JSON patch that changed the selector or the pod labels'));
    }
  };
  if (!selects(deployment.spec?.selector?.matchLabels)) check('deployment.spec.selector', deployment.spec?.selector?.matchLabels);
  check('service.spec.selector', o.service.toJson().spec?.selector);
  if (o.podDisruptionBudget) check('podDisruptionBudget.spec.selector', o.podDisruptionBudget.toJson().spec?.selector?.matchLabels);
  if (o.networkPolicy) check('networkPolicy.spec.podSelector', o.networkPolicy.toJson().spec?.podSelector?.matchLabels);
  const target = o.autoscaler?.toJson().spec?.scaleTargetRef;
  if (target && (target.kind !== 'Deployment' || target.name !== deployment.metadata.name)) {
    errors.push(GantryError.format(scope, 'hpa.spec.scaleTargetRef', `${target.kind}/${target.name}`,
      `does not target the Deployment ${deployment.metadata.name}`, 'remove the JSON patch that changed the target'));
  }
  return errors;
}
