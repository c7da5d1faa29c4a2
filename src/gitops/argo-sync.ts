import { Duration } from 'cdk8s';

/**
 * How Argo CD syncs an application. The defaults sync automatically, prune what Git no longer has, undo changes made
 * in the cluster, and retry with backoff.
 */
export interface ArgoSyncOptions {
  /**
   * Sync automatically when Git changes.
   * @default true
   */
  readonly automated?: boolean;

  /**
   * Delete objects that are no longer in Git (with `automated`).
   * @default true
   */
  readonly prune?: boolean;

  /**
   * Undo changes made in the cluster (with `automated`).
   * @default true
   */
  readonly selfHeal?: boolean;

  /**
   * Create the destination namespace (`CreateNamespace=true`), labelled so that Pod Security admission enforces the
   * restricted profile in it (`managedNamespaceMetadata`); the project must then allow `Namespace`.
   * @default false
   */
  readonly createNamespace?: boolean;

  /**
   * Prune after everything else has synced and is healthy (`PruneLast=true`).
   * @default true
   */
  readonly pruneLast?: boolean;

  /**
   * Apply with server-side apply (`ServerSideApply=true`).
   * @default false
   */
  readonly serverSideApply?: boolean;

  /**
   * How many times a failed sync is retried.
   * @default 5
   */
  readonly retryLimit?: number;

  /**
   * The first retry's delay; each next one doubles, up to `retryMaxBackoff`.
   * @default Duration.seconds(5)
   */
  readonly retryBackoff?: Duration;

  /**
   * The longest delay between retries.
   * @default Duration.minutes(3)
   */
  readonly retryMaxBackoff?: Duration;
}

/**
 * A subscription of the Argo CD notifications controller, as an annotation on the Application.
 *
 * @example
 * ArgoNotification.subscribe('on-sync-failed', 'slack', 'deployments')
 */
export class ArgoNotification {
  /**
   * `notifications.argoproj.io/subscribe.<trigger>.<service>: <recipients>`.
   * @param trigger such as `on-sync-failed`, `on-health-degraded`, `on-deployed`
   * @param service a notification service configured in argocd-notifications-cm, such as `slack`
   * @param recipients channel or address; several separated by ';'
   */
  public static subscribe(trigger: string, service: string, recipients: string): ArgoNotification {
    return new ArgoNotification(`notifications.argoproj.io/subscribe.${trigger}.${service}`, recipients);
  }

  private constructor(
    /** The annotation key. */
    public readonly annotation: string,
    /** The annotation value. */
    public readonly value: string,
  ) {}
}
