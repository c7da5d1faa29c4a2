import { k8s } from 'cdk8s-plus-28';

/**
 * Who may connect to a GoMicroservice's ports, for its NetworkPolicy.
 *
 * @example
 * IngressPeer.namespace('ingress-nginx')
 * IngressPeer.pods({ 'app.kubernetes.io/name': 'checkout' })
 */
export class IngressPeer {
  /** Every pod in the service's own namespace. */
  public static sameNamespace(): IngressPeer {
    return new IngressPeer({ podSelector: {} }, 'the same namespace');
  }

  /** Every pod in the namespace `name` (matched by its `kubernetes.io/metadata.name` label). */
  public static namespace(name: string): IngressPeer {
    return new IngressPeer({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } }, `namespace ${name}`);
  }

  /** Pods with these labels in the service's own namespace. */
  public static pods(labels: { [key: string]: string }): IngressPeer {
    return new IngressPeer({ podSelector: { matchLabels: { ...labels } } }, 'labelled pods');
  }

  /** Pods with these labels in the namespace `namespace`. */
  public static podsInNamespace(namespace: string, labels: { [key: string]: string }): IngressPeer {
    return new IngressPeer({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
      podSelector: { matchLabels: { ...labels } },
    }, `labelled pods in ${namespace}`);
  }

  /** Addresses in a CIDR block, such as a load balancer's health-check range. */
  public static ipBlock(cidr: string): IngressPeer {
    return new IngressPeer({ ipBlock: { cidr } }, `addresses ${cidr}`);
  }

  private constructor(
    private readonly peer: k8s.NetworkPolicyPeer,
    /** A short description, for messages. */
    public readonly description: string,
  ) {}

  /**
   * The peer as a Kubernetes `NetworkPolicyPeer`, a copy of its own.
   * @internal
   */
  public _toKube(): k8s.NetworkPolicyPeer {
    return JSON.parse(JSON.stringify(this.peer));
  }
}
