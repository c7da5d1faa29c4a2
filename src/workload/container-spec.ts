import { Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { GoMicroserviceProps, SecretKeyReference } from './go-microservice-props';
import { checkEnvName } from '../core/checks';
import { GantryError } from '../core/errors';
import { cpuMillis, sizeQuantity } from '../core/quantity';

// The container's resources, environment and secret volumes of a GoMicroservice.

/** Env var names Gantry sets itself. */
const GOMAXPROCS = 'GOMAXPROCS';
const GOMEMLIMIT = 'GOMEMLIMIT';
const SHUTDOWN_TIMEOUT = 'SHUTDOWN_TIMEOUT';
const SHUTDOWN_DRAIN_DELAY = 'SHUTDOWN_DRAIN_DELAY';
// Names that hold credentials by convention: PASSWORD, SECRET, TOKEN or CREDENTIALS anywhere as a word
// (AWS_SECRET_ACCESS_KEY, DB_PASSWORD_FILE is not: it names a file), and any *_KEY (API keys, private keys,
// AWS_ACCESS_KEY_ID too).
const SECRET_LIKE = /(^|_)(PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIALS?)(_|$)(?!FILE$|PATH$)|(^|_)(API_?KEY|KEY|KEY_ID)$/;
/** A URL or DSN with a password in it: `postgres://user:secret@db/orders`. */
const CREDENTIAL_IN_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]+:[^/@\s]+@/i;

/** Requests and limits, each value left out taking its default. */
export function renderResources(scope: IConstruct, props: GoMicroserviceProps): k8s.ResourceRequirements {
  const r = props.resources ?? {};
  const cpuRequest = r.cpu?.request ?? Cpu.millis(100);
  const cpuLimit = r.cpu?.limit ?? Cpu.units(1);
  const memLimit = r.memory?.limit ?? Size.mebibytes(256);
  const memRequest = r.memory?.request ?? (r.memory?.limit ?? Size.mebibytes(256));
  const ephRequest = r.ephemeralStorage?.request ?? Size.mebibytes(64);
  const ephLimit = r.ephemeralStorage?.limit ?? Size.mebibytes(256);
  if (cpuMillis(cpuRequest) > cpuMillis(cpuLimit)) {
    throw GantryError.of(scope, 'resources.cpu.request', cpuRequest.amount, `is above the CPU limit (${cpuLimit.amount})`,
      `lower the request or raise the limit to at least ${cpuRequest.amount}`);
  }
  for (const [prop, req, lim] of [['resources.memory.request', memRequest, memLimit], ['resources.ephemeralStorage.request', ephRequest, ephLimit]] as const) {
    if (req.toKibibytes() > lim.toKibibytes()) {
      throw GantryError.of(scope, prop, sizeQuantity(req), `is above its limit (${sizeQuantity(lim)})`,
        `lower the request or raise the limit to at least ${sizeQuantity(req)}`);
    }
  }
  if (memLimit.toKibibytes() < 16 * 1024) {
    throw GantryError.of(scope, 'resources.memory.limit', sizeQuantity(memLimit), 'is below 16Mi, too little for a Go process',
      'use at least Size.mebibytes(64)');
  }
  const q = k8s.Quantity.fromString;
  return {
    requests: { 'cpu': q(cpuRequest.amount), 'memory': q(sizeQuantity(memRequest)), 'ephemeral-storage': q(sizeQuantity(ephRequest)) },
    limits: { 'cpu': q(cpuLimit.amount), 'memory': q(sizeQuantity(memLimit)), 'ephemeral-storage': q(sizeQuantity(ephLimit)) },
  };
}

/** GOMAXPROCS and GOMEMLIMIT from the limits, the shutdown timings, then the service's own variables. */
export function renderEnv(
  scope: IConstruct, serviceName: string, props: GoMicroserviceProps, containerName: string,
  shutdown?: { drainDelay: number; shutdownTimeout: number },
): k8s.EnvVar[] {
  // Go before 1.25 does not read the cgroup CPU limit; GOMEMLIMIT makes the GC work before the OOM killer does.
  // The downward API keeps both right when the limits change (a Helm override, an edit).
  const limit = (resource: string): k8s.EnvVarSource => ({ resourceFieldRef: { containerName, resource, divisor: k8s.Quantity.fromString('1') } });
  const env: k8s.EnvVar[] = [
    { name: GOMAXPROCS, valueFrom: limit('limits.cpu') },
    { name: GOMEMLIMIT, valueFrom: limit('limits.memory') },
  ];
  if (shutdown) {
    env.push({ name: SHUTDOWN_DRAIN_DELAY, value: `${shutdown.drainDelay}s` }, { name: SHUTDOWN_TIMEOUT, value: `${shutdown.shutdownTimeout}s` });
  }
  const taken = new Set(env.map((e) => e.name));
  const claim = (prop: string, name: string, value: k8s.EnvVar) => {
    checkEnvName(scope, prop, name);
    if (taken.has(name)) {
      throw GantryError.of(scope, prop, name,
        [GOMAXPROCS, GOMEMLIMIT, SHUTDOWN_DRAIN_DELAY, SHUTDOWN_TIMEOUT].includes(name) ? 'is set by Gantry' : 'is defined twice (in \'env\' and \'secretEnv\')',
        name === GOMAXPROCS || name === GOMEMLIMIT ? 'remove it: it follows the container limits' : 'remove one of them');
    }
    taken.add(name);
    return value;
  };
  for (const [name, value] of Object.entries(props.env ?? {})) {
    if (typeof value !== 'string') {
      throw GantryError.of(scope, `env.${name}`, value, 'is not a string', `quote it: '${String(value)}'`);
    }
    const declaredPlain = (props.nonSecretEnv ?? []).includes(name);
    if (!declaredPlain && SECRET_LIKE.test(name.toUpperCase())) {
      throw GantryError.of(scope, `env.${name}`, '<redacted>', 'looks like a secret and would be written into the manifest in clear',
        `move it to 'secretEnv': { ${name}: { secretName: '${serviceName}', key: '${name.toLowerCase()}' } }, `
        + 'or, if it holds no secret, list it in \'nonSecretEnv\'');
    }
    if (CREDENTIAL_IN_URL.test(value)) {
      throw GantryError.of(scope, `env.${name}`, '<redacted>', 'is a URL with a password in it, which would be written into the manifest in clear',
        `keep the URL without the password and pass the password through 'secretEnv', or the whole URL: 'secretEnv': { ${name}: { secretName: '${serviceName}', key: '${name.toLowerCase()}' } }`);
    }
    env.push(claim(`env.${name}`, name, { name, value }));
  }
  for (const [name, ref] of Object.entries(props.secretEnv ?? {})) {
    env.push(claim(`secretEnv.${name}`, name, { name, valueFrom: { secretKeyRef: secretKeyRef(scope, `secretEnv.${name}`, ref) } }));
  }
  return env;
}

/** One projected source per Secret, items sorted by file name. */
export function secretSources(scope: IConstruct, files: { [fileName: string]: SecretKeyReference }): k8s.VolumeProjection[] {
  const bySecret = new Map<string, { items: k8s.KeyToPath[]; optional?: boolean }>();
  const names = Object.keys(files).sort();
  if (names.length === 0) {
    throw GantryError.of(scope, 'secretFiles', '{}', 'is empty', 'leave \'secretFiles\' out, or give at least one file');
  }
  for (const file of names) {
    const prop = `secretFiles.${file}`;
    if (!/^[-._a-zA-Z0-9]+$/.test(file) || file === '.' || file === '..') {
      throw GantryError.of(scope, prop, file, 'is not a valid file name (letters, digits, \'-\', \'_\' and \'.\')', 'use a name such as \'db-password\'');
    }
    const ref = secretKeyRef(scope, prop, files[file]);
    const source = bySecret.get(ref.name) ?? { items: [], optional: ref.optional };
    source.items.push({ key: ref.key, path: file });
    bySecret.set(ref.name, source);
  }
  return [...bySecret.entries()].map(([name, s]) => ({ secret: { name, items: s.items, optional: s.optional } }));
}

function secretKeyRef(scope: IConstruct, prop: string, ref: SecretKeyReference): k8s.SecretKeySelector & { name: string } {
  if (ref === undefined || ref === null || typeof ref !== 'object') {
    throw GantryError.of(scope, prop, ref, 'is not a Secret reference', 'use { secretName: \'orders-db\', key: \'password\' }');
  }
  if (typeof ref.secretName !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(ref.secretName)) {
    throw GantryError.of(scope, `${prop}.secretName`, ref.secretName, 'is not a valid Secret name', 'use the name of an existing Secret, such as \'orders-db\'');
  }
  if (typeof ref.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(ref.key)) {
    throw GantryError.of(scope, `${prop}.key`, ref.key, 'is not a valid Secret key', 'use a key of the Secret, such as \'password\'');
  }
  return { name: ref.secretName, key: ref.key, optional: ref.optional ? true : undefined };
}
