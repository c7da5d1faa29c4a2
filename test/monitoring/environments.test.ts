import { ApiObject } from 'cdk8s';
import { shopEnvironments } from '../../examples/shop/environments';
import { buildShop } from '../../examples/shop/shop';
import { GantryApp } from '../../src';
import { testRuleFiles } from '../support/promtool';

// dev and staging often share one Prometheus. Their rules, loaded together, must write distinct series and alert on
// their own namespace only: every aggregation keeps `namespace`, and the constant SLO series carry it.

function ordersRules(): Map<string, any> {
  const app = new GantryApp({ outdir: '/nonexistent' });
  const envs = shopEnvironments(app);
  for (const env of envs) buildShop(env);
  const rules = new Map<string, any>();
  for (const env of envs) {
    const rule = env.node.findAll().find((c): c is ApiObject => c instanceof ApiObject && c.kind === 'PrometheusRule' && c.name === 'orders')!;
    rules.set(env.name, { groups: rule.toJson().spec.groups.map((g: any) => ({ ...g, rules: g.rules.map(({ annotations, ...r }: any) => r) })) });
  }
  return rules;
}

const requests = (namespace: string, ok: number, failed: number) => [
  { series: `http_requests_total{job="orders", namespace="${namespace}", code="200"}`, values: `0+${ok}x120` },
  { series: `http_requests_total{job="orders", namespace="${namespace}", code="500"}`, values: `0+${failed}x120` },
];

describe('two environments in one Prometheus', () => {
  const rules = ordersRules();

  test('dev burning its budget alerts for dev only, as a warning (dev does not page); staging, healthy, stays silent', () => {
    const result = testRuleFiles([rules.get('dev'), rules.get('staging')], [{
      interval: '1m',
      input_series: [...requests('shop-dev', 980, 20), ...requests('shop-staging', 1000, 0)],
      alert_rule_test: [{
        eval_time: '65m',
        alertname: 'GoServiceErrorBudgetBurnPage',
        exp_alerts: [{ exp_labels: { severity: 'warning', service: 'orders', slo: 'orders-availability', namespace: 'shop-dev', environment: 'dev' } }],
      }, {
        eval_time: '65m',
        alertname: 'GoServiceHighErrorRate',
        exp_alerts: [],
      }],
      promql_expr_test: [
        // One error-ratio series per environment, and one objective per environment.
        { expr: 'count(slo:sli_error:ratio_rate5m{slo="orders-availability"})', eval_time: '65m', exp_samples: [{ labels: '{}', value: 2 }] },
        { expr: 'count(slo:objective:ratio{slo="orders-availability"})', eval_time: '65m', exp_samples: [{ labels: '{}', value: 2 }] },
        {
          expr: 'slo:sli_error:ratio_rate5m{slo="orders-availability", namespace="shop-staging"}',
          eval_time: '65m',
          exp_samples: [{ labels: 'slo:sli_error:ratio_rate5m{environment="staging", namespace="shop-staging", service="orders", slo="orders-availability"}', value: 0 }],
        },
      ],
    }]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  test('staging pages: the same burn there is critical', () => {
    const result = testRuleFiles([rules.get('dev'), rules.get('staging')], [{
      interval: '1m',
      input_series: [...requests('shop-dev', 1000, 0), ...requests('shop-staging', 980, 20)],
      alert_rule_test: [{
        eval_time: '65m',
        alertname: 'GoServiceErrorBudgetBurnPage',
        exp_alerts: [{ exp_labels: { severity: 'critical', service: 'orders', slo: 'orders-availability', namespace: 'shop-staging', environment: 'staging' } }],
      }],
    }]);
    expect(result.output).toContain('SUCCESS');
  });

  test('every alert and recorded series carries its environment; dev has no critical alert', () => {
    for (const [env, file] of rules) {
      const all = file.groups.flatMap((g: any) => g.rules);
      expect(all.every((r: any) => r.labels.environment === env)).toBe(true);
      const severities = new Set(all.filter((r: any) => r.alert).map((r: any) => r.labels.severity));
      expect([...severities].sort()).toEqual(env === 'dev' ? ['warning'] : ['critical', 'warning']);
    }
  });
});
