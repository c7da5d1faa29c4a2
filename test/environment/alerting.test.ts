import { Chart } from 'cdk8s';
import { AlertSeverity, ArgoCluster, Environment, EnvironmentAlerting, GantryApp, GantryErrors, GoMicroservice } from '../../src';

// An environment says how its alerts reach people: whether they page, and the labels Alertmanager routes them by.

function alertsOf(alerting: EnvironmentAlerting | undefined, severity?: AlertSeverity): any[] {
  const app = new GantryApp(); // never synthesized: the rules are read from the object
  const env = new Environment(app, 'dev', { namespace: 'shop-dev', cluster: ArgoCluster.inCluster(), alerting });
  const monitor = new GoMicroservice(new Chart(env, 'orders'), 'orders', { image: 'ghcr.io/acme/orders:1.4.2' })
    .addMonitoring({ availability: { objective: 99.9 }, alerts: severity ? { errorRate: { severity } } : {} });
  return monitor.rules.toJson().spec.groups.flatMap((g: any) => g.rules);
}

describe('Environment alerting', () => {
  test('by default alerts page as their presets say, labelled with the environment', () => {
    const rules = alertsOf(undefined);
    expect(rules.find((r) => r.alert === 'GoServiceHighErrorRate').labels).toEqual({ severity: 'critical', service: 'orders', environment: 'dev' });
    expect(rules.find((r) => r.record === 'slo:error_budget:ratio').labels).toEqual({
      slo: 'orders-availability', service: 'orders', environment: 'dev', namespace: 'shop-dev',
    });
  });

  test('an environment that does not page sends critical alerts as warnings, and adds its routing labels', () => {
    const rules = alertsOf({ page: false, labels: { team: 'checkout' } });
    const alerts = rules.filter((r) => r.alert);
    expect(new Set(alerts.map((r) => r.labels.severity))).toEqual(new Set(['warning']));
    expect(alerts.every((r) => r.labels.team === 'checkout' && r.labels.environment === 'dev')).toBe(true);
  });

  test('an alert whose severity is set explicitly keeps it', () => {
    const rules = alertsOf({ page: false }, AlertSeverity.CRITICAL);
    expect(rules.find((r) => r.alert === 'GoServiceHighErrorRate').labels.severity).toBe('critical');
  });

  test.each([
    ['a label name has a dash', { labels: { 'team-name': 'x' } },
      "Environment 'dev': 'alerting.labels.team-name' (team-name) is not a Prometheus label name (letters, digits and '_', not starting with a digit or '__'); use a name such as 'team_name'"],
    ['a label would replace one Gantry sets', { labels: { severity: 'low' } },
      "Environment 'dev': 'alerting.labels.severity' (severity) is a label Gantry sets on every alert itself; use another name, such as 'team'"],
    ['a label value is empty', { labels: { team: '' } },
      "Environment 'dev': 'alerting.labels.team' (\"\") is not a label value; give a non-empty string"],
  ])('fails when %s', (_what, alerting, message) => {
    let error: any;
    try {
      new Environment(new GantryApp(), 'dev', { namespace: 'shop-dev', cluster: ArgoCluster.inCluster(), alerting });
    } catch (e) {
      error = e;
    }
    expect(GantryErrors.isGantryError(error)).toBe(true);
    expect(error.message).toBe(message);
  });
});
