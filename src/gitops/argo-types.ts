import { ApiObject } from 'cdk8s';

// The parts of Argo CD's Application, ApplicationSet and AppProject specs that Gantry writes, typed after Argo CD's
// own Go types (pkg/apis/application/v1alpha1). Argo CD publishes no TypeScript types; the tests check every object
// against its CRD schema.

/** `RetryStrategy`. */
export interface RetryStrategy {
  readonly limit: number;
  readonly backoff: { readonly duration: string; readonly factor: number; readonly maxDuration: string };
}

/** `SyncPolicy`. */
export interface SyncPolicy {
  readonly automated?: { readonly prune: boolean; readonly selfHeal: boolean };
  readonly syncOptions?: string[];
  readonly retry: RetryStrategy;
  readonly managedNamespaceMetadata?: { readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
}

/** `ResourceIgnoreDifferences`. */
export interface IgnoreDifferences {
  readonly group?: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly jsonPointers: string[];
}

/** `ApplicationDestination`: a cluster by server URL or by name, and a namespace. */
export interface Destination {
  readonly server?: string;
  readonly name?: string;
  readonly namespace: string;
}

/** `ApplicationSource`, for a directory of manifests or a Helm chart. */
export interface ApplicationSource {
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly path: string;
  readonly helm?: { readonly valueFiles: string[] };
  readonly directory?: { readonly include: string };
}

/** The API group of an object (`apps` for `apps/v1`, '' for the core `v1`), as Argo CD names kinds. */
export function apiGroupOf(apiObject: ApiObject): string {
  return apiObject.apiVersion.includes('/') ? apiObject.apiVersion.split('/')[0] : '';
}
