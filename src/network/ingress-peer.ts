import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { checkLabelKey, checkLabelValue, checkNamespace } from '../core/checks';
import { GantryError } from '../core/errors';

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
   * Checks the peer's namespace, labels and CIDR; errors name `scope` and `property`.
   * @internal
   */
  public _check(scope: IConstruct, property: string): void {
    const namespace = this.peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
    if (namespace !== undefined) checkNamespace(scope, `${property}.namespace`, namespace);
    for (const [key, value] of Object.entries(this.peer.podSelector?.matchLabels ?? {})) {
      checkLabelKey(scope, `${property}.labels.${key}`, key);
      checkLabelValue(scope, `${property}.labels.${key}`, value);
    }
    const cidr = this.peer.ipBlock?.cidr;
    if (cidr !== undefined && !isCidr(cidr)) {
      throw GantryError.of(scope, `${property}.cidr`, cidr, 'is not a CIDR block', 'use an address and a prefix length, such as \'10.0.0.0/16\' or \'2001:db8::/32\'');
    }
  }

  /**
   * The peer as a Kubernetes `NetworkPolicyPeer`, a copy of its own.
   * @internal
   */
  public _toKube(): k8s.NetworkPolicyPeer {
    return JSON.parse(JSON.stringify(this.peer));
  }
}

/** An IPv4 block (a.b.c.d/0-32) or an IPv6 block (hex groups with at most one ::, /0-128). */
function isCidr(cidr: string): boolean {
  const [address, prefix, extra] = String(cidr).split('/');
  if (extra !== undefined || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  const bits = Number(prefix);
  const v4 = address.split('.');
  if (v4.length === 4) return bits <= 32 && v4.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
  const halves = address.split('::');
  if (halves.length > 2 || bits > 128) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  return groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) && (halves.length === 2 ? groups.length < 8 : groups.length === 8);
}
