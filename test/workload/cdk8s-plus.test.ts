import * as kplus from 'cdk8s-plus-28';
import { GoMicroservice } from '../../src';
import { newChart, only, synth } from '../harness';

// A GoMicroservice next to cdk8s-plus workloads: its pods are a cdk8s-plus NetworkPolicy peer, and its objects are
// the typed k8s classes cdk8s-plus itself is built on.

describe('GoMicroservice with cdk8s-plus', () => {
  test('a cdk8s-plus Deployment is allowed to reach the service\'s pods', () => {
    const { chart } = newChart({ namespace: 'shop' });
    const orders = new GoMicroservice(chart, 'orders', { image: 'ghcr.io/acme/orders:1.4.2' });
    const web = new kplus.Deployment(chart, 'web', {
      containers: [{
        image: 'ghcr.io/acme/web:2.0.0',
        portNumber: 8080,
        securityContext: {
          user: 65532,
          group: 65532,
          capabilities: { drop: [kplus.Capability.ALL] },
          seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
        },
      }],
    });
    web.connections.allowTo(orders, { isolation: kplus.PodConnectionsIsolation.POD, ports: [kplus.NetworkPolicyPort.tcp(8080)] });
    const objects = synth(chart);
    const egress = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name !== 'orders');
    expect(egress).toHaveLength(1);
    expect(egress[0].spec.egress).toEqual([{
      to: [{ podSelector: { matchLabels: orders.selectorLabels }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
  });

  test('a cdk8s-plus NetworkPolicy selects the service\'s pods', () => {
    const { chart } = newChart({ namespace: 'shop' });
    const orders = new GoMicroservice(chart, 'orders', { image: 'ghcr.io/acme/orders:1.4.2' });
    const denyEgress = new kplus.NetworkPolicy(chart, 'deny-egress', { selector: orders, egress: { default: kplus.NetworkPolicyTrafficDefault.DENY } });
    const policy = only(synth(chart), 'NetworkPolicy', denyEgress.name);
    expect(policy.spec.podSelector).toEqual({ matchLabels: orders.selectorLabels });
    expect(policy.spec.policyTypes).toEqual(['Egress']);
  });
});
