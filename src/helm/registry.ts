import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { TemplateHook, valuesRef } from './template-hooks';
import { GantryError } from '../core/errors';

// What constructs declare for a Helm export: values (default and schema) and templated places in objects.
// Declaring is cheap and happens at definition time; nothing is rendered unless a chart is exported.

/** A value in values.yaml. */
export interface ValueDeclaration {
  /** The keys from the values root. */
  readonly path: string[];
  /** The JSON schema of the value. */
  readonly schema: any;
  /** The default. */
  readonly defaultValue?: any;
  /** Or: read the default from this field of this object, as synthesized. */
  readonly defaultFrom?: { apiObject: ApiObject; pointer: string };
  /**
   * A boolean that switches objects (or parts of them) a construct adds: an environment without that construct gets
   * the switch off in its values file, instead of differing from the chart.
   */
  readonly structural?: boolean;
}

/**
 * The templated places of one object, and the conditions it is rendered under (all must hold). Lists are created when
 * first used: a chart of thousands of services has tens of thousands of these.
 */
export interface ObjectTemplate {
  readonly hooks: TemplateHook[];
  conditions?: string[];
  /** Top-level fields whose block becomes a named template (`define`), which the object includes. */
  defines?: { readonly field: string; readonly name: string }[];
}

export class ValueRegistry {
  private readonly declarations = new Map<string, { decl: ValueDeclaration; owner: IConstruct }>();
  private readonly templates = new Map<ApiObject, ObjectTemplate>();

  /** Declares a value. Two declarations of one key are an error. */
  public declare(owner: IConstruct, decl: ValueDeclaration): void {
    const key = decl.path.join('.');
    const existing = this.declarations.get(key);
    if (existing !== undefined) {
      throw GantryError.of(owner, 'values', key, `is declared twice, here and by ${existing.owner.node.path}`, 'expose one of them under another key');
    }
    this.declarations.set(key, { decl, owner });
  }

  public hook(apiObject: ApiObject, hook: TemplateHook): void {
    this.template(apiObject).hooks.push(hook);
  }

  /** Renders `apiObject` only when the template `expression` is true (and its other conditions). */
  public condition(apiObject: ApiObject, expression: string): void {
    const t = this.template(apiObject);
    (t.conditions ??= []).push(expression);
  }

  /**
   * Writes the top-level `field` of `apiObject` as the named template `name`, which the object includes: other objects
   * can then include it too (a checksum of a ConfigMap's data, for example).
   */
  public define(apiObject: ApiObject, field: string, name: string): void {
    const t = this.template(apiObject);
    (t.defines ??= []).push({ field, name });
  }

  /**
   * Declares the structural switch `path` (a boolean, on by default) and renders `objects` only while it is on. Returns
   * the template reference to it, for the parts of other objects it guards.
   */
  public declareSwitch(owner: IConstruct, path: string[], description: string, objects: (ApiObject | undefined)[]): string {
    this.declare(owner, { path, schema: { type: 'boolean', description }, defaultValue: true, structural: true });
    const ref = valuesRef(path);
    for (const o of objects) if (o !== undefined) this.condition(o, ref);
    return ref;
  }

  public templateOf(apiObject: ApiObject): ObjectTemplate | undefined {
    return this.templates.get(apiObject);
  }

  /**
   * A registry for one export: the declarations and templated places of the objects in `objects` only. Each export
   * starts from one, so that constructs declare their values afresh and exports of different scopes do not collide.
   */
  public forObjects(objects: Set<ApiObject>): ValueRegistry {
    const copy = new ValueRegistry();
    for (const [key, d] of this.declarations) {
      if (d.decl.defaultFrom === undefined || objects.has(d.decl.defaultFrom.apiObject)) copy.declarations.set(key, d);
    }
    for (const [o, t] of this.templates) {
      if (!objects.has(o)) continue;
      copy.templates.set(o, { hooks: [...t.hooks], conditions: t.conditions && [...t.conditions], defines: t.defines && [...t.defines] });
    }
    return copy;
  }

  /** Whether the value `path` is declared. */
  public has(path: string[]): boolean {
    return this.declarations.has(path.join('.'));
  }

  public all(): ValueDeclaration[] {
    return [...this.declarations.values()].map((d) => d.decl);
  }

  private template(apiObject: ApiObject): ObjectTemplate {
    let t = this.templates.get(apiObject);
    if (t === undefined) {
      t = { hooks: [] };
      this.templates.set(apiObject, t);
    }
    return t;
  }
}

const REGISTRIES = new WeakMap<IConstruct, ValueRegistry>();

/** The registry of the app `scope` belongs to. */
export function registryOf(scope: IConstruct): ValueRegistry {
  const root = scope.node.root;
  let registry = REGISTRIES.get(root);
  if (registry === undefined) {
    registry = new ValueRegistry();
    REGISTRIES.set(root, registry);
  }
  return registry;
}

/**
 * A construct that declares Helm values for its objects when a chart is exported: the values group (the top-level key
 * of its values and the name of its template file) and what to declare.
 */
export interface ValuesSource {
  readonly group: string;
  /** Declares the construct's values and templated places. Called once per export, after the app is defined. */
  declare(registry: ValueRegistry): void;
}

/** The values key (and template file) of a service name: `orders-api` becomes `ordersApi`. */
export function valuesGroupOf(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

const SOURCES = new WeakMap<IConstruct, ValuesSource>();

/** Registers `construct` as a values source: a Helm export of any scope that holds it asks it for its values. */
export function registerValuesSource(construct: IConstruct, source: ValuesSource): void {
  SOURCES.set(construct, source);
}

/** The values source registered for `construct`, if any. */
export function valuesSourceOf(construct: IConstruct): ValuesSource | undefined {
  return SOURCES.get(construct);
}
