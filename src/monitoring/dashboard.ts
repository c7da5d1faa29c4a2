import { Signals } from './signals';

// A Grafana dashboard for one Go service: traffic, errors and latency first (the RED method), then saturation and
// the Go runtime. Written as the JSON model Grafana imports; the Grafana sidecar of kube-prometheus-stack loads it
// from a ConfigMap.

interface Panel {
  title: string;
  unit: string;
  targets: { expr: string; legendFormat: string }[];
  description: string;
}

/** An objective the dashboard shows: its `slo` label and its error budget (1 - objective). */
export interface DashboardSlo {
  readonly name: string;
  readonly budget: number;
}

export function dashboardModel(title: string, uid: string, s: Signals, slos: DashboardSlo[] = []): any {
  const w = '$__rate_interval';
  const code = s.names.codeLabel;
  const perPod = (panelTitle: string, unit: string, description: string, expr: string): Panel =>
    ({ title: panelTitle, unit, description, targets: [{ expr, legendFormat: '{{pod}}' }] });
  const rows: { title: string; panels: Panel[] }[] = [
    {
      title: 'Traffic, errors, latency',
      panels: [
        { title: 'Request rate', unit: 'reqps', description: 'Requests per second, by status code.', targets: [{ expr: s.requestRate(w, { by: code }), legendFormat: `{{${code}}}` }] },
        {
          title: 'Error ratio',
          unit: 'percentunit',
          description: `Share of requests answered with an error (${code} ${s.names.errorCodes}).`,
          targets: [{ expr: s.errorRatio(w), legendFormat: 'errors' }],
        },
        {
          title: 'Latency percentiles',
          unit: 's',
          description: 'p50, p90 and p99 of the request duration histogram.',
          targets: ['0.5', '0.9', '0.99'].map((q) => ({ expr: s.latencyQuantile(q, w), legendFormat: `p${Number(q) * 100}` })),
        },
      ],
    },
    {
      title: 'Saturation',
      panels: [
        perPod('CPU of limit', 'percentunit', 'CPU use per pod, as a share of its limit.', s.cpuOfLimit(w)),
        perPod('Memory of limit', 'percentunit', 'Working set per pod, as a share of its limit.', s.memoryOfLimit()),
        perPod('CPU throttling', 'percentunit', 'Share of CPU periods throttled.', s.cpuThrottling(w)),
      ],
    },
    {
      title: 'Go runtime',
      panels: [
        perPod('Goroutines', 'short', 'Goroutines per pod.', s.goroutines()),
        perPod('GC pause time', 'percentunit', 'Share of time in stop-the-world GC pauses.', s.gcPauseRatio(w)),
        perPod('Heap of GOMEMLIMIT', 'percentunit', 'Heap in use, as a share of GOMEMLIMIT.', s.heapOfLimit()),
      ],
    },
  ];
  if (slos.length > 0) {
    const sel = (slo: string) => `{slo="${slo}"${s.target.namespace ? `, namespace="${s.target.namespace}"` : ''}}`;
    rows.push({
      title: 'Service level objectives',
      panels: [
        ...slos.map((o) => ({
          title: `Error budget left: ${o.name}`,
          unit: 'percentunit',
          description: 'Share of the period\'s error budget not yet spent (below zero: the objective is missed).',
          targets: [{ expr: `slo:error_budget_remaining:ratio${sel(o.name)}`, legendFormat: 'left' }],
        })),
        {
          title: 'Burn rate (1h)',
          unit: 'short',
          description: 'How fast the error budget burns over the last hour: 1 spends it exactly over the period.',
          targets: slos.map((o) => ({ expr: `slo:sli_error:ratio_rate1h${sel(o.name)} / ${o.budget}`, legendFormat: o.name })),
        },
      ],
    });
  }

  const panels: any[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] });
    y += 1;
    row.panels.forEach((p, i) => {
      panels.push({
        id: id++,
        type: 'timeseries',
        title: p.title,
        description: p.description,
        datasource: { type: 'prometheus', uid: '${datasource}' },
        gridPos: { x: i * 8, y, w: 8, h: 8 },
        fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
        options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
        targets: p.targets.map((target, j) => ({ refId: String.fromCharCode(65 + j), expr: target.expr, legendFormat: target.legendFormat })),
      });
    });
    y += 8;
  }

  return {
    uid,
    title,
    tags: ['gantry', 'go'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: false,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    templating: {
      list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0 }],
    },
    panels,
  };
}

/** Every PromQL expression of the dashboard, with where it is. */
export function dashboardExpressions(model: any): { where: string; expr: string }[] {
  return model.panels.filter((p: any) => p.type !== 'row')
    .flatMap((p: any) => p.targets.map((t: any) => ({ where: `dashboard '${p.title}' ${t.refId}`, expr: t.expr })));
}
