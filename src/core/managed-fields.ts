import { ApiObject } from 'cdk8s';
import { GantryError } from './errors';

const FIELDS = new WeakMap<ApiObject, ControllerManagedFields>();

/**
 * The fields of an object that a controller in the cluster owns once the object is applied: the replica count of a
 * Deployment an HPA scales, the route weights Argo Rollouts sets on a VirtualService. A GitOps tool that syncs the
 * object must leave them alone, or every sync fights the controller; Gantry's Argo CD Applications and ApplicationSets
 * list them in `ignoreDifferences`.
 *
 * Gantry's constructs mark the fields they hand to a controller. Mark your own the same way, for example a Deployment
 * that KEDA scales.
 *
 * @example
 * ControllerManagedFields.of(orders.deployment).add('/spec/replicas');
 */
export class ControllerManagedFields {
  /** The managed fields of `apiObject` (none until some are added). */
  public static of(apiObject: ApiObject): ControllerManagedFields {
    let fields = FIELDS.get(apiObject);
    if (fields === undefined) {
      fields = new ControllerManagedFields(apiObject);
      FIELDS.set(apiObject, fields);
    }
    return fields;
  }

  /** Whether `apiObject` has managed fields, without creating an empty record for it. */
  public static has(apiObject: ApiObject): boolean {
    return (FIELDS.get(apiObject)?.pointers.length ?? 0) > 0;
  }

  private readonly added = new Set<string>();

  private constructor(private readonly apiObject: ApiObject) {}

  /**
   * Marks a field as owned by a controller.
   * @param pointer the field, as a JSON pointer such as `/spec/replicas`
   */
  public add(pointer: string): void {
    if (!/^(\/([^~/]|~[01])*)+$/.test(pointer)) {
      throw GantryError.of(this.apiObject, 'pointer', pointer, 'is not a JSON pointer', 'use a pointer such as \'/spec/replicas\'');
    }
    this.added.add(pointer);
  }

  /** The managed fields, as JSON pointers, sorted. */
  public get pointers(): string[] {
    return [...this.added].sort();
  }
}
