import { ContainerResources } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { checkDns1035, checkEnvName, checkInt, checkReplicas } from '../core/checks';
import { GantryError } from '../core/errors';
import { checkImageTag } from '../core/image';

/**
 * What one environment changes in one service. Everything left out keeps the service's own definition.
 */
export interface ServiceOverrides {
  /**
   * The image tag (the repository stays as defined).
   * @default - the defined image
   */
  readonly imageTag?: string;

  /**
   * The replica count, for a service without an HPA.
   * @default - the defined count
   */
  readonly replicas?: number;

  /**
   * The HPA's fewest pods.
   * @default - the defined value
   */
  readonly minReplicas?: number;

  /**
   * The HPA's most pods.
   * @default - the defined value
   */
  readonly maxReplicas?: number;

  /**
   * Requests and limits; each value left out keeps the defined one.
   * @default - the defined resources
   */
  readonly resources?: ContainerResources;

  /**
   * Environment variables added to, or replacing, the defined ones.
   * @default - none
   */
  readonly env?: { [name: string]: string };
}

/**
 * Checks an environment's service overrides where they enter, so that a mistake names the environment and the
 * override (`services.orders.maxReplicas`), not the service that would have received it. What can only be judged
 * together with the service's own definition (a `maxReplicas` below its `minReplicas`) is checked by the service.
 */
export function checkServiceOverrides(scope: IConstruct, services: { [serviceName: string]: ServiceOverrides }): void {
  for (const [service, o] of Object.entries(services)) {
    const at = `services.${service}`;
    checkDns1035(scope, at, service, 50);
    if (o === undefined || o === null) continue;
    if (o.imageTag !== undefined) checkImageTag(scope, `${at}.imageTag`, o.imageTag);
    if (o.replicas !== undefined) checkReplicas(scope, `${at}.replicas`, o.replicas);
    if (o.minReplicas !== undefined) checkReplicas(scope, `${at}.minReplicas`, o.minReplicas);
    if (o.maxReplicas !== undefined) checkInt(scope, `${at}.maxReplicas`, o.maxReplicas, 1, 10000, 'use a value from 1 to 10000');
    if (o.minReplicas !== undefined && o.maxReplicas !== undefined && o.maxReplicas < o.minReplicas) {
      throw GantryError.of(scope, `${at}.maxReplicas`, o.maxReplicas, `is below ${at}.minReplicas (${o.minReplicas})`,
        `raise it to ${o.minReplicas} or more, or lower minReplicas`);
    }
    if (o.replicas !== undefined && (o.minReplicas !== undefined || o.maxReplicas !== undefined)) {
      throw GantryError.of(scope, `${at}.replicas`, o.replicas, 'is set together with minReplicas or maxReplicas, which are for a service with an HPA',
        'override replicas for a service without autoscaling, or minReplicas and maxReplicas for one with it');
    }
    for (const name of Object.keys(o.env ?? {})) checkEnvName(scope, `${at}.env.${name}`, name);
  }
}
