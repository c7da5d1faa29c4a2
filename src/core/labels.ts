/**
 * The Kubernetes recommended labels Gantry puts on every object it emits.
 *
 * `app.kubernetes.io/name` and `app.kubernetes.io/instance` form the selector; they never change for the life of a
 * service, so a Deployment's immutable `spec.selector` stays valid across releases. The other labels describe and may
 * change (`version` follows the image tag).
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */
export class RecommendedLabels {
  /** `app.kubernetes.io/name`: the service name. In the selector. */
  public static readonly NAME = 'app.kubernetes.io/name';
  /** `app.kubernetes.io/instance`: the instance (the service name, unless set). In the selector. */
  public static readonly INSTANCE = 'app.kubernetes.io/instance';
  /** `app.kubernetes.io/version`: the application version (the image tag, unless set). */
  public static readonly VERSION = 'app.kubernetes.io/version';
  /** `app.kubernetes.io/component`: the component within the architecture (`server` unless set). */
  public static readonly COMPONENT = 'app.kubernetes.io/component';
  /** `app.kubernetes.io/part-of`: the higher-level application this service belongs to. */
  public static readonly PART_OF = 'app.kubernetes.io/part-of';
  /** `app.kubernetes.io/managed-by`: always `cdk8s-gantry`. */
  public static readonly MANAGED_BY = 'app.kubernetes.io/managed-by';
  /** The value of `app.kubernetes.io/managed-by`. */
  public static readonly MANAGER = 'cdk8s-gantry';

  private constructor() {}
}

/** `labels` without the keys whose value is undefined. */
export function compactLabels(labels: { [key: string]: string | undefined }): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(labels)) if (v !== undefined) out[k] = v;
  return out;
}

/** The `app.kubernetes.io/version` an image gives: its tag, when the tag is a valid label value. */
export function versionOfTag(tag: string | undefined): string | undefined {
  return tag !== undefined && /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(tag) ? tag : undefined;
}
