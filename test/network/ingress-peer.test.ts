import { GoMicroservice } from '../../src';
import { IngressPeer } from '../../src/network/ingress-peer';
import { newChart, only, synth } from '../harness';

const IMAGE = 'ghcr.io/acme/orders:1.4.2';

// Peers selecting pods by label select other apps' pods, which the chart does not have: the link check (LNK001) is
// accepted for those.
const OTHER_APPS_PODS = ['LNK001'];

/** The peers allowed to reach the service ports of a GoMicroservice's NetworkPolicy. */
function peersOf(allowFrom: IngressPeer[], accept: string[] = []): any[] {
  const { chart } = newChart({ namespace: 'shop' });
  new GoMicroservice(chart, 'orders', { image: IMAGE, networkPolicy: { allowFrom } });
  const policy = only(synth(chart, { accept }), 'NetworkPolicy');
  return policy.spec.ingress[0].from;
}

describe('IngressPeer', () => {
  test('sameNamespace: an empty pod selector, which matches every pod of the policy\'s own namespace', () => {
    expect(peersOf([IngressPeer.sameNamespace()])).toEqual([{ podSelector: {} }]);
  });

  test('namespace: selected by the kubernetes.io/metadata.name label, which the API server sets on every namespace', () => {
    expect(peersOf([IngressPeer.namespace('ingress-nginx')])).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
    ]);
  });

  test('pods: a pod selector alone, so only pods of the policy\'s own namespace', () => {
    expect(peersOf([IngressPeer.pods({ 'app.kubernetes.io/name': 'checkout' })], OTHER_APPS_PODS)).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } } },
    ]);
  });

  test('podsInNamespace: both selectors in one peer, so pods that have the labels AND are in that namespace', () => {
    // Two peers (IngressPeer.namespace() and IngressPeer.pods()) would instead allow either.
    expect(peersOf([IngressPeer.podsInNamespace('checkout', { 'app.kubernetes.io/name': 'checkout' })], OTHER_APPS_PODS)).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'checkout' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } },
    }]);
  });

  test('ipBlock: the CIDR as given', () => {
    expect(peersOf([IngressPeer.ipBlock('10.0.0.0/8')])).toEqual([{ ipBlock: { cidr: '10.0.0.0/8' } }]);
  });

  test('several peers are allowed in the order given', () => {
    expect(peersOf([IngressPeer.ipBlock('10.0.0.0/8'), IngressPeer.sameNamespace()])).toEqual([
      { ipBlock: { cidr: '10.0.0.0/8' } }, { podSelector: {} },
    ]);
  });

  test('changing the labels after making the peer does not change it', () => {
    const labels: { [key: string]: string } = { 'app.kubernetes.io/name': 'checkout' };
    const pods = IngressPeer.pods(labels);
    const inNamespace = IngressPeer.podsInNamespace('checkout', labels);
    labels['app.kubernetes.io/name'] = 'other';
    labels.extra = 'x';
    const [first, second] = peersOf([pods, inNamespace], OTHER_APPS_PODS);
    expect(first.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'checkout' });
    expect(second.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'checkout' });
  });

  test('one peer can serve several services', () => {
    const peer = IngressPeer.namespace('ingress-nginx');
    const { chart } = newChart({ namespace: 'shop' });
    new GoMicroservice(chart, 'orders', { image: IMAGE, networkPolicy: { allowFrom: [peer] } });
    new GoMicroservice(chart, 'payments', { image: 'ghcr.io/acme/payments:3.0.1', networkPolicy: { allowFrom: [peer] } });
    const objects = synth(chart);
    const from = (name: string) => only(objects, 'NetworkPolicy', name).spec.ingress[0].from;
    expect(from('orders')).toEqual(from('payments'));
    expect(from('orders')).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }]);
  });

  test.each([
    ['sameNamespace', IngressPeer.sameNamespace(), 'the same namespace'],
    ['namespace', IngressPeer.namespace('ingress-nginx'), 'namespace ingress-nginx'],
    ['pods', IngressPeer.pods({ app: 'checkout' }), 'labelled pods'],
    ['podsInNamespace', IngressPeer.podsInNamespace('checkout', { app: 'checkout' }), 'labelled pods in checkout'],
    ['ipBlock', IngressPeer.ipBlock('10.0.0.0/8'), 'addresses 10.0.0.0/8'],
  ])('%s describes itself for messages', (_what, peer, description) => {
    expect(peer.description).toBe(description);
  });
});
