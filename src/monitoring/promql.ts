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

/** Whether the expressions being built were checked already, by the same build at definition. */
let rebuilding = false;

/**
 * Runs `build`, a build of expressions that already ran (and was checked) when its construct was defined, without
 * checking them again: the rules of a monitor are built again when they are written and when a chart is exported.
 */
export function rebuildChecked<T>(build: () => T): T {
  const was = rebuilding;
  rebuilding = true;
  try {
    return build();
  } finally {
    rebuilding = was;
  }
}

/** The shapes (expressions with every string and number blanked) that parsed without error. */
const VALID_SHAPES = new Set<string>();

/**
 * Checks that `expr` parses with Prometheus's own PromQL grammar (syntax, not types: `rate(x)` without a range
 * parses). A broken expression would make the whole PrometheusRule group fail to load. The grammar is the current
 * Prometheus's: an older server may still reject newer syntax, which the tests' `promtool check rules` covers.
 */
export function checkPromQL(scope: IConstruct, property: string, expr: string): void {
  if (rebuilding) return;
  // Expressions of the same shape parse the same: services differ in the label values (strings) and thresholds
  // (numbers) of their expressions, not in their syntax. Each shape is parsed once per process.
  const shape = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\b\d+(?:\.\d+)?\b/g, '0');
  if (VALID_SHAPES.has(shape)) return;
  let errorAt: number | undefined;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (errorAt === undefined && node.type.isError) errorAt = node.from;
      return errorAt === undefined;
    },
  });
  if (errorAt === undefined && expr.trim() !== '') {
    VALID_SHAPES.add(shape);
    return;
  }
  const at = errorAt ?? 0;
  throw GantryError.of(scope, property, expr, `is not valid PromQL (syntax error at character ${at + 1}: '${expr.slice(at, at + 20) || 'end of expression'}')`,
    'fix the expression');
}
