import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { retryPolicy } from './application-spec';
import { checkRepoPath, checkRepoUrl, checkRevision } from './git';
import { checkDns1035, checkNamespace } from '../core/checks';
import { GantryError } from '../core/errors';
import { checkProps } from '../core/props';

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

  /**
   * The name of the root's own AppProject.
   * @default - the root Application's name
   */
  readonly projectName?: string;
}

/** What the root may create: Argo CD's own objects, in Argo CD's namespace, and nothing else. */
const ARGO_CD_KINDS = ['AppProject', 'Application', 'ApplicationSet'].map((kind) => ({ group: 'argoproj.io', kind }));

/**
 * The root Application of the app-of-apps pattern, for teams without ApplicationSet: an admin applies it once with
 * `kubectl apply`; it syncs the project and the per-environment Applications from Git. It runs in an AppProject of its
 * own (not Argo CD's permissive `default`): that project allows this repository only, Argo CD's namespace on the
 * cluster Argo CD runs in only, and only AppProjects, Applications and ApplicationSets; no cluster-scoped kind. A
 * mistaken commit in the folder it syncs can therefore create no workload, and delete none outside Argo CD's objects.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/cluster-bootstrapping/
 */
export class ArgoAppOfApps extends Construct {
  /** The root Application object. */
  public readonly apiObject: ApiObject;

  /** The root's own AppProject. */
  public readonly project: ApiObject;

  /**
   * @param scope a chart of its own: it is applied by hand, not synced with the Applications it creates
   * @param id the construct id, and the name unless `name` is set
   * @param props the root application
   */
  constructor(scope: Construct, id: string, props: ArgoAppOfAppsProps) {
    super(scope, id);
    checkProps(this, 'ArgoAppOfAppsProps', props);
    const name = props.name ?? id;
    checkDns1035(this, 'name', name);
    const namespace = props.namespace ?? 'argocd';
    checkNamespace(this, 'namespace', namespace);
    checkRepoUrl(this, 'repoURL', props.repoURL);
    const revision = props.revision ?? 'main';
    checkRevision(this, 'revision', revision);
    const path = props.path ?? 'dist';
    checkRepoPath(this, 'path', path);
    const projectName = props.projectName ?? name;
    checkDns1035(this, 'projectName', projectName);
    if (projectName === 'default') {
      throw GantryError.of(this, 'projectName', projectName, 'would replace Argo CD\'s built-in default project and its permissions',
        'leave projectName unset, or name the root\'s project something else');
    }
    const destination = { server: 'https://kubernetes.default.svc', namespace };
    this.project = new ApiObject(this, 'Project', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: projectName, namespace },
      spec: {
        description: `The app-of-apps root ${name}: Argo CD objects from ${props.repoURL} only`,
        sourceRepos: [props.repoURL],
        destinations: [destination],
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: ARGO_CD_KINDS,
      },
    });
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace, finalizers: ['resources-finalizer.argocd.argoproj.io'] },
      spec: {
        project: projectName,
        source: { repoURL: props.repoURL, targetRevision: revision, path, directory: { include: props.include ?? 'argocd.k8s.yaml' } },
        destination,
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          retry: retryPolicy(this, {}),
        },
      },
    });
    this.apiObject.addDependency(this.project);
  }
}
