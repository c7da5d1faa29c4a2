import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { GoMicroservice, IntOrPercent, RollingDeployment } from '../../src';
import { gantryError, newChart, only, synth } from '../harness';

const IMAGE = 'ghcr.io/acme/orders:1.4.2';
const deploymentSpec = (strategy: RollingDeployment) => {
  const { chart } = newChart();
  new GoMicroservice(chart, 'orders', { image: IMAGE, strategy });
  return only(synth(chart), 'Deployment').spec;
};
const withStrategy = (strategy: () => RollingDeployment) => (c: Construct) => new GoMicroservice(c, 'orders', { image: IMAGE, strategy: strategy() });

describe('RollingDeployment', () => {
  test('rolling update with counts and timings', () => {
    const spec = deploymentSpec(RollingDeployment.rollingUpdate({
      maxSurge: IntOrPercent.count(2),
      maxUnavailable: IntOrPercent.percent(10),
      minReady: Duration.seconds(15),
      progressDeadline: Duration.minutes(5),
      revisionHistoryLimit: 10,
    }));
    const { template, ...rest } = spec;
    expect(rest).toMatchSnapshot();
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: '10%' } });
    expect(spec.minReadySeconds).toBe(15);
    expect(spec.progressDeadlineSeconds).toBe(300);
    expect(spec.revisionHistoryLimit).toBe(10);
  });

  test('recreate has no rollingUpdate block and keeps history for rollback', () => {
    const spec = deploymentSpec(RollingDeployment.recreate());
    expect(spec.strategy).toEqual({ type: 'Recreate' });
    expect(spec.revisionHistoryLimit).toBe(5);
    expect(spec.minReadySeconds).toBe(5);
    expect(spec.progressDeadlineSeconds).toBe(600);
  });

  test('defaults keep full capacity during a rollout', () => {
    const d = RollingDeployment.rollingUpdate();
    expect(d.maxUnavailable!.toString()).toBe('0');
    expect(d.maxSurge!.toString()).toBe('25%');
    expect(d.maxSurge!.pods(3, true)).toBe(1);
  });

  test.each([
    ['maxSurge and maxUnavailable are both zero',
      () => RollingDeployment.rollingUpdate({ maxSurge: IntOrPercent.count(0), maxUnavailable: IntOrPercent.percent(0) }),
      "GoMicroservice 'test/orders': 'strategy.maxUnavailable' (0) cannot be zero when 'strategy.maxSurge' is zero too: the rollout could never replace a pod; set maxSurge to IntOrPercent.percent(25) or maxUnavailable to IntOrPercent.count(1)"],
    ['the progress deadline is not after minReady',
      () => RollingDeployment.rollingUpdate({ minReady: Duration.seconds(30), progressDeadline: Duration.seconds(20) }),
      "GoMicroservice 'test/orders': 'strategy.progressDeadline' (20s) must be longer than 'strategy.minReady' (30s), or every rollout is reported as failed; use at least Duration.seconds(90)"],
    ['no history is kept for rollback',
      () => RollingDeployment.recreate({ revisionHistoryLimit: 0 }),
      "GoMicroservice 'test/orders': 'strategy.revisionHistoryLimit' (0) must be a whole number from 1 to 100; keep at least 1 old ReplicaSet so that a rollout can be undone, such as 5"],
    ['maxSurge is above 100%',
      () => RollingDeployment.rollingUpdate({ maxSurge: IntOrPercent.percent(150) }),
      "GoMicroservice 'test/orders': 'strategy.maxSurge' (150%) must be a whole percentage from 0 to 100; use a value such as IntOrPercent.percent(25)"],
    ['maxUnavailable is negative',
      () => RollingDeployment.rollingUpdate({ maxUnavailable: IntOrPercent.count(-1) }),
      "GoMicroservice 'test/orders': 'strategy.maxUnavailable' (-1) must be a whole number of pods, 0 or more; use a value such as IntOrPercent.count(1)"],
    ['minReady is a fraction of a second',
      () => RollingDeployment.rollingUpdate({ minReady: Duration.millis(500) }),
      "GoMicroservice 'test/orders': 'strategy.minReady' (0.5s) must be a whole number of seconds from 0 to 3600; use a value such as Duration.seconds(1)"],
  ] as [string, () => RollingDeployment, string][])('fails when %s', (_what, strategy, message) => {
    expect(gantryError(withStrategy(strategy)).message).toBe(message);
  });
});
