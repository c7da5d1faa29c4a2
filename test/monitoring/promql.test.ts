import { Testing } from 'cdk8s';
import { GantryErrors } from '../../src';
import { checkPromQL } from '../../src/monitoring/promql';

describe('checkPromQL', () => {
  const scope = Testing.chart();
  const error = (expr: string) => {
    try {
      checkPromQL(scope, 'expr', expr);
    } catch (e) {
      expect(GantryErrors.isGantryError(e)).toBe(true);
      return (e as Error).message;
    }
    return undefined;
  };

  test('accepts valid expressions, the second of a shape without parsing it again', () => {
    expect(error('sum by (namespace) (rate(http_requests_total{job="a", code=~"5.."}[5m])) > 0.05')).toBeUndefined();
    expect(error('sum by (namespace) (rate(http_requests_total{job="b", code=~"4.."}[10m])) > 0.01')).toBeUndefined();
  });

  test('still refuses a broken expression that looks like a valid shape', () => {
    expect(error('sum by (namespace) (rate(http_requests_total{job="a", code=~"5.."}[5m]) > 0.05')).toContain('is not valid PromQL');
    expect(error('up{job="a"')).toContain('is not valid PromQL (syntax error');
  });

  test('a string holding quotes or braces is blanked whole, not mistaken for syntax', () => {
    expect(error('up{job="a\\"}{"}')).toBeUndefined();
    expect(error('up{job="a\\"}{"')).toContain('is not valid PromQL');
  });

  test('an empty expression is refused', () => {
    expect(error(' ')).toBe("Chart 'test': 'expr' ( ) is not valid PromQL (syntax error at character 2: 'end of expression'); fix the expression");
  });
});
