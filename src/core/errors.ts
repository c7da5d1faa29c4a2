import { IConstruct } from 'constructs';

// `GantryError` extends `Error`, which jsii cannot model, so it is not re-exported from the package's index (which jsii
// compiles); TypeScript users import it from 'cdk8s-gantry/lib/core/errors', every language can use `GantryErrors`.

/**
 * The one error type Gantry throws for invalid input.
 *
 * Every message has the same shape, so a reader can act on it without opening the source:
 * `<Construct> '<path>': '<property>' (<value received>) <what is wrong>; <how to fix it>`.
 *
 * It is thrown while constructs are being defined (before anything is written) or by
 * validations that run at the start of synthesis (before any file is written).
 */
export class GantryError extends Error {
  /**
   * Throws a `GantryError` for `scope`. The construct type is taken from the scope's class.
   *
   * @param scope the construct whose input is wrong
   * @param property the property (a path such as `autoscaling.maxReplicas` where it helps)
   * @param value the value received, shown as given
   * @param problem what is wrong with it
   * @param fix how to fix it
   */
  public static of(scope: IConstruct, property: string, value: any, problem: string, fix: string): GantryError {
    return new GantryError(GantryError.format(scope, property, value, problem, fix), scope.node.path, property);
  }

  /**
   * Formats a message in the library's style without throwing (used by `node.addValidation`).
   */
  public static format(scope: IConstruct, property: string, value: any, problem: string, fix: string): string {
    return `${constructName(scope)} '${scope.node.path}': '${property}' (${show(value)}) ${problem}; ${fix}`;
  }

  /** Whether `x` is a `GantryError`, also across copies of the library. */
  public static isGantryError(x: any): x is GantryError {
    return x !== null && typeof x === 'object' && x.name === 'GantryError';
  }

  /** Path of the construct whose input is wrong. */
  public readonly constructPath: string;

  /** The property that is wrong. */
  public readonly property: string;

  /**
   * @param message the complete message
   * @param constructPath path of the construct whose input is wrong
   * @param property the property that is wrong
   */
  constructor(message: string, constructPath: string, property: string) {
    super(message);
    this.name = 'GantryError';
    this.constructPath = constructPath;
    this.property = property;
    Object.setPrototypeOf(this, GantryError.prototype);
  }
}

function constructName(scope: IConstruct): string {
  return scope.constructor?.name ?? 'Construct';
}

function show(value: any): string {
  if (value === undefined) {
    return 'undefined';
  }
  if (typeof value === 'string') {
    return value === '' ? '""' : value;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value); // NaN, Infinity: JSON would say null
  }
  if (typeof value === 'object' && value !== null && typeof value.toString === 'function' && value.toString !== Object.prototype.toString) {
    return String(value);
  }
  return JSON.stringify(value);
}

/**
 * Recognizes Gantry's errors from any language.
 */
export class GantryErrors {
  /** Whether `x` is an error Gantry threw for invalid input. */
  public static isGantryError(x: any): boolean {
    return GantryError.isGantryError(x);
  }

  private constructor() {}
}
