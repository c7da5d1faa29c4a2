import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { GoMicroservice } from '../../src';
import { ScalingPolicy, ScalingRules, ScalingSelect } from '../../src/autoscaling/scaling-rules';
import { gantryError, newChart, only, synth } from '../harness';

const IMAGE = 'ghcr.io/acme/orders:1.4.2';

/** `spec.behavior` of the HPA of a service scaled with these rules. */
function behaviorOf(rules: { scaleUp?: ScalingRules; scaleDown?: ScalingRules }): any {
  const { chart } = newChart({ namespace: 'shop' });
  new GoMicroservice(chart, 'orders', { image: IMAGE, autoscaling: { maxReplicas: 10, ...rules } });
  return only(synth(chart), 'HorizontalPodAutoscaler').spec.behavior;
}
const scaledWith = (rules: { scaleUp?: ScalingRules; scaleDown?: ScalingRules }) => (c: Construct) =>
  new GoMicroservice(c, 'orders', { image: IMAGE, autoscaling: { maxReplicas: 10, ...rules } });

describe('ScalingPolicy', () => {
  test('a limit in pods or in percent, per period', () => {
    expect(ScalingPolicy.pods(4, Duration.seconds(15))).toMatchObject({ type: 'Pods', value: 4 });
    expect(ScalingPolicy.percent(50, Duration.minutes(1))).toMatchObject({ type: 'Percent', value: 50 });
    expect(ScalingPolicy.percent(50, Duration.minutes(1)).period.toSeconds()).toBe(60);
  });

  test('is written with its period in seconds', () => {
    const policies = [ScalingPolicy.pods(2, Duration.minutes(2)), ScalingPolicy.percent(10, Duration.seconds(30))];
    const behavior = behaviorOf({ scaleUp: { policies } });
    expect(behavior.scaleUp.policies).toEqual([{ type: 'Pods', value: 2, periodSeconds: 120 }, { type: 'Percent', value: 10, periodSeconds: 30 }]);
  });

  test('accepts the largest values: 1000%, 10000 pods, and 30-minute periods (the Kubernetes maximum)', () => {
    const behavior = behaviorOf({
      scaleUp: { policies: [ScalingPolicy.percent(1000, Duration.minutes(30)), ScalingPolicy.pods(10000, Duration.seconds(1))] },
    });
    expect(behavior.scaleUp.policies).toEqual([{ type: 'Percent', value: 1000, periodSeconds: 1800 }, { type: 'Pods', value: 10000, periodSeconds: 1 }]);
  });

  test.each([
    ['a percentage is above 1000', { scaleUp: { policies: [ScalingPolicy.percent(1001, Duration.seconds(15))] } },
      "HpaPolicy 'test/orders/Autoscaling': 'scaleUp.policies[0].value' (1001) must be a whole number from 1 to 1000; use a value from 1 to 1000"],
    ['a pod count is above 10000', { scaleUp: { policies: [ScalingPolicy.pods(10001, Duration.seconds(15))] } },
      "HpaPolicy 'test/orders/Autoscaling': 'scaleUp.policies[0].value' (10001) must be a whole number from 1 to 10000; use a value from 1 to 10000"],
    ['a pod count is a fraction', { scaleDown: { policies: [ScalingPolicy.pods(1.5, Duration.minutes(1))] } },
      "HpaPolicy 'test/orders/Autoscaling': 'scaleDown.policies[0].value' (1.5) must be a whole number from 1 to 10000; use a value from 1 to 10000"],
    ['a period is zero', { scaleDown: { policies: [ScalingPolicy.percent(10, Duration.seconds(0))] } },
      "HpaPolicy 'test/orders/Autoscaling': 'scaleDown.policies[0].period' (0s) must be a whole number of seconds from 1 to 1800; use a value such as Duration.seconds(1)"],
    ['a period is over 30 minutes', { scaleDown: { policies: [ScalingPolicy.percent(10, Duration.minutes(31))] } },
      "HpaPolicy 'test/orders/Autoscaling': 'scaleDown.policies[0].period' (1860s) must be a whole number of seconds from 1 to 1800; use a value such as Duration.seconds(1800)"],
    ['a period is a fraction of a second', { scaleUp: { policies: [ScalingPolicy.pods(1, Duration.millis(1500))] } },
      "HpaPolicy 'test/orders/Autoscaling': 'scaleUp.policies[0].period' (1.5s) must be a whole number of seconds from 1 to 1800; use a value such as Duration.seconds(2)"],
    ['the second policy is wrong, and is named by its index', {
      scaleDown: { policies: [ScalingPolicy.pods(1, Duration.minutes(1)), ScalingPolicy.percent(0, Duration.minutes(1))] },
    }, "HpaPolicy 'test/orders/Autoscaling': 'scaleDown.policies[1].value' (0) must be a whole number from 1 to 1000; use a value from 1 to 1000"],
  ] as [string, { scaleUp?: ScalingRules; scaleDown?: ScalingRules }, string][])('fails when %s', (_what, rules, message) => {
    expect(gantryError(scaledWith(rules)).message).toBe(message);
  });
});

describe('ScalingRules', () => {
  test('defaults: scale up as Kubernetes does, scale down at most half the pods a minute after 5 minutes', () => {
    // Kubernetes' own scale-up default: no stabilization, 100% or 4 pods per 15s, whichever allows more.
    expect(behaviorOf({})).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }],
      },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
    });
  });

  test('each field left out keeps the default of its direction', () => {
    const behavior = behaviorOf({
      scaleUp: { stabilizationWindow: Duration.minutes(1) },
      scaleDown: { policies: [ScalingPolicy.pods(1, Duration.minutes(2))] },
    });
    expect(behavior.scaleUp).toEqual({
      stabilizationWindowSeconds: 60,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }],
    });
    expect(behavior.scaleDown).toEqual({ stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] });
  });

  test.each([
    ['MAX', ScalingSelect.MAX, 'Max'],
    ['MIN', ScalingSelect.MIN, 'Min'],
    ['DISABLED', ScalingSelect.DISABLED, 'Disabled'],
  ])('ScalingSelect.%s is written as selectPolicy %s', (_name, select, written) => {
    expect(behaviorOf({ scaleDown: { select } }).scaleDown.selectPolicy).toBe(written);
  });

  test('the stabilization window may be zero or up to an hour', () => {
    const behavior = behaviorOf({ scaleUp: { stabilizationWindow: Duration.hours(1) }, scaleDown: { stabilizationWindow: Duration.seconds(0) } });
    expect(behavior.scaleUp.stabilizationWindowSeconds).toBe(3600);
    expect(behavior.scaleDown.stabilizationWindowSeconds).toBe(0);
  });

  test('fails when a stabilization window is a fraction of a second', () => {
    expect(gantryError(scaledWith({ scaleUp: { stabilizationWindow: Duration.millis(500) } })).message).toBe(
      "HpaPolicy 'test/orders/Autoscaling': 'scaleUp.stabilizationWindow' (0.5s) must be a whole number of seconds from 0 to 3600; use a value such as Duration.seconds(1)");
  });
});
