import * as path from 'path';
import { IConstruct } from 'constructs';
import { GantryError } from '../core/errors';

/**
 * A kubeconfig file and the context in it that names the cluster.
 */
export interface KubeconfigProviderOptions {
  /** The kubeconfig file, as Terraform reads it on the machine that runs it (`~/.kube/config`). */
  readonly path: string;

  /**
   * The context of the environment's cluster. Required: without one the provider uses the file's current context,
   * which is whatever cluster someone last switched to.
   */
  readonly context: string;
}

/**
 * A cluster reached by its API server URL, with credentials from a command (`aws eks get-token`, `gke-gcloud-auth-plugin`,
 * `kubelogin`): what CI runners use, with no kubeconfig file.
 */
export interface ExecProviderOptions {
  /** The API server URL (`https://...`). */
  readonly host: string;

  /**
   * The cluster's CA certificate, PEM encoded (not base64).
   * @default - the system's trusted CAs
   */
  readonly clusterCaCertificate?: string;

  /** The credential plugin command (`aws`). */
  readonly command: string;

  /**
   * Its arguments (`['eks', 'get-token', '--cluster-name', 'prod']`).
   * @default - none
   */
  readonly args?: string[];

  /**
   * The client.authentication.k8s.io version the command speaks.
   * @default 'client.authentication.k8s.io/v1beta1'
   */
  readonly apiVersion?: string;
}

/**
 * How Terraform's Kubernetes provider reaches an environment's cluster. Always explicit: a provider without
 * configuration falls back to the machine's kubeconfig and its current context, and would silently plan against
 * whatever cluster that is.
 */
export class TerraformKubernetesProvider {
  /** A kubeconfig file and a context in it. */
  public static kubeconfig(options: KubeconfigProviderOptions): TerraformKubernetesProvider {
    return new TerraformKubernetesProvider({ configPath: options.path, configContext: options.context }, options, 'kubeconfig');
  }

  /** An API server URL, with credentials from a command. */
  public static exec(options: ExecProviderOptions): TerraformKubernetesProvider {
    const config = {
      host: options.host,
      clusterCaCertificate: options.clusterCaCertificate,
      exec: [{ apiVersion: options.apiVersion ?? 'client.authentication.k8s.io/v1beta1', command: options.command, args: options.args ?? [] }],
    };
    return new TerraformKubernetesProvider(config, options, 'exec');
  }

  private constructor(
    /** The provider's settings, as the cdktf binding names them. */
    private readonly config: { [key: string]: any },
    private readonly options: any,
    private readonly kind: 'kubeconfig' | 'exec',
  ) {}

  /**
   * Checks the settings, and that they reach the cluster the environment deploys to when both name one.
   * @internal
   */
  public _check(scope: IConstruct, property: string, environmentServer: string | undefined): void {
    const required = this.kind === 'kubeconfig' ? ['path', 'context'] : ['host', 'command'];
    for (const key of required) {
      const value = this.options?.[key];
      if (typeof value !== 'string' || value.trim() === '') {
        throw GantryError.of(scope, `${property}.${key}`, value,
          key === 'context' ? 'is missing: the provider would use the kubeconfig\'s current context, whichever cluster that is' : 'is missing',
          key === 'context' ? 'name the context of the environment\'s cluster' : `give TerraformKubernetesProvider.${this.kind}() its ${key}`);
      }
    }
    // The API server the provider names, when it names one.
    const host: string | undefined = this.kind === 'exec' ? this.options.host : undefined;
    if (host !== undefined && !/^https:\/\/[^\s/]+/.test(host)) {
      throw GantryError.of(scope, `${property}.host`, host, 'is not an https URL of an API server', 'use a URL such as \'https://prod.k8s.example:6443\'');
    }
    if (host !== undefined && environmentServer !== undefined && environmentServer !== 'https://kubernetes.default.svc'
      && host.replace(/\/+$/, '') !== environmentServer.replace(/\/+$/, '')) {
      throw GantryError.of(scope, `${property}.host`, host, `is not the API server the environment deploys to (${environmentServer})`,
        'give the provider the environment\'s cluster, or the environment the cluster the provider names');
    }
  }

  /**
   * The provider's settings, as the cdktf binding names them.
   * @internal
   */
  public _config(): { [key: string]: any } {
    return JSON.parse(JSON.stringify(this.config));
  }
}

/** The backends Terraform (and OpenTofu) know. */
const BACKENDS = ['azurerm', 'consul', 'cos', 'gcs', 'http', 'kubernetes', 'local', 'oss', 'pg', 'remote', 's3'];

/**
 * Where Terraform keeps a stack's state. Always the user's choice: cdktf's default, a local file at an absolute path
 * of the machine that synthesized the stack, would make the JSON differ from machine to machine.
 */
export class TerraformBackend {
  /**
   * A local state file, at a path relative to the stack's directory. Keep it out of the synthesized output: `cdk8s
   * synth` deletes that folder before each run, and the state with it.
   */
  public static local(statePath: string): TerraformBackend {
    return new TerraformBackend('local', { path: statePath });
  }

  /**
   * Any backend Terraform knows, by its type and settings as Terraform names them:
   * `TerraformBackend.of('s3', { bucket: 'acme-tf-state', key: 'shop/prod.tfstate', region: 'eu-west-1' })`.
   */
  public static of(type: string, settings: { [key: string]: any }): TerraformBackend {
    return new TerraformBackend(type, settings);
  }

  private constructor(
    /** The backend type (`s3`). */
    public readonly type: string,
    private readonly settings: { [key: string]: any },
  ) {}

  /**
   * Checks the backend for a stack written to `stackDir`, inside the app's output folder `appOutdir`.
   * @internal
   */
  public _check(scope: IConstruct, property: string, stackDir: string, appOutdir: string | undefined): void {
    if (!BACKENDS.includes(this.type)) {
      throw GantryError.of(scope, `${property}.type`, this.type, 'is not a Terraform backend', `use one of ${BACKENDS.join(', ')}`);
    }
    if (this.type !== 'local') return;
    const statePath = this.settings.path;
    if (typeof statePath !== 'string' || statePath === '') {
      throw GantryError.of(scope, `${property}.path`, statePath, 'is missing', 'give the local backend the path of its state file');
    }
    if (path.isAbsolute(statePath) || statePath.startsWith('~')) {
      throw GantryError.of(scope, `${property}.path`, statePath, 'is a path of this machine, which the JSON would carry to every other one',
        'give a path relative to the stack\'s directory, or a remote backend');
    }
    const resolved = path.resolve(stackDir, statePath);
    if (appOutdir !== undefined && !path.relative(path.resolve(appOutdir), resolved).startsWith('..')) {
      throw GantryError.of(scope, `${property}.path`, statePath, `puts the state inside ${appOutdir}, which cdk8s synth deletes before every run`,
        `keep it outside, for example '${path.relative(stackDir, path.join(path.dirname(path.resolve(appOutdir)), 'terraform-state', 'state.tfstate'))}'`);
    }
  }

  /**
   * The backend's settings, in Terraform's names.
   * @internal
   */
  public _settings(): { [key: string]: any } {
    return JSON.parse(JSON.stringify(this.settings));
  }
}
