/**
 * Checks that a running service does what its synthesized manifests say: every probe answers on its port, every
 * series the monitoring objects read is exported with the labels they use, and SIGTERM drains and exits within the
 * grace period. Each problem names the service, the object and the field.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { Pod } from './pod';
import { exposedSeries, selectedSeries } from './promql-selectors';

const GRPC_HEALTH_PROBE = path.join(__dirname, '..', '..', '.tools', 'bin', 'grpc-health-probe');

/** Labels Prometheus adds to a scraped series (target labels), which the binary does not export itself. */
const TARGET_LABELS = new Set(['job', 'instance', 'namespace', 'pod', 'container', 'service', 'endpoint']);
/** Series Prometheus writes for every target itself. */
const SCRAPE_SERIES = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

/** Whether the probe passes, and what it got. */
export async function probe(pod: Pod, p: any): Promise<{ ok: boolean; got: string }> {
  if (p.httpGet) {
    const port = typeof p.httpGet.port === 'number' ? p.httpGet.port : pod.ports[p.httpGet.port];
    const url = `http://${pod.address}:${port}${p.httpGet.path}`;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout((p.timeoutSeconds ?? 1) * 1000) });
      return { ok: response.status >= 200 && response.status < 400, got: `GET ${url} answered ${response.status}` };
    } catch (error) {
      return { ok: false, got: `GET ${url} failed: ${(error as Error).message}` };
    }
  }
  if (p.grpc) {
    const addr = `${pod.address}:${p.grpc.port}`;
    const result = spawnSync(GRPC_HEALTH_PROBE, ['-addr', addr, '-service', p.grpc.service ?? '', '-connect-timeout', '1s', '-rpc-timeout', `${p.timeoutSeconds ?? 1}s`], { encoding: 'utf8' });
    return { ok: result.status === 0, got: `gRPC health of '${p.grpc.service ?? ''}' at ${addr}: ${(result.stdout + result.stderr).trim()}` };
  }
  return { ok: false, got: 'an unsupported probe handler' };
}

/** The problems of the Deployment's probes against the running pod, after its startup probe passed. */
export async function probeProblems(service: string, pod: Pod, deployment: any): Promise<string[]> {
  const container = deployment.spec.template.spec.containers[0];
  const problems: string[] = [];
  for (const kind of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
    const p = container[kind];
    if (p === undefined) continue;
    const { ok, got } = await probe(pod, p);
    const field = p.httpGet ? `${kind}.httpGet` : `${kind}.grpc`;
    if (!ok) problems.push(`${service}: Deployment/${deployment.metadata.name} spec.template.spec.containers[0].${field} fails on the binary: ${got}`);
  }
  return problems;
}

/** Every PromQL expression of the monitoring objects and analyses, with where it is. */
export function monitoringExpressions(objects: any[]): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  for (const o of objects) {
    const id = `${o.kind}/${o.metadata.name}`;
    if (o.kind === 'PrometheusRule') {
      for (const g of o.spec.groups) for (const r of g.rules) out.push({ where: `${id} ${r.alert ? `alert ${r.alert}` : `record ${r.record}`}`, expr: r.expr });
    } else if (o.kind === 'AnalysisTemplate') {
      for (const m of o.spec.metrics) out.push({ where: `${id} metric ${m.name}`, expr: m.provider.prometheus.query.replace(/\{\{args\.[a-z-]+\}\}/g, 'x') });
    } else if (o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard) {
      for (const text of Object.values(o.data) as string[]) {
        for (const panel of JSON.parse(text).panels) {
          for (const t of panel.targets ?? []) out.push({ where: `${id} panel '${panel.title}'`, expr: t.expr.replace(/\$__rate_interval/g, '5m') });
        }
      }
    }
  }
  return out;
}

/**
 * The problems of the monitoring objects against what the binary exports on its metrics endpoint: every series read
 * with `job="<service>"` (the service's own metrics; the others come from cAdvisor and kube-state-metrics) must be
 * exported, with every label the expression matches on or groups by.
 */
export function metricProblems(service: string, exposition: string, objects: any[]): string[] {
  const exported = exposedSeries(exposition);
  const problems = new Set<string>();
  for (const { where, expr } of monitoringExpressions(objects)) {
    for (const s of selectedSeries(expr)) {
      if (!s.matchers.includes(`job="${service}"`) || SCRAPE_SERIES.has(s.metric)) continue;
      const labels = exported.get(s.metric);
      if (labels === undefined) {
        problems.add(`${service}: ${where} reads ${s.metric}, which the binary does not export`);
        continue;
      }
      for (const l of s.labels.filter((x) => !TARGET_LABELS.has(x) && !labels.has(x))) {
        problems.add(`${service}: ${where} reads ${s.metric} by its label ${l}, which the binary does not export on it (it has ${[...labels].sort().join(', ') || 'none'})`);
      }
    }
  }
  return [...problems];
}

/**
 * Sends SIGTERM and checks the shutdown the manifests promise: readiness fails at once (the endpoints are removed while
 * the server still serves), and the process exits by itself, with status 0, within the grace period.
 */
export async function shutdownProblems(service: string, pod: Pod, deployment: any): Promise<string[]> {
  const readiness = deployment.spec.template.spec.containers[0].readinessProbe;
  const terminating = pod.terminate();
  const problems: string[] = [];
  let ready = true;
  for (let i = 0; i < 20 && ready; i++) {
    await new Promise((r) => setTimeout(r, 100));
    ready = (await probe(pod, readiness)).ok;
  }
  if (ready) problems.push(`${service}: Deployment/${deployment.metadata.name} readinessProbe still passes 2 s after SIGTERM, so the pod keeps getting traffic while it shuts down`);
  const exit = await terminating;
  const grace = deployment.spec.template.spec.terminationGracePeriodSeconds;
  if (exit.killed) {
    problems.push(`${service}: Deployment/${deployment.metadata.name} spec.template.spec.terminationGracePeriodSeconds (${grace}): the process was still shutting down after ${grace} s and was killed`);
  } else if (exit.code !== 0) {
    problems.push(`${service}: the process exited with ${exit.code ?? exit.signal} after SIGTERM, not 0:\n${pod.logs}`);
  }
  return problems;
}
