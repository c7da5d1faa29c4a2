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
