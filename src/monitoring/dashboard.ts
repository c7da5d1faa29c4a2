import { ResolvedMetricNames, Target } from './rules';

// A Grafana dashboard for one Go service: traffic, errors and latency first (the RED method), then saturation and
// the Go runtime. Written as the JSON model Grafana imports; the Grafana sidecar of kube-prometheus-stack loads it
// from a ConfigMap.

interface Panel {
  title: string;
  unit: string;
  targets: { expr: string; legendFormat: string }[];
  description: string;
}

export function dashboardModel(title: string, uid: string, m: ResolvedMetricNames, t: Target): any {
  const sel = `job="${t.service}"${t.namespace ? `, namespace="${t.namespace}"` : ''}`;
  const pods = `${t.namespace ? `namespace="${t.namespace}", ` : ''}pod=~"${t.deployment}-[a-z0-9]+-[a-z0-9]+", container="${t.container}"`;
  const rows: { title: string; panels: Panel[] }[] = [
    {
      title: 'Traffic, errors, latency',
      panels: [
        { title: 'Request rate', unit: 'reqps', description: 'Requests per second, by status code.', targets: [{ expr: `sum by (${m.codeLabel}) (rate(${m.requestsTotal}{${sel}}[$__rate_interval]))`, legendFormat: `{{${m.codeLabel}}}` }] },
        { title: 'Error ratio (5xx)', unit: 'percentunit', description: 'Share of requests answered with 5xx.', targets: [{ expr: `sum(rate(${m.requestsTotal}{${sel}, ${m.codeLabel}=~"5.."}[$__rate_interval])) / sum(rate(${m.requestsTotal}{${sel}}[$__rate_interval]))`, legendFormat: '5xx' }] },
        {
          title: 'Latency percentiles',
          unit: 's',
          description: 'p50, p90 and p99 of the request duration histogram.',
          targets: ['0.5', '0.9', '0.99'].map((q) => ({
            expr: `histogram_quantile(${q}, sum by (le) (rate(${m.requestDurationSeconds}_bucket{${sel}}[$__rate_interval])))`,
            legendFormat: `p${Number(q) * 100}`,
          })),
        },
      ],
    },
    {
      title: 'Saturation',
      panels: [
        { title: 'CPU of limit', unit: 'percentunit', description: 'CPU use per pod, as a share of its limit.', targets: [{ expr: `sum by (pod) (rate(container_cpu_usage_seconds_total{${pods}}[$__rate_interval])) / sum by (pod) (kube_pod_container_resource_limits{${pods}, resource="cpu"})`, legendFormat: '{{pod}}' }] },
        { title: 'Memory of limit', unit: 'percentunit', description: 'Working set per pod, as a share of its limit.', targets: [{ expr: `sum by (pod) (container_memory_working_set_bytes{${pods}}) / sum by (pod) (kube_pod_container_resource_limits{${pods}, resource="memory"})`, legendFormat: '{{pod}}' }] },
        { title: 'CPU throttling', unit: 'percentunit', description: 'Share of CPU periods throttled.', targets: [{ expr: `sum by (pod) (rate(container_cpu_cfs_throttled_periods_total{${pods}}[$__rate_interval])) / sum by (pod) (rate(container_cpu_cfs_periods_total{${pods}}[$__rate_interval]))`, legendFormat: '{{pod}}' }] },
      ],
    },
    {
      title: 'Go runtime',
      panels: [
        { title: 'Goroutines', unit: 'short', description: 'Goroutines per pod.', targets: [{ expr: `sum by (pod) (${m.goroutines}{${sel}})`, legendFormat: '{{pod}}' }] },
        { title: 'GC pause time', unit: 'percentunit', description: 'Share of time in stop-the-world GC pauses.', targets: [{ expr: `sum by (pod) (rate(${m.gcDurationSeconds}_sum{${sel}}[$__rate_interval]))`, legendFormat: '{{pod}}' }] },
        { title: 'Heap of GOMEMLIMIT', unit: 'percentunit', description: 'Heap in use, as a share of GOMEMLIMIT.', targets: [{ expr: `sum by (pod) (${m.heapInuseBytes}{${sel}}) / sum by (pod) (kube_pod_container_resource_limits{${pods}, resource="memory"})`, legendFormat: '{{pod}}' }] },
      ],
    },
  ];

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
