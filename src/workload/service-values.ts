import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValueRegistry, valuesGroupOf } from '../helm/registry';
import { TemplateHook, valuesRef } from '../helm/template-hooks';

/**
 * The Helm values of one service, under its values key (its name in camelCase): what each part of the service uses to
 * declare its values and hook them into the objects it builds.
 */
export class ServiceValues {
  /** The values key of a service name: `orders-api` becomes `ordersApi`. */
  public static groupOf(name: string): string {
    return valuesGroupOf(name);
  }

  constructor(public readonly registry: ValueRegistry, public readonly owner: IConstruct, public readonly group: string) {}

  /** The template reference to a value of the service: `.Values.orders.replicas`. */
  public ref(...keys: string[]): string {
    return valuesRef([this.group, ...keys]);
  }

  /** Declares a value with a default, or with the default read from `from` (an object and a JSON pointer). */
  public declare(keys: string[], schema: any, defaultValue?: any, from?: { apiObject: ApiObject; pointer: string }): void {
    this.registry.declare(this.owner, { path: [this.group, ...keys], schema, defaultValue, defaultFrom: from });
  }

  /** Templates a place in `apiObject`. */
  public hook(apiObject: ApiObject, hook: TemplateHook): void {
    this.registry.hook(apiObject, hook);
  }

  /** Renders `apiObject` only when the value `keys` (a boolean) is true. */
  public condition(apiObject: ApiObject, ...keys: string[]): void {
    this.registry.condition(apiObject, this.ref(...keys));
  }
}
