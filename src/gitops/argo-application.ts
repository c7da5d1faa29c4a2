import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { checkDestination, checkSourceRepo, controllerManagedDifferences, syncPolicy } from './application-spec';
import { ArgoProject } from './argo-project';
import { ArgoNotification, ArgoSyncOptions } from './argo-sync';
import { ApplicationSource } from './argo-types';
import { checkRepoPath, checkRevision } from './git';
import { checkDns1035 } from '../core/checks';
import { checkProps } from '../core/props';
import { Environment } from '../environment/environment';

/**
 * A Helm chart in the repository, with the values files of an environment, as an Application's source.
 */
export interface ArgoHelmSource {
  /** The chart's path in the repository, such as `dist/helm/shop`. */
  readonly chartPath: string;
  /** Values files, relative to the chart, such as `values-prod.yaml`. */
  readonly valueFiles: string[];
}

/**
 * Properties of an ArgoApplication.
 */
export interface ArgoApplicationProps {
  /** The environment the application deploys. */
  readonly environment: Environment;

  /** The project; the environment must be one of its destinations and the repository one of its sources. */
  readonly project: ArgoProject;

  /** The Git repository Gantry's output is committed to. */
  readonly repoURL: string;

  /**
   * The revision to track.
   * @default - the environment's revision, else 'main'
   */
  readonly revision?: string;

  /**
   * The path of the environment's manifests in the repository.
   * @default 'dist/<environment name>'
   */
  readonly path?: string;

  /**
   * Deploy a Helm chart with values files instead of the plain manifests.
   * @default - the plain manifests at `path`
   */
  readonly helm?: ArgoHelmSource;

  /**
   * The Application's name.
   * @default '<project>-<environment>'
   */
  readonly name?: string;

  /**
   * How the application syncs.
   * @default - automated with prune and selfHeal, PruneLast, 5 retries with backoff from 5s to 3m
   */
  readonly sync?: ArgoSyncOptions;

  /**
   * Notification subscriptions.
   * @default - none
   */
  readonly notifications?: ArgoNotification[];
}

/**
 * An Argo CD `Application` that deploys one Environment from Git: automated sync with prune and selfHeal, retry with
 * backoff, the resources finalizer (deleting the Application deletes what it deployed), and `ignoreDifferences` on
 * `/spec/replicas` of every HPA-managed Deployment.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/
 */
export class ArgoApplication extends Construct {
  /** The Application's name. */
  public readonly name: string;
  /** The Application object. */
  public readonly apiObject: ApiObject;

  /**
   * @param scope usually the chart of the Argo CD objects
   * @param id the construct id
   * @param props the application
   */
  constructor(scope: Construct, id: string, props: ArgoApplicationProps) {
    super(scope, id);
    checkProps(this, 'ArgoApplicationProps', props);
    const { environment: env, project } = props;
    this.name = props.name ?? `${project.name}-${env.name}`;
    checkDns1035(this, 'name', this.name);
    checkSourceRepo(this, project, props.repoURL);
    const revision = props.revision ?? env.revision ?? 'main';
    checkRevision(this, 'revision', revision);
    const sync = props.sync ?? {};
    checkDestination(this, project, env, sync);
    syncPolicy(this, sync, false); // checks the options now, not while rendering

    let source: ApplicationSource;
    if (props.helm) {
      checkRepoPath(this, 'helm.chartPath', props.helm.chartPath);
      props.helm.valueFiles.forEach((f, i) => checkRepoPath(this, `helm.valueFiles[${i}]`, f));
      source = { repoURL: props.repoURL, targetRevision: revision, path: props.helm.chartPath, helm: { valueFiles: [...props.helm.valueFiles] } };
    } else {
      const path = props.path ?? `dist/${env.name}`;
      checkRepoPath(this, 'path', path);
      source = { repoURL: props.repoURL, targetRevision: revision, path };
    }

    const annotations: { [key: string]: string } = {};
    for (const n of props.notifications ?? []) annotations[n.annotation] = n.value;

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: this.name,
        namespace: project.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'cdk8s-gantry', 'gantry.dev/environment': env.name },
        annotations: Object.keys(annotations).length ? annotations : undefined,
        // Deleting the Application deletes what it deployed, instead of orphaning it.
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: Lazy.any({
        produce: () => {
          const ignoreDifferences = controllerManagedDifferences([env], true);
          return {
            project: project.name,
            source,
            destination: env.cluster._toDestination(env.namespace),
            syncPolicy: syncPolicy(this, sync, ignoreDifferences.length > 0),
            ignoreDifferences: ignoreDifferences.length ? ignoreDifferences : undefined,
            revisionHistoryLimit: 10,
          };
        },
      }),
    });
    this.apiObject.addDependency(project.apiObject);
  }
}
