import { ApiObject, Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ArgoProject } from './argo-project';
import { ArgoSyncOptions } from './argo-sync';
import { apiGroupOf, IgnoreDifferences, RetryStrategy, SyncPolicy } from './argo-types';
import { checkRepoUrl } from './git';
import { checkInt, checkSeconds } from '../core/checks';
import { goDuration } from '../core/duration';
import { GantryError } from '../core/errors';
import { ControllerManagedFields } from '../core/managed-fields';
import { Environment } from '../environment/environment';

// What an Application and an ApplicationSet's template share: sync policy and ignored differences.

/**
 * The labels of a namespace Argo CD creates: the Pod Security admission controller enforces the restricted profile in
 * it (and audits and warns with the same profile), so no pod that Gantry would refuse can run there either.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export const RESTRICTED_NAMESPACE_LABELS: Record<string, string> = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
};

/**
 * `spec.syncPolicy`, with `RespectIgnoreDifferences` when something is ignored, and the restricted Pod Security labels
 * on a namespace Argo CD creates (`managedNamespaceMetadata`, which Argo CD applies only with `CreateNamespace=true`).
 */
export function syncPolicy(scope: IConstruct, options: ArgoSyncOptions, ignoresDifferences: boolean): SyncPolicy {
  const retry = retryPolicy(scope, options);
  const syncOptions = [
    ...(options.createNamespace ? ['CreateNamespace=true'] : []),
    ...((options.pruneLast ?? true) ? ['PruneLast=true'] : []),
    ...(options.serverSideApply ? ['ServerSideApply=true'] : []),
    ...(ignoresDifferences ? ['RespectIgnoreDifferences=true'] : []),
  ];
  return {
    automated: (options.automated ?? true) ? { prune: options.prune ?? true, selfHeal: options.selfHeal ?? true } : undefined,
    syncOptions: syncOptions.length ? syncOptions : undefined,
    retry,
    managedNamespaceMetadata: options.createNamespace ? { labels: { ...RESTRICTED_NAMESPACE_LABELS } } : undefined,
  };
}

/** `syncPolicy.retry`: retries with exponential backoff (5s doubling to 3m, 5 times, unless the options say otherwise). */
export function retryPolicy(scope: IConstruct, options: ArgoSyncOptions): RetryStrategy {
  const limit = options.retryLimit ?? 5;
  checkInt(scope, 'sync.retryLimit', limit, 0, 100);
  const backoff = checkSeconds(scope, 'sync.retryBackoff', options.retryBackoff ?? Duration.seconds(5), 1, 3600);
  const maxBackoff = checkSeconds(scope, 'sync.retryMaxBackoff', options.retryMaxBackoff ?? Duration.minutes(3), backoff, 86400);
  return { limit, backoff: { duration: goDuration(backoff), factor: 2, maxDuration: goDuration(maxBackoff) } };
}

/** Checks that `url` is a repository URL Argo CD can clone and one the project allows. */
export function checkSourceRepo(scope: IConstruct, project: ArgoProject, url: string): void {
  checkRepoUrl(scope, 'repoURL', url);
  if (!project.sourceRepos.includes(url)) {
    throw GantryError.of(scope, 'repoURL', url, `is not a source repository of project ${project.name} (${project.sourceRepos.join(', ')})`,
      'add it to the project\'s sourceRepos, or use one of those');
  }
}

/**
 * `ignoreDifferences` for the fields controllers own in the environments given (ControllerManagedFields): the replica
 * count of a Deployment an HPA scales, for example. Such Deployments leave the field out anyway; ignoring it keeps a
 * value set by hand or by an older release from being reset on every sync.
 */
export function controllerManagedDifferences(environments: Environment[], withNamespace: boolean): IgnoreDifferences[] {
  const seen = new Map<string, IgnoreDifferences>();
  for (const env of environments) {
    for (const c of env.node.findAll()) {
      if (!(c instanceof ApiObject) || !ControllerManagedFields.has(c)) continue;
      const group = apiGroupOf(c);
      const namespace = withNamespace ? c.metadata.namespace ?? env.namespace : undefined;
      seen.set(`${namespace ?? ''}/${group}/${c.kind}/${c.name}`,
        { group: group || undefined, kind: c.kind, name: c.name, namespace, jsonPointers: ControllerManagedFields.of(c).pointers });
    }
  }
  return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, e]) => e);
}

/** Checks that the project lets the environment be deployed, and creates its namespace if asked. */
export function checkDestination(scope: IConstruct, project: ArgoProject, env: Environment, options: ArgoSyncOptions): void {
  if (!project.allows(env)) {
    const allowed = project.environments.map((e) => `${e.cluster}/${e.namespace}`).join(', ');
    throw GantryError.of(scope, 'environment', `${env.name} (${env.cluster}/${env.namespace})`,
      `is not a destination of project ${project.name} (it allows ${allowed || 'none'})`,
      'add the environment to the project\'s \'environments\', or use a project that has it');
  }
  if (options.createNamespace && !project.clusterResources.some((k) => k.group === '' && k.kind === 'Namespace')) {
    throw GantryError.of(scope, 'sync.createNamespace', true, `needs project ${project.name} to allow the cluster-scoped kind Namespace`,
      'add { group: \'\', kind: \'Namespace\' } to the project\'s clusterResources, or create the namespace outside Argo CD');
  }
}
