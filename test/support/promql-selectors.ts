// The series a PromQL expression reads: each vector selector's metric name with the label names it matches on, and
// the labels the aggregations around it group by. Parsed with Prometheus's own grammar (@prometheus-io/lezer-promql).

interface Node {
  type: { name: string };
  from: number;
  to: number;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as { parser: { parse(s: string): { iterate(spec: { enter(n: Node): void }): void } } };

/** A series an expression reads. */
export interface SelectedSeries {
  /** The metric name. */
  readonly metric: string;
  /** Label names the selector matches on, and those the enclosing aggregations group by. */
  readonly labels: string[];
  /** The selector's matchers as written, such as `job="orders"`. */
  readonly matchers: string[];
}

export function selectedSeries(expr: string): SelectedSeries[] {
  const selectors: { from: number; to: number; metric: string; labels: Set<string>; matchers: string[] }[] = [];
  const groupings: { from: number; to: number; labels: string[] }[] = [];
  let current: (typeof selectors)[number] | undefined;
  let aggregate: { from: number; to: number } | undefined;
  const nodes: Node[] = [];
  parser.parse(expr).iterate({ enter: (n) => { nodes.push({ type: { name: n.type.name }, from: n.from, to: n.to }); } });
  for (const n of nodes) {
    const text = expr.slice(n.from, n.to);
    switch (n.type.name) {
      case 'VectorSelector':
        current = { from: n.from, to: n.to, metric: '', labels: new Set(), matchers: [] };
        selectors.push(current);
        break;
      case 'Identifier':
        if (current && n.from >= current.from && n.to <= current.to && current.metric === '') current.metric = text;
        break;
      case 'UnquotedLabelMatcher':
        if (current && n.from >= current.from && n.to <= current.to) current.matchers.push(text);
        break;
      case 'AggregateExpr':
        aggregate = { from: n.from, to: n.to };
        break;
      case 'GroupingLabels':
        if (aggregate) groupings.push({ ...aggregate, labels: [] });
        break;
      case 'LabelName':
        if (current && n.from >= current.from && n.to <= current.to) {
          current.labels.add(text);
        } else if (groupings.length > 0 && n.from >= groupings[groupings.length - 1].from && n.to <= groupings[groupings.length - 1].to) {
          groupings[groupings.length - 1].labels.push(text);
        }
        break;
      default:
        break;
    }
  }
  return selectors.map((s) => {
    const grouped = groupings.filter((g) => s.from >= g.from && s.to <= g.to).flatMap((g) => g.labels);
    return { metric: s.metric, labels: [...new Set([...s.labels, ...grouped])].sort(), matchers: s.matchers };
  });
}

/**
 * The series of a Prometheus text exposition: each metric name with the union of its label names. Written here: the
 * format is a line per sample (`name{a="x",b="y"} value`), and only names are needed, not values.
 */
export function exposedSeries(text: string): Map<string, Set<string>> {
  const series = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s/.exec(line);
    if (!m) continue;
    const labels = series.get(m[1]) ?? new Set<string>();
    for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"/g)) labels.add(l[1]);
    series.set(m[1], labels);
  }
  return series;
}
