import { GoMicroservice, RollingDeployment } from '../../src';
import { IntOrPercent } from '../../src/core/int-or-percent';
import { newChart, only, synth } from '../harness';

describe('IntOrPercent', () => {
  test('a count and a percentage keep their number and kind', () => {
    expect(IntOrPercent.count(3)).toMatchObject({ value: 3, isPercent: false });
    expect(IntOrPercent.percent(25)).toMatchObject({ value: 25, isPercent: true });
  });

  test('is zero for zero pods and for zero percent only', () => {
    expect(IntOrPercent.count(0).isZero).toBe(true);
    expect(IntOrPercent.percent(0).isZero).toBe(true);
    expect(IntOrPercent.count(1).isZero).toBe(false);
    expect(IntOrPercent.percent(1).isZero).toBe(false);
  });

  test('reads as a count or a percentage in messages', () => {
    expect(`${IntOrPercent.count(3)}`).toBe('3');
    expect(`${IntOrPercent.percent(25)}`).toBe('25%');
  });

  test('a count is that many pods, whatever the total', () => {
    expect(IntOrPercent.count(3).pods(10, true)).toBe(3);
    expect(IntOrPercent.count(3).pods(1, false)).toBe(3);
  });

  // As the Deployment controller rounds: maxSurge up (a rollout can always add a pod), maxUnavailable down (it never
  // takes away more than the percentage allows).
  test.each([
    ['25% of 3 pods (0.75)', 25, 3, 1, 0],
    ['33% of 10 pods (3.3)', 33, 10, 4, 3],
    ['10% of 10 pods (exactly 1)', 10, 10, 1, 1],
    ['100% of 7 pods', 100, 7, 7, 7],
    ['0% of 5 pods', 0, 5, 0, 0],
  ])('rounds %s up for maxSurge, down for maxUnavailable', (_what, percent, total, up, down) => {
    expect(IntOrPercent.percent(percent).pods(total, true)).toBe(up);
    expect(IntOrPercent.percent(percent).pods(total, false)).toBe(down);
  });

  test('Kubernetes receives a count as a number and a percentage as a string', () => {
    const { chart } = newChart();
    new GoMicroservice(chart, 'orders', {
      image: 'ghcr.io/acme/orders:1.4.2',
      replicas: 4,
      strategy: RollingDeployment.rollingUpdate({ maxSurge: IntOrPercent.percent(25), maxUnavailable: IntOrPercent.count(1) }),
      disruptionBudget: { minAvailable: IntOrPercent.percent(50) },
    });
    const objects = synth(chart);
    expect(only(objects, 'Deployment').spec.strategy.rollingUpdate).toEqual({ maxSurge: '25%', maxUnavailable: 1 });
    expect(only(objects, 'PodDisruptionBudget').spec.minAvailable).toBe('50%');
  });
});
