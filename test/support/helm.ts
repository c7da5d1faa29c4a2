/**
 * Runs the real helm binary (installed into .tools/bin by `npx projen tools`, which `npm test` runs first) on chart
 * directories, for use in tests.
 *
 * Every call is offline and hermetic: helm's cache, config and data homes point at a temporary directory, so no
 * repository index, plugin or registry login of the user's is read, and nothing is written to their home.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

const HELM = path.join(__dirname, '..', '..', '.tools', 'bin', 'helm');

export interface HelmTemplateOptions {
  /** Defaults to `release`. */
  readonly releaseName?: string;
  readonly namespace?: string;
  /** `--set key=value`, in helm's own syntax (`a.b=1`, `list={x,y}`). */
  readonly set?: Record<string, string>;
  /** `--set-string key=value`: the value stays a string even if it looks like a number or a boolean. */
  readonly setString?: Record<string, string>;
  readonly valuesFiles?: string[];
  /** `--api-versions`: API versions (`group/version/Kind`) the simulated cluster serves besides Kubernetes's own. */
  readonly apiVersions?: string[];
  /** `--skip-tests`: leave out the `helm test` hooks, which `helm install` does not apply either. */
  readonly skipTests?: boolean;
}

/**
 * The custom resources Gantry writes, as a cluster with prometheus-operator, Argo Rollouts and Istio serves them: the
 * chart renders those objects only where the cluster has their API (`--api-versions`; Argo CD passes the cluster's).
 */
export const CUSTOM_APIS = [
  'monitoring.coreos.com/v1/ServiceMonitor', 'monitoring.coreos.com/v1/PodMonitor', 'monitoring.coreos.com/v1/PrometheusRule',
  'argoproj.io/v1alpha1/Rollout', 'argoproj.io/v1alpha1/AnalysisTemplate',
  'networking.istio.io/v1beta1/VirtualService', 'networking.istio.io/v1beta1/DestinationRule',
];

/** The helm binary; throws if it has not been installed. */
export function helmPath(): string {
  if (!fs.existsSync(HELM)) {
    throw new Error(`helm is not installed at ${HELM}: run 'npx projen tools'`);
  }
  return HELM;
}

/** `helm lint --strict`: `ok` is false on any error or warning. */
export function helmLint(chartDir: string, args: string[] = []): { ok: boolean; output: string } {
  const result = helm(['lint', '--strict', ...args, chartDir]);
  return { ok: result.status === 0, output: result.stdout + result.stderr };
}

/** `helm template`, with its output parsed into objects (documents holding only comments are dropped). */
export function helmTemplate(
  chartDir: string,
  options: HelmTemplateOptions = {},
): { ok: boolean; objects: any[]; stderr: string } {
  const args = ['template', options.releaseName ?? 'release', chartDir];
  if (options.namespace !== undefined) {
    args.push('--namespace', options.namespace);
  }
  for (const [key, value] of Object.entries(options.set ?? {})) {
    args.push('--set', `${key}=${value}`);
  }
  for (const [key, value] of Object.entries(options.setString ?? {})) {
    args.push('--set-string', `${key}=${value}`);
  }
  for (const file of options.valuesFiles ?? []) {
    args.push('--values', file);
  }
  for (const apiVersion of options.apiVersions ?? []) {
    args.push('--api-versions', apiVersion);
  }
  if (options.skipTests) args.push('--skip-tests');
  const result = helm(args);
  if (result.status !== 0) {
    return { ok: false, objects: [], stderr: result.stderr };
  }
  const objects: any[] = [];
  for (const doc of parseAllDocuments(result.stdout)) {
    // helm parses every manifest before it prints it, so a parse error here is a bug in this helper, not the chart.
    if (doc.errors.length > 0) {
      throw new Error(`helm template printed YAML that does not parse: ${doc.errors[0].message}`);
    }
    const object = doc.toJS();
    if (object !== null && object !== undefined) {
      objects.push(object);
    }
  }
  return { ok: true, objects, stderr: result.stderr };
}

/** `helm package` into `outDir`; `file` is the archive written. */
export function helmPackage(chartDir: string, outDir: string): { ok: boolean; file?: string; output: string } {
  const result = helm(['package', chartDir, '--destination', outDir]);
  const output = result.stdout + result.stderr;
  const file = /saved it to: (.+\.tgz)$/m.exec(result.stdout)?.[1];
  return { ok: result.status === 0 && file !== undefined, file, output };
}

/** Runs helm with `args`, isolated from the user's helm settings and from other calls. */
export function helm(args: string[]): { status: number | null; stdout: string; stderr: string } {
  // Fresh per call and removed after it: calls cannot affect each other, and nothing is left behind.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-helm-'));
  // The user's own HELM_* settings (HELM_NAMESPACE, HELM_DRIVER, ...) would change what helm renders.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HELM_')));
  try {
    const result = spawnSync(helmPath(), args, {
      encoding: 'utf8',
      env: {
        ...env,
        HELM_CACHE_HOME: path.join(home, 'cache'),
        HELM_CONFIG_HOME: path.join(home, 'config'),
        HELM_DATA_HOME: path.join(home, 'data'),
      },
      maxBuffer: 256 * 1024 * 1024,
      timeout: 60_000,
    });
    if (result.error) {
      throw result.error;
    }
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}
