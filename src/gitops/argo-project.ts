import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { apiGroupOf } from './argo-types';
import { checkRepoUrl } from './git';
import { checkDns1035, checkNamespace } from '../core/checks';
import { GantryError } from '../core/errors';
import { checkProps } from '../core/props';
import { Environment } from '../environment/environment';

/** A Kubernetes kind, by API group, for project allow lists. */
export interface ResourceKind {
  /** The API group (`''` for the core group, `apps`, ...). */
  readonly group: string;
  /** The kind. */
  readonly kind: string;
}

/**
 * Properties of an ArgoProject.
 */
export interface ArgoProjectProps {
  /**
   * The project name.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The namespace Argo CD runs in.
   * @default 'argocd'
   */
  readonly namespace?: string;

  /**
   * A description.
   * @default - none
   */
  readonly description?: string;

  /** The Git repositories the project's applications may come from. */
  readonly sourceRepos: string[];

  /**
   * The environments the project may deploy to: their clusters and namespaces are its only destinations.
   * @default - every Environment of the app
   */
  readonly environments?: Environment[];

  /**
   * Cluster-scoped kinds the project may manage. Least privilege: none unless asked.
   * @default - none
   */
  readonly clusterResources?: ResourceKind[];

  /**
   * Namespace-scoped kinds the project may manage, besides those its environments emit.
   * @default - only the kinds the environments' objects have
   */
  readonly extraNamespaceResources?: ResourceKind[];
}

/**
 * An Argo CD `AppProject` with least privilege: the given source repositories, the environments' clusters and
 * namespaces as its only destinations, no cluster-scoped resources unless asked, and only the namespace-scoped kinds
 * the environments emit.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/
 */
export class ArgoProject extends Construct {
  /** The project name. */
  public readonly name: string;
  /** The namespace Argo CD runs in. */
  public readonly namespace: string;
  /** The allowed source repositories. */
  public readonly sourceRepos: string[];
  /** The cluster-scoped kinds the project may manage. */
  public readonly clusterResources: ResourceKind[];
  /** The AppProject object. */
  public readonly apiObject: ApiObject;

  private readonly explicitEnvironments?: Environment[];

  /**
   * @param scope usually the chart of the Argo CD objects
   * @param id the construct id, and the name unless `name` is set
   * @param props the project
   */
  constructor(scope: Construct, id: string, props: ArgoProjectProps) {
    super(scope, id);
    checkProps(this, 'ArgoProjectProps', props);
    this.name = props.name ?? id;
    checkDns1035(this, 'name', this.name);
    this.namespace = props.namespace ?? 'argocd';
    checkNamespace(this, 'namespace', this.namespace);
    if (!props.sourceRepos || props.sourceRepos.length === 0) {
      throw GantryError.of(this, 'sourceRepos', '[]', 'allows no repository, so no application can sync', 'list the repository Gantry writes to');
    }
    props.sourceRepos.forEach((r, i) => checkRepoUrl(this, `sourceRepos[${i}]`, r));
    this.sourceRepos = [...props.sourceRepos];
    this.explicitEnvironments = props.environments;
    this.clusterResources = (props.clusterResources ?? []).map((k) => ({ group: k.group, kind: k.kind }));

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: this.name, namespace: this.namespace, annotations: { 'argocd.argoproj.io/sync-wave': '-1' } },
      spec: Lazy.any({
        produce: () => ({
          description: props.description,
          sourceRepos: this.sourceRepos,
          destinations: this.environments.map((e) => e.cluster._toDestination(e.namespace)),
          clusterResourceWhitelist: this.clusterResources,
          namespaceResourceWhitelist: this.namespaceKinds(props.extraNamespaceResources ?? []),
          // Secrets are created outside Git (External Secrets, Sealed Secrets, by hand): Gantry only references them.
          orphanedResources: { warn: true, ignore: [{ group: '', kind: 'Secret' }] },
        }),
      }),
    });
  }

  /** The environments this project deploys to. */
  public get environments(): Environment[] {
    return this.explicitEnvironments ?? Environment.all(this);
  }

  /** Whether `environment` is one of this project's destinations. */
  public allows(environment: Environment): boolean {
    return this.environments.some((e) => e.cluster.sameAs(environment.cluster) && e.namespace === environment.namespace);
  }

  private namespaceKinds(extra: ResourceKind[]): ResourceKind[] {
    const kinds = new Map<string, ResourceKind>();
    for (const env of this.environments) {
      for (const o of env.node.findAll()) {
        if (o instanceof ApiObject) {
          const group = apiGroupOf(o);
          kinds.set(`${group}/${o.kind}`, { group, kind: o.kind });
        }
      }
    }
    for (const k of extra) kinds.set(`${k.group}/${k.kind}`, { group: k.group, kind: k.kind });
    return [...kinds.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, k]) => k);
  }
}
