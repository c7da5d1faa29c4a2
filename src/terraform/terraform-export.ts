import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CdktfModules, genericBackend, loadCdktf, withoutCdktfEnvironment } from './cdktf';
import { manifestResources, StackObject } from './manifests';
import { TerraformBackend, TerraformKubernetesProvider } from './terraform-provider';
import { GantryError } from '../core/errors';
import { problemsError, renderChecked } from '../core/metadata-checks';
import { checkProps } from '../core/props';
import { chartObjects, prepareApp } from '../core/synthesis';
import { Environment } from '../environment/environment';

/**
 * How every kubernetes_manifest resource of an export is applied.
 */
export interface TerraformManifestOptions {
  /**
   * The versions of the hashicorp/kubernetes provider the stacks accept (`required_providers`). The bindings are
   * generated from 2.38.0; a new major may change kubernetes_manifest.
   * @default '>= 2.38.0, < 3.0.0'
   */
  readonly providerVersion?: string;

  /**
   * The field manager of server-side apply: the name the cluster records as the owner of the fields Terraform sets.
   * @default 'gantry'
   */
  readonly fieldManager?: string;

  /**
   * Take over fields another field manager owns (`force_conflicts`) instead of failing the apply. Leave it off unless
   * the objects were applied by another tool before (kubectl, Helm, Argo CD) and Terraform now owns them.
   * @default false
   */
  readonly forceConflicts?: boolean;

  /**
   * Wait until Deployments (and StatefulSets, DaemonSets) have rolled out before Terraform goes on (`wait { rollout }`).
   * @default true
   */
  readonly waitForRollout?: boolean;

  /**
   * Terraform addresses every custom resource (ServiceMonitor, PrometheusRule, Rollout, VirtualService, ...) depends
   * on, such as the `helm_release` that installs their operator. This orders the apply only: kubernetes_manifest needs
   * the CRDs in the cluster already when Terraform plans (see the README).
   * @default - none
   */
  readonly customResourcesDependOn?: string[];
}

/**
 * One Terraform stack of an export: the objects of one environment.
 */
export interface TerraformStackOptions {
  /**
   * The environment whose objects the stack holds, by name.
   * @default - the charts defined in no environment
   */
  readonly environment?: string;

  /**
   * The stack's name: its folder under `outdir`. Letters, digits, '_' and '-'.
   * @default - the environment's name
   */
  readonly name?: string;

  /** How the Kubernetes provider reaches the environment's cluster. */
  readonly provider: TerraformKubernetesProvider;

  /** Where Terraform keeps the stack's state. */
  readonly backend: TerraformBackend;
}

/**
 * Options of a Terraform export.
 */
export interface TerraformExportOptions extends TerraformManifestOptions {
  /** The folder the stacks are written to, one folder each: `<outdir>/<stack>/cdk.tf.json`. */
  readonly outdir: string;

  /** The stacks to write. */
  readonly stacks: TerraformStackOptions[];
}

/**
 * Options of adding an environment's objects to a cdktf stack of your own.
 */
export interface TerraformAddOptions extends TerraformManifestOptions {
  /**
   * The environment whose objects to add, by name.
   * @default - the charts defined in no environment
   */
  readonly environment?: string;

  /** How the Kubernetes provider reaches the environment's cluster. */
  readonly provider: TerraformKubernetesProvider;

  /**
   * The alias of the Kubernetes provider the objects are applied with: one per cluster when a stack deploys to several.
   * @default - the environment's name, else 'gantry'
   */
  readonly providerAlias?: string;
}

/**
 * Exports a Gantry app as Terraform JSON through cdktf and @cdktf/provider-kubernetes: each object that `cdk8s synth`
 * writes for an environment becomes a `kubernetes_manifest` resource holding exactly that object.
 *
 * Resources are named by the object's kind, namespace and name (`deployment_shop_orders`), never by construct ids:
 * refactoring the TypeScript moves nothing in Terraform's state. Each object depends on the objects of the sync wave
 * before its own in its chart (ServiceAccount and ConfigMap before the Deployment, the HPA and PodDisruptionBudget
 * after it), fields that controllers own (the replica count an HPA scales) are `computed_fields`, and the apply waits
 * for Deployments to roll out.
 *
 * cdktf and @cdktf/provider-kubernetes are optional dependencies: install them to export (`npm install --save-dev
 * cdktf@0.21.0 @cdktf/provider-kubernetes@12.1.1`). CDKTF is deprecated; the JSON it writes here is plain Terraform
 * JSON, which Terraform and OpenTofu both read.
 */
export class TerraformExport {
  /**
   * Writes a stack per entry of `options.stacks` to `<outdir>/<stack>/cdk.tf.json`. Nothing is written when anything
   * is wrong; a stack's folder keeps what else is in it (`.terraform/`, the lock file).
   */
  public static writeStacks(app: IConstruct, options: TerraformExportOptions): void {
    checkProps(app, 'TerraformExportOptions', options);
    const stacks = options.stacks ?? [];
    if (stacks.length === 0) {
      throw GantryError.of(app, 'stacks', stacks, 'is empty', 'give a stack per environment to export, with its provider and backend');
    }
    const appOutdir = app.node.root instanceof App ? app.node.root.outdir : undefined;
    const names = new Set<string>();
    const environments = new Set<string | undefined>();
    const planned = stacks.map((s, i) => {
      const property = `stacks[${i}]`;
      const env = environmentNamed(app, `${property}.environment`, s.environment);
      const name = s.name ?? s.environment;
      if (name === undefined || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
        throw GantryError.of(app, `${property}.name`, name, 'is not a stack name Terraform and a folder can both carry',
          'use letters, digits, \'_\' and \'-\', starting with a letter (a stack of charts outside environments needs a name)');
      }
      if (names.has(name)) throw GantryError.of(app, `${property}.name`, name, 'is the name of two stacks', 'give each stack its own name');
      if (environments.has(s.environment)) {
        throw GantryError.of(app, `${property}.environment`, s.environment, 'is in two stacks, whose states would both claim its objects',
          'export each environment once');
      }
      names.add(name);
      environments.add(s.environment);
      s.provider._check(app, `${property}.provider`, env?.cluster.server);
      s.backend._check(app, `${property}.backend`, path.join(options.outdir, name), appOutdir);
      return { name, stack: s };
    });

    const modules = loadCdktf(app);
    const objects = renderedObjects(app);
    withoutCdktfEnvironment(() => {
      const staging = `${path.resolve(options.outdir)}.gantry-${process.pid}`;
      fs.rmSync(staging, { recursive: true, force: true });
      fs.mkdirSync(staging, { recursive: true });
      try {
        const tfApp = new modules.cdktf.App({ outdir: staging, stackTraces: false, hclOutput: false });
        for (const { name, stack: s } of planned) {
          const stack = new modules.cdktf.TerraformStack(tfApp, name);
          genericBackend(modules.cdktf, stack, s.backend.type, s.backend._settings());
          const provider = new modules.KubernetesProvider(stack, 'kubernetes', s.provider._config());
          addManifests(modules, app, stack, provider, objects.filter((o) => o.environment === s.environment), options);
        }
        tfApp.synth();
        for (const { name } of planned) {
          fs.mkdirSync(path.join(options.outdir, name), { recursive: true });
          fs.renameSync(path.join(staging, 'stacks', name, 'cdk.tf.json'), path.join(options.outdir, name, 'cdk.tf.json'));
        }
      } finally {
        fs.rmSync(staging, { recursive: true, force: true });
      }
    });
  }

  /**
   * Adds the objects of an environment of `app` to `stack`, a cdktf TerraformStack of your own, with a Kubernetes
   * provider of their own (aliased): Gantry's services in the same plan as the rest of your infrastructure.
   */
  public static addToStack(stack: IConstruct, app: IConstruct, options: TerraformAddOptions): void {
    checkProps(app, 'TerraformAddOptions', options);
    const env = environmentNamed(app, 'environment', options.environment);
    options.provider._check(app, 'provider', env?.cluster.server);
    const alias = options.providerAlias ?? options.environment ?? 'gantry';
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(alias)) {
      throw GantryError.of(app, 'providerAlias', alias, 'is not a name Terraform accepts', 'use letters, digits, \'_\' and \'-\', starting with a letter');
    }
    const modules = loadCdktf(app);
    if (!modules.cdktf.TerraformStack.isStack(stack)) {
      throw GantryError.of(app, 'stack', stack.node.path, 'is not a cdktf TerraformStack', 'pass the stack the objects go into');
    }
    const objects = renderedObjects(app).filter((o) => o.environment === options.environment);
    const provider = new modules.KubernetesProvider(stack, `gantry-${alias}`, { ...options.provider._config(), alias });
    addManifests(modules, app, stack, provider, objects, options);
  }
}

/** The objects `cdk8s synth` writes, rendered and with their metadata checked, and the environment of each. */
function renderedObjects(app: IConstruct): (StackObject & { environment?: string })[] {
  const { charts } = prepareApp(app.node.root);
  const problems: { path: string; message: string }[] = [];
  const objects = charts.flatMap((chart) => chartObjects(chart).map((apiObject) => {
    return { apiObject, chart: chart.node.path, json: renderChecked(apiObject, problems), environment: Environment.of(chart)?.name };
  }));
  const error = problemsError(problems);
  if (error) throw error;
  return objects;
}

function environmentNamed(app: IConstruct, property: string, name: string | undefined): Environment | undefined {
  if (name === undefined) return undefined;
  const all = app.node.root.node.findAll().filter((c): c is Environment => c instanceof Environment);
  const env = all.find((e) => e.name === name);
  if (env === undefined) {
    throw GantryError.of(app, property, name, 'is not an environment of the app',
      all.length > 0 ? `use one of ${all.map((e) => `'${e.name}'`).join(', ')}` : 'define the app\'s charts in an Environment');
  }
  return env;
}

/** The kubernetes_manifest resources of `objects`, in `stack`, applied through `provider`. */
function addManifests(modules: CdktfModules, app: IConstruct, stack: IConstruct, provider: any, objects: StackObject[],
  options: TerraformManifestOptions): void {
  (stack as any).addOverride('terraform.required_providers.kubernetes', {
    source: 'hashicorp/kubernetes',
    version: options.providerVersion ?? '>= 2.38.0, < 3.0.0',
  });
  const resources = manifestResources(app, objects);
  for (const r of resources) {
    const manifest = new modules.Manifest(stack, r.name, {
      provider,
      manifest: r.manifest,
      computedFields: r.computedFields,
      fieldManager: { name: options.fieldManager ?? 'gantry', forceConflicts: options.forceConflicts ?? false },
      wait: r.rollout && (options.waitForRollout ?? true) ? { rollout: true } : undefined,
    });
    manifest.overrideLogicalId(r.name);
    // Addresses as Terraform writes them: a resource may depend on one defined after it, or outside the stack.
    const dependsOn = [...r.dependsOn.map((n) => `kubernetes_manifest.${n}`), ...r.customResource ? options.customResourcesDependOn ?? [] : []];
    if (dependsOn.length > 0) manifest.dependsOn = dependsOn;
  }
}
