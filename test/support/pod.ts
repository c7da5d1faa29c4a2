/**
 * Runs the container of a synthesized Deployment as a local process, as close to how the kubelet runs it as one
 * machine allows, so that a test can hold the manifest against the real binary:
 *
 * - its own network namespace with its own address (10.231.<slot>.2, reached from the test over a veth pair), so every
 *   service listens on the ports its manifest declares, side by side;
 * - its own mount namespace, where the Deployment's volumes are mounted at their mount paths: ConfigMap files with the
 *   ConfigMap's data, projected Secret files with the test's values and the projection's mode, `emptyDir`s;
 * - the Deployment's environment, with the downward API resolved the way the kubelet resolves it (`limits.cpu` with
 *   divisor 1 rounds up to whole CPUs, `limits.memory` is bytes), its command and arguments;
 * - the pod's user, group and fsGroup (`setpriv`), with no new privileges.
 *
 * What it cannot give: a read-only root filesystem, cgroup limits, the kubelet's probes (the test probes instead).
 * Needs root (network and mount namespaces); the project's CI runs as root.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface PodOptions {
  /** The program to run in place of the image. */
  readonly binary: string;
  /** The synthesized Deployment. */
  readonly deployment: any;
  /** The other objects of its namespace (the ConfigMaps its volumes name). */
  readonly objects: any[];
  /** The Secrets' data the pod mounts or reads, by Secret name and key. */
  readonly secrets?: { [secret: string]: { [key: string]: string } };
  /** Environment variables added for the test (a fault switch): never one the Deployment sets. */
  readonly testEnv?: { [name: string]: string };
  /** A small number, unique among the pods running at once: it picks the address. */
  readonly slot: number;
}

/** Whether this machine can run pods (root, with `ip`, `unshare` and `setpriv`). */
export function canRunPods(): { ok: boolean; why?: string } {
  if (process.getuid?.() !== 0) return { ok: false, why: 'network and mount namespaces need root' };
  for (const tool of ['ip', 'unshare', 'setpriv', 'mount']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return { ok: false, why: `${tool} is missing` };
  }
  return { ok: true };
}

export class Pod {
  /** Starts the Deployment's first container. */
  public static start(options: PodOptions): Pod {
    return new Pod(options);
  }

  /** The pod's address, as the test reaches it. */
  public readonly address: string;
  /** The container's ports by name. */
  public readonly ports: { [name: string]: number };
  /** `terminationGracePeriodSeconds`. */
  public readonly gracePeriodSeconds: number;
  /** The pod's name, as a ReplicaSet would give it. */
  public readonly name: string;

  private readonly netns: string;
  private readonly root: string;
  private readonly process: ChildProcess;
  private readonly output: string[] = [];
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(private readonly options: PodOptions) {
    const spec = options.deployment.spec.template.spec;
    const container = spec.containers[0];
    this.ports = Object.fromEntries((container.ports ?? []).map((p: any) => [p.name, p.containerPort]));
    this.gracePeriodSeconds = spec.terminationGracePeriodSeconds ?? 30;
    this.name = `${options.deployment.metadata.name}-5d4f8b7c9-${'x2x7q'.slice(0, 5 - String(options.slot).length)}${options.slot}`;
    this.address = `10.231.${options.slot}.2`;
    this.netns = `gantry-${process.pid}-${options.slot}`;
    // The pod's files live under a top-level directory that none of its mounts replaces (the mounts hide whatever is
    // under theirs, the test's temporary directory and checkout included): the program is copied there too.
    const tops = new Set<string>((container.volumeMounts ?? []).map((m: any) => m.mountPath.split('/')[1]));
    const executable = (dir: string) => !/\bnoexec\b/.test(spawnSync('findmnt', ['-no', 'OPTIONS', '-T', dir], { encoding: 'utf8' }).stdout ?? '');
    const base = ['/run', '/mnt', '/srv', os.tmpdir()].find((b) => !tops.has(b.split('/')[1]) && fs.existsSync(b) && executable(b));
    if (base === undefined) throw new Error(`no directory outside the pod's mounts (${[...tops].join(', ')}) to hold its files`);
    this.root = fs.mkdtempSync(path.join(base, `gantry-pod-${options.slot}-`));
    const program = path.join(this.root, 'program', path.basename(options.binary));
    fs.mkdirSync(path.dirname(program));
    fs.copyFileSync(options.binary, program);
    fs.chmodSync(program, 0o755);

    const mounts = this.prepareVolumes(spec, container);
    this.createNetwork();
    const uid = container.securityContext?.runAsUser ?? spec.securityContext?.runAsUser ?? 0;
    const gid = container.securityContext?.runAsGroup ?? spec.securityContext?.runAsGroup ?? 0;
    const fsGroup = spec.securityContext?.fsGroup;
    const command = [...(container.command ?? [program]), ...(container.args ?? [])];
    if (container.command) command[0] = program;
    const script = [
      ...mounts.map(([from, to]) => `mount --bind '${from}' '${to}'`),
      `exec setpriv --reuid=${uid} --regid=${gid} ${fsGroup !== undefined ? `--groups=${fsGroup}` : '--clear-groups'} --no-new-privs -- ${command.map((c) => `'${c}'`).join(' ')}`,
    ].join(' && ');
    this.process = spawn('ip', ['netns', 'exec', this.netns, 'unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', script], {
      env: { ...this.environment(container, spec), ...options.testEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process.stdout!.on('data', (d) => this.output.push(String(d)));
    this.process.stderr!.on('data', (d) => this.output.push(String(d)));
    this.exited = new Promise((resolve) => this.process.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** What the process wrote. */
  public get logs(): string {
    return this.output.join('');
  }

  /** The URL of `path` on the port named `port`. */
  public url(port: string, urlPath: string): string {
    return `http://${this.address}:${this.ports[port]}${urlPath}`;
  }

  /** Waits until `check` passes, or fails after `timeoutMs` with the pod's logs. */
  public async waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) throw new Error(`${this.name} exited while waiting for ${what}:\n${this.logs}`);
      if (await check().catch(() => false)) return;
      await sleep(100);
    }
    throw new Error(`${this.name}: ${what} did not happen within ${timeoutMs} ms:\n${this.logs}`);
  }

  /** Sends SIGTERM, as the kubelet does, and resolves when the process exits (or is killed after the grace period). */
  public async terminate(): Promise<{ code: number | null; signal: NodeJS.Signals | null; seconds: number; killed: boolean }> {
    const started = Date.now();
    this.process.kill('SIGTERM');
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      this.process.kill('SIGKILL');
    }, this.gracePeriodSeconds * 1000);
    const result = await this.exited;
    clearTimeout(timer);
    return { ...result, seconds: (Date.now() - started) / 1000, killed };
  }

  /** Stops the process if it still runs, and removes the namespace and the files. */
  public async remove(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill('SIGKILL');
      await this.exited;
    }
    spawnSync('ip', ['netns', 'del', this.netns]);
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  /** A veth pair: 10.231.<slot>.1 on the test's side, 10.231.<slot>.2 in the pod's namespace. */
  private createNetwork(): void {
    const slot = this.options.slot;
    const host = `gh${process.pid % 10000}x${slot}`;
    const inside = `gp${process.pid % 10000}x${slot}`;
    const steps = [
      ['netns', 'add', this.netns],
      ['link', 'add', host, 'type', 'veth', 'peer', 'name', inside],
      ['link', 'set', inside, 'netns', this.netns],
      ['addr', 'add', `10.231.${slot}.1/30`, 'dev', host],
      ['link', 'set', host, 'up'],
      ['netns', 'exec', this.netns, 'ip', 'addr', 'add', `${this.address}/30`, 'dev', inside],
      ['netns', 'exec', this.netns, 'ip', 'link', 'set', inside, 'up'],
      ['netns', 'exec', this.netns, 'ip', 'link', 'set', 'lo', 'up'],
    ];
    for (const args of steps) {
      const result = spawnSync('ip', args, { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr}`);
    }
  }

  /**
   * Builds each volume in the pod's directory, and returns the bind mounts that put them at their mount paths: the
   * first directory of each mount path (`/etc`, `/var`, `/tmp`) is replaced, in the pod's mount namespace only, by one
   * that holds just the pod's volumes.
   */
  private prepareVolumes(spec: any, container: any): [string, string][] {
    const fsGroup = spec.securityContext?.fsGroup ?? 0;
    const tops = new Set<string>();
    for (const m of container.volumeMounts ?? []) {
      const volume = (spec.volumes ?? []).find((v: any) => v.name === m.name);
      const dir = path.join(this.root, m.mountPath);
      fs.mkdirSync(dir, { recursive: true });
      tops.add(m.mountPath.split('/')[1]);
      if (volume.configMap) {
        const map = this.options.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === volume.configMap.name);
        if (!map) throw new Error(`ConfigMap ${volume.configMap.name} is not among the objects`);
        for (const [file, text] of Object.entries(map.data ?? {})) fs.writeFileSync(path.join(dir, file), text as string, { mode: 0o644 });
      } else if (volume.projected) {
        for (const source of volume.projected.sources) {
          const data = this.options.secrets?.[source.secret.name] ?? {};
          for (const item of source.secret.items) {
            if (data[item.key] === undefined) throw new Error(`the test gives no ${source.secret.name}/${item.key}`);
            const file = path.join(dir, item.path);
            fs.writeFileSync(file, data[item.key], { mode: volume.projected.defaultMode ?? 0o644 });
            fs.chownSync(file, 0, fsGroup);
            fs.chmodSync(file, volume.projected.defaultMode ?? 0o644);
          }
        }
      } else if (volume.emptyDir) {
        fs.chownSync(dir, 0, fsGroup);
        fs.chmodSync(dir, 0o2775);
      } else {
        throw new Error(`volume ${m.name}: only configMap, projected Secrets and emptyDir are emulated`);
      }
    }
    // Every directory on the way is traversable by the pod's user.
    // eslint-disable-next-line no-bitwise
    for (const d of walkDirs(this.root)) fs.chmodSync(d, fs.statSync(d).mode | 0o755);
    fs.chmodSync(this.root, 0o755);
    return [...tops].map((top) => [path.join(this.root, top), `/${top}`]);
  }

  /** The container's environment, the downward API resolved as the kubelet resolves it. */
  private environment(container: any, spec: any): { [name: string]: string } {
    const env: { [name: string]: string } = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
    const limits = container.resources?.limits ?? {};
    for (const e of container.env ?? []) {
      if (e.value !== undefined) {
        env[e.name] = e.value;
      } else if (e.valueFrom?.resourceFieldRef) {
        const ref = e.valueFrom.resourceFieldRef;
        const divisor = quantity(ref.divisor ?? '1');
        const value = quantity(limits[ref.resource.replace(/^limits\./, '')]);
        // The kubelet rounds up (a 500m limit gives GOMAXPROCS=1).
        env[e.name] = String(Math.ceil(value / divisor));
      } else if (e.valueFrom?.secretKeyRef) {
        const ref = e.valueFrom.secretKeyRef;
        const value = this.options.secrets?.[ref.name]?.[ref.key];
        if (value === undefined) throw new Error(`the test gives no ${ref.name}/${ref.key}`);
        env[e.name] = value;
      } else if (e.valueFrom?.fieldRef) {
        const field = e.valueFrom.fieldRef.fieldPath;
        env[e.name] = field === 'metadata.name' ? this.name : field === 'status.podIP' ? this.address : '';
      } else {
        throw new Error(`env ${e.name}: this kind of source is not emulated`);
      }
    }
    if (spec?.enableServiceLinks !== false) throw new Error('service links would add variables this emulation does not');
    for (const name of Object.keys(this.options.testEnv ?? {})) {
      if (name in env) throw new Error(`testEnv ${name} would replace a variable the Deployment sets`);
    }
    return env;
  }
}

/** A Kubernetes quantity as a number (`250m` is 0.25, `384Mi` is 402653184). */
export function quantity(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(q);
  if (!m) throw new Error(`not a quantity: ${q}`);
  const units: { [u: string]: number } = {
    '': 1, 'm': 1e-3, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40,
  };
  if (!(m[2] in units)) throw new Error(`unknown unit in ${q}`);
  return Number(m[1]) * units[m[2]];
}

function walkDirs(dir: string): string[] {
  return [dir, ...fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).flatMap((e) => walkDirs(path.join(dir, e.name)))];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
