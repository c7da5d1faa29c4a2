import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { checkDestination, checkSourceRepo, controllerManagedDifferences, syncPolicy } from './application-spec';
import { ArgoProject } from './argo-project';
import { ArgoSyncOptions } from './argo-sync';
import { checkRepoPath, checkRevision } from './git';
import { checkDns1035 } from '../core/checks';
import { GantryError } from '../core/errors';
import { checkProps } from '../core/props';
import { Environment } from '../environment/environment';

/** Where an ApplicationSet takes its environments from. */
export enum ApplicationSetGenerator {
  /** A list generator with one element per environment (name, cluster, namespace, revision, path). */
  LIST = 'list',
  /**
   * A cluster generator: one Application per cluster secret labelled `gantry.dev/environment: <name>`, for fleets
   * where clusters come and go. Each environment's namespace, revision and path go in the selector's values.
   */
  CLUSTERS = 'clusters',
}

/**
 * Properties of an ArgoApplicationSet.
 */
export interface ArgoApplicationSetProps {
  /** The environments to generate Applications for. */
  readonly environments: Environment[];

  /** The project of the generated Applications; every environment must be one of its destinations. */
  readonly project: ArgoProject;

  /** The Git repository Gantry's output is committed to. */
  readonly repoURL: string;

  /**
   * The revision to track where an environment sets none.
   * @default 'main'
   */
  readonly revision?: string;

  /**
   * The folder holding one folder of manifests per environment.
   * @default 'dist'
   */
  readonly pathPrefix?: string;

  /**
   * Where the environments come from.
   * @default ApplicationSetGenerator.LIST
   */
  readonly generator?: ApplicationSetGenerator;

  /**
   * The ApplicationSet's name; generated Applications are `<name>-<environment>`.
   * @default - the project name
   */
  readonly name?: string;

  /**
   * How the generated Applications sync.
   * @default - automated with prune and selfHeal, PruneLast, 5 retries with backoff from 5s to 3m
   */
  readonly sync?: ArgoSyncOptions;
}

/**
 * An Argo CD `ApplicationSet` that generates one Application per environment (or per labelled cluster): the way to
 * run a fleet. Go templates with `missingkey=error`, so a missing parameter fails instead of rendering empty.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/
 */
export class ArgoApplicationSet extends Construct {
  /** The ApplicationSet's name. */
  public readonly name: string;
  /** The ApplicationSet object. */
  public readonly apiObject: ApiObject;

  /**
   * @param scope usually the chart of the Argo CD objects
   * @param id the construct id
   * @param props the application set
   */
  constructor(scope: Construct, id: string, props: ArgoApplicationSetProps) {
    super(scope, id);
    checkProps(this, 'ArgoApplicationSetProps', props);
    const { project } = props;
    this.name = props.name ?? project.name;
    checkDns1035(this, 'name', this.name);
    if (props.environments.length === 0) {
      throw GantryError.of(this, 'environments', '[]', 'is empty, so no Application is generated', 'list the environments to deploy');
    }
    checkSourceRepo(this, project, props.repoURL);
    const prefix = props.pathPrefix ?? 'dist';
    checkRepoPath(this, 'pathPrefix', prefix);
    const sync = props.sync ?? {};
    syncPolicy(this, sync, false);
    const elements = props.environments.map((env) => {
      checkDestination(this, project, env, sync);
      const revision = env.revision ?? props.revision ?? 'main';
      checkRevision(this, `environments.${env.name}.revision`, revision);
      return { env: env.name, namespace: env.namespace, revision, path: `${prefix}/${env.name}`, server: env.cluster.server, clusterName: env.cluster.name };
    });
    const generator = props.generator ?? ApplicationSetGenerator.LIST;
    if (generator === ApplicationSetGenerator.LIST && new Set(elements.map((e) => `${e.server ?? e.clusterName}/${e.namespace}`)).size !== elements.length) {
      throw GantryError.of(this, 'environments', elements.map((e) => e.env).join(', '), 'has two environments with the same cluster and namespace',
        'give each environment its own namespace or cluster');
    }
    const byServer = elements.every((e) => e.server !== undefined);
    if (generator === ApplicationSetGenerator.LIST && !byServer && elements.some((e) => e.server !== undefined)) {
      // One template serves every element: it names the cluster by `server` or by `name`, not both. Rendered with
      // missingkey=error, the elements without the key would fail, and their environments would never deploy.
      const by = (server: boolean) => elements.filter((e) => (e.server !== undefined) === server).map((e) => e.env).join(', ');
      throw GantryError.of(this, 'environments', elements.map((e) => e.env).join(', '),
        `mix clusters given by URL (${by(true)}) and by name (${by(false)}), which one ApplicationSet template cannot address`,
        'give every environment its cluster the same way (ArgoCluster.byServer or ArgoCluster.byName), or use one ApplicationSet for each kind');
    }

    const element = (e: typeof elements[number]) => ({
      env: e.env, namespace: e.namespace, revision: e.revision, path: e.path, ...(byServer ? { server: e.server } : { cluster: e.clusterName }),
    });
    const generators = generator === ApplicationSetGenerator.LIST
      ? [{ list: { elements: elements.map(element) } }]
      : elements.map((e) => ({
        clusters: {
          selector: { matchLabels: { 'gantry.dev/environment': e.env } },
          values: { env: e.env, namespace: e.namespace, revision: e.revision, path: e.path },
        },
      }));
    // The cluster generator gives {{.server}} and {{.values.*}}; the list generator the element's keys.
    const p = (key: string) => (generator === ApplicationSetGenerator.LIST ? `{{.${key}}}` : `{{.values.${key}}}`);
    const destination = generator === ApplicationSetGenerator.CLUSTERS || byServer
      ? { server: '{{.server}}', namespace: p('namespace') }
      : { name: '{{.cluster}}', namespace: p('namespace') };

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: this.name, namespace: project.namespace, labels: { 'app.kubernetes.io/managed-by': 'cdk8s-gantry' } },
      spec: Lazy.any({
        produce: () => {
          const ignoreDifferences = controllerManagedDifferences(props.environments, false);
          return {
            goTemplate: true,
            goTemplateOptions: ['missingkey=error'],
            // Deleting or renaming the ApplicationSet must not delete what its Applications deployed: without this, the
            // Applications' finalizers would cascade into every environment's workloads.
            syncPolicy: { preserveResourcesOnDeletion: true },
            generators,
            template: {
              metadata: {
                name: `${this.name}-${p('env')}`,
                labels: { 'app.kubernetes.io/managed-by': 'cdk8s-gantry', 'gantry.dev/environment': p('env') },
                finalizers: ['resources-finalizer.argocd.argoproj.io'],
              },
              spec: {
                project: project.name,
                source: { repoURL: props.repoURL, targetRevision: p('revision'), path: p('path') },
                destination,
                syncPolicy: syncPolicy(this, sync, ignoreDifferences.length > 0),
                ignoreDifferences: ignoreDifferences.length ? ignoreDifferences : undefined,
                revisionHistoryLimit: 10,
              },
            },
          };
        },
      }),
    });
    this.apiObject.addDependency(project.apiObject);
  }
}
