/**
 * A real Prometheus server (Debian's, installed into .tools/bin by `npx projen tools`) on loopback, for a bounded test:
 * it scrapes given targets every second and evaluates given rule groups every second.
 *
 * In a cluster, prometheus-operator turns a ServiceMonitor into Kubernetes service discovery, which gives each target
 * the labels `job` (the Service's name), `namespace`, `pod`, `container`, `service` and `endpoint`. Here each target is
 * a static address, and relabeling sets those same labels: nothing else stands in for the cluster.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';

const PROMETHEUS = path.join(__dirname, '..', '..', '.tools', 'bin', 'prometheus');

export interface ScrapeTarget {
  /** `host:port`. */
  readonly address: string;
  /** The metrics path. */
  readonly path: string;
  /** The labels service discovery would give the target (`job`, `namespace`, `pod`, ...). */
  readonly labels: { [name: string]: string };
}

export class Prometheus {
  /** Starts Prometheus with `targets` and `ruleGroups` (a PrometheusRule's `spec.groups`), and waits until it is ready. */
  public static async start(targets: ScrapeTarget[], ruleGroups: any[]): Promise<Prometheus> {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-prometheus-'));
    fs.writeFileSync(path.join(dir, 'rules.yaml'), stringify({ groups: ruleGroups }, { aliasDuplicateObjects: false, lineWidth: 0 }));
    const config = {
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      rule_files: ['rules.yaml'],
      scrape_configs: targets.map((t, i) => ({
        job_name: `target-${i}`,
        metrics_path: t.path,
        static_configs: [{ targets: [t.address] }],
        // What Kubernetes service discovery and the ServiceMonitor would set.
        relabel_configs: Object.entries(t.labels).map(([name, value]) => ({ target_label: name, replacement: value })),
      })),
    };
    fs.writeFileSync(path.join(dir, 'prometheus.yaml'), stringify(config));
    const server = spawn(PROMETHEUS, [
      `--config.file=${path.join(dir, 'prometheus.yaml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
    ], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const prometheus = new Prometheus(server, `http://127.0.0.1:${port}`, dir);
    await prometheus.until('Prometheus is ready', async () => (await fetch(`${prometheus.url}/-/ready`)).ok, 30_000);
    return prometheus;
  }

  private readonly output: string[] = [];

  private constructor(private readonly server: ChildProcess, public readonly url: string, private readonly dir: string) {
    server.stdout!.on('data', (d) => this.output.push(String(d)));
    server.stderr!.on('data', (d) => this.output.push(String(d)));
  }

  /** The result of an instant query. */
  public async query(promql: string): Promise<{ metric: { [name: string]: string }; value: [number, string] }[]> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body: any = await response.json();
    if (body.status !== 'success') throw new Error(`${promql}: ${body.error}`);
    return body.data.result;
  }

  /** The alerts Prometheus holds now (pending or firing). */
  public async alerts(): Promise<{ labels: { [name: string]: string }; state: string }[]> {
    const body: any = await (await fetch(`${this.url}/api/v1/alerts`)).json();
    return body.data.alerts;
  }

  /** The rule groups as loaded, with each rule's health and last error. */
  public async rules(): Promise<any[]> {
    const body: any = await (await fetch(`${this.url}/api/v1/rules`)).json();
    return body.data.groups;
  }

  /** Waits until `check` passes, or fails after `timeoutMs` with Prometheus's log. */
  public async until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.server.exitCode !== null) throw new Error(`Prometheus exited while waiting for ${what}:\n${this.output.join('')}`);
      if (await check().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${what} did not happen within ${timeoutMs} ms:\n${this.output.join('')}`);
  }

  public async stop(): Promise<void> {
    if (this.server.exitCode === null) {
      const exited = new Promise((r) => this.server.on('exit', r));
      this.server.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
