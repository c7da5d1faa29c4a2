import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { registryOf } from './registry';
import { scalarHook, structuredHook, valuesRef } from './template-hooks';
import { GantryError } from '../core/errors';

/**
 * The JSON schema type of a Helm value.
 */
export enum ValueType {
  /** A string (`"type": "string"`). */
  STRING = 'string',
  /** A whole number (`"type": "integer"`): replica counts, ports, seconds. */
  INTEGER = 'integer',
  /** Any number. */
  NUMBER = 'number',
  /** `true` or `false`. */
  BOOLEAN = 'boolean',
  /** A map, rendered with `toYaml`. */
  OBJECT = 'object',
  /** A list, rendered with `toYaml`. */
  ARRAY = 'array',
}

/**
 * Options of a value exposed with `HelmValues.expose()`.
 */
export interface ExposeValueOptions {
  /**
   * Where the value goes in `values.yaml`: keys separated by dots, such as `orders.logLevel`.
   */
  readonly key: string;

  /** The object whose field the value sets. */
  readonly apiObject: ApiObject;

  /**
   * The field, as a JSON pointer into the object as synthesized, such as `/spec/template/spec/priorityClassName`.
   * The field must exist: its synthesized value is the value's default.
   */
  readonly field: string;

  /** The value's JSON schema type. */
  readonly type: ValueType;

  /**
   * A description, in `values.schema.json`.
   * @default - none
   */
  readonly description?: string;
}

/**
 * The values a Helm export of this app exposes, and where they go in the templates.
 *
 * Gantry's constructs declare their own (a GoMicroservice's image, replicas, autoscaling bounds, resources, ...).
 * `expose()` adds any other field of any object:
 *
 * @example
 * HelmValues.of(app).expose({
 *   key: 'orders.priorityClassName',
 *   apiObject: orders.deployment,
 *   field: '/spec/template/spec/priorityClassName',
 *   type: ValueType.STRING,
 * });
 */
export class HelmValues {
  /** The values of the app that `scope` belongs to. */
  public static of(scope: IConstruct): HelmValues {
    return new HelmValues(scope.node.root);
  }

  private constructor(private readonly scope: IConstruct) {}

  /**
   * Exposes a field of an object as a value, with the field's synthesized value as its default.
   */
  public expose(options: ExposeValueOptions): void {
    const path = options.key.split('.');
    if (path.some((k) => !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k))) {
      throw GantryError.of(options.apiObject, 'key', options.key, 'is not a values key (names of letters, digits, \'_\' and \'-\', separated by dots)',
        'use a key such as \'orders.priorityClassName\'');
    }
    if (!options.field.startsWith('/')) {
      throw GantryError.of(options.apiObject, 'field', options.field, 'is not a JSON pointer', 'use a pointer such as \'/spec/template/spec/priorityClassName\'');
    }
    const registry = registryOf(this.scope);
    const expression = valuesRef(path);
    const structured = options.type === ValueType.OBJECT || options.type === ValueType.ARRAY;
    const schema: any = { type: options.type };
    if (options.description) schema.description = options.description;
    registry.declare(options.apiObject, { path, schema, defaultFrom: { apiObject: options.apiObject, pointer: options.field } });
    registry.hook(options.apiObject, structured
      ? structuredHook(options.field, expression)
      : scalarHook(options.field, options.type === ValueType.STRING ? `${expression} | quote` : expression));
  }
}
