import { Construct, IConstruct } from 'constructs';
import { ArgoCluster, checkCluster } from './argo-cluster';
import { writesEnvironmentFolders } from './output-folders';
import { checkServiceOverrides, ServiceOverrides } from './service-overrides';
import { checkDns1035, checkNamespace } from '../core/checks';
import { GantryError } from '../core/errors';
import { checkProps } from '../core/props';

/**
 * How an environment's alerts reach people.
 */
export interface EnvironmentAlerting {
  /**
   * Whether the environment's alerts may page: when false, every alert that would be `critical` is sent as `warning`
   * (an idle dev environment should not wake anyone). An alert whose severity is set explicitly keeps it.
   * @default true
   */
  readonly page?: boolean;

  /**
   * Labels added to every alert and recorded series of the environment, for Alertmanager routes (a team, a receiver).
   * @default - only `environment: <name>`
   */
  readonly labels?: { [name: string]: string };
}

/**
 * Properties of an Environment.
 */
export interface EnvironmentProps {
  /**
   * The environment's name: its output folder (`dist/<name>/`) and part of its Argo CD Application's name.
   * @default - the construct id
   */
  readonly name?: string;

  /** The namespace of the environment's services. */
  readonly namespace: string;

  /** The cluster the environment deploys to. */
  readonly cluster: ArgoCluster;

  /**
   * The Git revision Argo CD tracks for this environment (a branch, tag or commit).
   * @default - the repository's revision
   */
  readonly revision?: string;

  /**
   * Per-service changes, by service name.
   * @default - none
   */
  readonly services?: { [serviceName: string]: ServiceOverrides };

  /**
   * Free-form settings for your own definitions to read with `setting()` (feature flags, hostnames, ...).
   * @default - none
   */
  readonly settings?: { [key: string]: string };

  /**
   * How the environment's alerts reach people: whether they page, and the labels Alertmanager routes them by.
   * @default - alerts page as their presets say, labelled `environment: <name>`
   */
  readonly alerting?: EnvironmentAlerting;
}

/**
 * One environment (dev, staging, prod, ...): a scope under which the services are defined once more, with the
 * environment's namespace and overrides. `GantryApp` writes the charts under it to `<outdir>/<name>/`, and Argo CD
 * objects target it.
 *
 * @example
 * for (const env of [dev, staging, prod]) defineShop(env);  // the same definition in each environment
 */
export class Environment extends Construct {
  /** The environment that `scope` is defined in, if any. */
  public static of(scope: IConstruct): Environment | undefined {
    for (let s: IConstruct | undefined = scope; s !== undefined; s = s.node.scope) {
      if (s instanceof Environment) return s;
    }
    return undefined;
  }

  /**
   * The environment named `name` in the app of `scope`, or an error that lists the ones there are.
   */
  public static named(scope: IConstruct, name: string): Environment {
    const all = Environment.all(scope);
    const found = all.find((e) => e.name === name);
    if (found === undefined) {
      throw GantryError.of(scope, 'environment', name, `is not an environment of this app (it has ${all.map((e) => e.name).join(', ') || 'none'})`,
        all.length ? `use one of: ${all.map((e) => e.name).join(', ')}` : 'define it with new Environment(app, \'dev\', {...})');
    }
    return found;
  }

  /** Every environment of the app of `scope`, in definition order. */
  public static all(scope: IConstruct): Environment[] {
    return scope.node.root.node.findAll().filter((c): c is Environment => c instanceof Environment);
  }

  /** The environment's name. */
  public readonly name: string;
  /** The namespace of its services. */
  public readonly namespace: string;
  /** The cluster it deploys to. */
  public readonly cluster: ArgoCluster;
  /** The Git revision Argo CD tracks, when set. */
  public readonly revision?: string;
  /** Whether the environment's alerts may page (be `critical`). */
  public readonly pages: boolean;
  /** The labels on every alert and recorded series of the environment: `environment: <name>` and `alerting.labels`. */
  public readonly alertLabels: { [name: string]: string };

  private readonly overrides: { [serviceName: string]: ServiceOverrides };
  private readonly settings: { [key: string]: string };
  private readonly claimed = new Set<string>();

  /**
   * @param scope the app
   * @param id the construct id, and the name unless `name` is set
   * @param props the environment
   */
  constructor(scope: Construct, id: string, props: EnvironmentProps) {
    super(scope, id);
    checkProps(this, 'EnvironmentProps', props);
    this.name = props.name ?? id;
    checkDns1035(this, 'name', this.name, 40);
    const twin = Environment.all(this).find((e) => e !== this && e.name === this.name);
    if (twin !== undefined) {
      throw GantryError.of(this, 'name', this.name, `is already the name of ${twin.node.path}`, 'give each environment its own name');
    }
    this.namespace = props.namespace;
    checkNamespace(this, 'namespace', this.namespace);
    this.cluster = props.cluster;
    checkCluster(this, 'cluster', this.cluster);
    this.revision = props.revision;
    this.pages = props.alerting?.page ?? true;
    this.alertLabels = { environment: this.name, ...props.alerting?.labels };
    for (const [key, value] of Object.entries(this.alertLabels)) {
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key) || key.startsWith('__')) {
        throw GantryError.of(this, `alerting.labels.${key}`, key, 'is not a Prometheus label name (letters, digits and \'_\', not starting with a digit or \'__\')',
          `use a name such as '${key.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^([0-9_]+)/, '') || 'team'}'`);
      }
      if (['alertname', 'severity', 'service', 'slo', 'namespace'].includes(key)) {
        throw GantryError.of(this, `alerting.labels.${key}`, key, 'is a label Gantry sets on every alert itself', 'use another name, such as \'team\'');
      }
      if (typeof value !== 'string' || value === '') {
        throw GantryError.of(this, `alerting.labels.${key}`, value, 'is not a label value', 'give a non-empty string');
      }
    }
    this.overrides = { ...props.services };
    checkServiceOverrides(this, this.overrides);
    this.settings = { ...props.settings };
    this.node.addValidation({ validate: () => [...this.validateApp(), ...this.validateOverrides()] });
  }

  /** A free-form setting, or `defaultValue` when the environment does not set it. */
  public setting(key: string, defaultValue?: string): string | undefined {
    return this.settings[key] ?? defaultValue;
  }

  /**
   * The overrides of service `serviceName`, marking them used. Called by the services themselves.
   * @internal
   */
  public _overridesFor(serviceName: string): ServiceOverrides | undefined {
    this.claimed.add(serviceName);
    return this.overrides[serviceName];
  }

  /**
   * The environment's Argo CD Application syncs `<outdir>/<name>/`, which only GantryApp writes: cdk8s's App would put
   * every environment's charts side by side in `<outdir>/`, and Argo CD would prune the environment empty.
   */
  private validateApp(): string[] {
    if (writesEnvironmentFolders(this)) return [];
    const app = this.node.root.constructor?.name ?? 'App';
    return [GantryError.format(this, 'scope', app,
      `is not a GantryApp, so the environment's charts would not be written to their own folder (${this.name}/) where its Argo CD Application looks`,
      'create the app with new GantryApp() in place of new App()')];
  }

  private validateOverrides(): string[] {
    const unused = Object.keys(this.overrides).filter((s) => !this.claimed.has(s));
    return unused.map((s) => GantryError.format(this, `services.${s}`, s, 'overrides a service this environment does not define',
      `use the name of one of its services (${[...this.claimed].sort().join(', ') || 'none defined'})`));
  }
}
