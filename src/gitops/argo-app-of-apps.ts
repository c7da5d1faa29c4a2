import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { retryPolicy } from './application-spec';
import { checkRepoPath, checkRepoUrl, checkRevision } from './git';
import { checkDns1035, checkNamespace } from '../core/checks';

/**
 * Properties of an ArgoAppOfApps.
 */
export interface ArgoAppOfAppsProps {
  /** The Git repository Gantry's output is committed to. */
  readonly repoURL: string;

  /**
   * The revision to track.
   * @default 'main'
   */
  readonly revision?: string;

  /**
   * The folder holding the Argo CD objects' manifest.
   * @default 'dist'
   */
  readonly path?: string;

  /**
   * The file (or glob) in that folder with the Argo CD objects: the project and the Applications.
   * @default 'argocd.k8s.yaml'
   */
  readonly include?: string;

  /**
   * The root Application's name.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The namespace Argo CD runs in.
   * @default 'argocd'
   */
  readonly namespace?: string;
}

/**
 * The root Application of the app-of-apps pattern, for teams without ApplicationSet: an admin applies it once with
 * `kubectl apply`; it syncs the project and the per-environment Applications from Git. It lives in Argo CD's
 * `default` project, which only admins control, because it creates AppProjects and Applications.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/cluster-bootstrapping/
 */
export class ArgoAppOfApps extends Construct {
  /** The root Application object. */
  public readonly apiObject: ApiObject;

  /**
   * @param scope a chart of its own: it is applied by hand, not synced with the Applications it creates
   * @param id the construct id, and the name unless `name` is set
   * @param props the root application
   */
  constructor(scope: Construct, id: string, props: ArgoAppOfAppsProps) {
    super(scope, id);
    const name = props.name ?? id;
    checkDns1035(this, 'name', name);
    const namespace = props.namespace ?? 'argocd';
    checkNamespace(this, 'namespace', namespace);
    checkRepoUrl(this, 'repoURL', props.repoURL);
    const revision = props.revision ?? 'main';
    checkRevision(this, 'revision', revision);
    const path = props.path ?? 'dist';
    checkRepoPath(this, 'path', path);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace, finalizers: ['resources-finalizer.argocd.argoproj.io'] },
      spec: {
        project: 'default',
        source: { repoURL: props.repoURL, targetRevision: revision, path, directory: { include: props.include ?? 'argocd.k8s.yaml' } },
        destination: { server: 'https://kubernetes.default.svc', namespace },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          retry: retryPolicy(this, {}),
        },
      },
    });
  }
}
