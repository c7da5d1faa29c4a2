import { IConstruct } from 'constructs';
import { GantryError } from '../core/errors';

/** What is used of the Lezer tree of @prometheus-io/lezer-promql (Prometheus's own grammar, as its web UI uses it). */
interface PromQLParser {
  parse(input: string): { iterate(spec: { enter(node: { type: { isError: boolean }; from: number }): boolean | void }): void };
}

// The package is ESM with a CommonJS build (dist/index.cjs) that its exports map serves to require(); TypeScript's
// node16 resolution only sees the ESM typings, so it is required and typed here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser }: { parser: PromQLParser } = require('@prometheus-io/lezer-promql');

/**
 * Checks that `expr` parses with Prometheus's own PromQL grammar (syntax, not types: `rate(x)` without a range
 * parses). A broken expression would make the whole PrometheusRule group fail to load. The grammar is the current
 * Prometheus's: an older server may still reject newer syntax, which the tests' `promtool check rules` covers.
 */
export function checkPromQL(scope: IConstruct, property: string, expr: string): void {
  let errorAt: number | undefined;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (errorAt === undefined && node.type.isError) errorAt = node.from;
      return errorAt === undefined;
    },
  });
  if (errorAt !== undefined || expr.trim() === '') {
    const at = errorAt ?? 0;
    throw GantryError.of(scope, property, expr, `is not valid PromQL (syntax error at character ${at + 1}: '${expr.slice(at, at + 20) || 'end of expression'}')`,
      'fix the expression');
  }
}
