import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { GantryError } from '../core/errors';
import { WorkloadTrack } from '../workload/tracks';
import { IGoMicroservice } from '../workload/workload-contract';

/** The Istio objects of a service, and the Deployments whose pods they route to. */
export interface MeshObjects {
  readonly service: IGoMicroservice;
  readonly virtualService: ApiObject;
  readonly destinationRule: ApiObject;
  readonly tracks: WorkloadTrack[];
}

/**
 * Checks the rendered VirtualService and DestinationRule, after any JSON patch: the weights of each route add up to
 * 100, every subset a route names exists, every subset selects pods (Istio answers 503 "no healthy upstream" for one
 * that selects none, analyzer IST0173), and the routes point at the service's host. Returns the errors for `scope`.
 */
export function meshProblems(scope: IConstruct, o: MeshObjects): string[] {
  const errors: string[] = [];
  const vs = o.virtualService.toJson().spec ?? {};
  const dr = o.destinationRule.toJson().spec ?? {};
  const subsets = new Map<string, { [key: string]: string }>((dr.subsets ?? []).map((s: any) => [s.name, s.labels ?? {}]));
  const podLabels = [o.service.deployment, ...o.tracks.map((t) => t.deployment)].map((d) => d.toJson().spec?.template?.metadata?.labels ?? {});

  for (const [name, labels] of subsets) {
    if (!podLabels.some((pod) => Object.entries(labels).every(([k, v]) => pod[k] === v))) {
      errors.push(GantryError.format(scope, `destinationRule.subsets.${name}`, JSON.stringify(labels),
        'selects no pod of the service, so Istio would answer 503 "no healthy upstream" for it',
        'remove the JSON patch that changed the subset or the pod labels'));
    }
  }
  (vs.http ?? []).forEach((route: any, i: number) => {
    const where = `virtualService.http[${i}]${route.name ? ` (${route.name})` : ''}`;
    const destinations: any[] = route.route ?? [];
    const weights = destinations.map((d) => d.weight).filter((w) => w !== undefined);
    const total = weights.reduce((a: number, b: number) => a + b, 0);
    if (weights.length > 0 && (total !== 100 || weights.some((w: number) => !Number.isInteger(w) || w < 0))) {
      errors.push(GantryError.format(scope, `${where}.route`, weights.join(' + '), `gives weights that add up to ${total}, not 100`,
        'give whole percentages that add up to 100'));
    }
    for (const d of [...destinations.map((r) => r.destination), route.mirror].filter((x) => x !== undefined)) {
      if (d.host !== dr.host) {
        errors.push(GantryError.format(scope, `${where}.destination.host`, d.host, `is not the host of the DestinationRule (${dr.host})`,
          'route to the service\'s own host'));
      } else if (d.subset !== undefined && !subsets.has(d.subset)) {
        errors.push(GantryError.format(scope, `${where}.destination.subset`, d.subset,
          `is not a subset of the DestinationRule (it has ${[...subsets.keys()].join(', ') || 'none'})`, 'name one of its subsets'));
      }
    }
  });
  if (!(vs.hosts ?? []).includes(dr.host)) {
    errors.push(GantryError.format(scope, 'virtualService.hosts', JSON.stringify(vs.hosts ?? []), `does not name the service's host ${dr.host}`,
      'keep the service\'s host first'));
  }
  return errors;
}
