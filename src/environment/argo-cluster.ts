import { IConstruct } from 'constructs';
import { GantryError } from '../core/errors';

/**
 * A cluster Argo CD deploys to: the one it runs in, or one registered with it, by API server URL or by name.
 */
export class ArgoCluster {
  /** The cluster Argo CD runs in (`https://kubernetes.default.svc`). */
  public static inCluster(): ArgoCluster {
    return new ArgoCluster('https://kubernetes.default.svc', undefined);
  }

  /** A cluster by its API server URL, as registered in Argo CD. */
  public static byServer(url: string): ArgoCluster {
    return new ArgoCluster(url, undefined);
  }

  /** A cluster by the name it is registered under in Argo CD. */
  public static byName(name: string): ArgoCluster {
    return new ArgoCluster(undefined, name);
  }

  private constructor(
    /** The API server URL, when the cluster is given by URL. */
    public readonly server?: string,
    /** The registered name, when the cluster is given by name. */
    public readonly name?: string,
  ) {}

  /**
   * `server: ...` or `name: ...`, as Argo CD's destination takes it.
   * @internal
   */
  public _toDestination(namespace: string): { server?: string; name?: string; namespace: string } {
    return this.server !== undefined ? { server: this.server, namespace } : { name: this.name, namespace };
  }

  /** Whether the two point at the same cluster. */
  public sameAs(other: ArgoCluster): boolean {
    return this.server === other.server && this.name === other.name;
  }

  /** The URL or the name, for messages. */
  public toString(): string {
    return this.server ?? this.name ?? '';
  }
}

/**
 * Checks a cluster where an environment receives it: a server that is not an http(s) URL, or an empty name, would give
 * Argo CD a destination it cannot resolve, and the environment would never deploy.
 */
export function checkCluster(scope: IConstruct, property: string, cluster: ArgoCluster): void {
  if (cluster.server !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(cluster.server);
    } catch {
      url = undefined;
    }
    const ok = url !== undefined && (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== ''
      && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
    if (!ok) {
      throw GantryError.of(scope, property, cluster.server, 'is not a Kubernetes API server URL (an https URL without credentials, query or fragment)',
        'use the URL the cluster is registered under in Argo CD, such as ArgoCluster.byServer(\'https://10.0.0.1:6443\'), or ArgoCluster.byName(\'prod\')');
    }
  } else if (cluster.name === undefined || cluster.name.trim() === '' || cluster.name !== cluster.name.trim()) {
    throw GantryError.of(scope, property, cluster.name, 'is not a cluster name Argo CD can look up (empty, or with spaces around it)',
      'use the name the cluster is registered under in Argo CD (argocd cluster list), such as ArgoCluster.byName(\'prod\')');
  }
}
