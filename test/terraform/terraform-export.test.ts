import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { shopArgoCd, shopEnvironments, shopTerraformStacks } from '../../examples/shop/environments';
import { buildShop } from '../../examples/shop/shop';
import {
  ArgoCluster, ControllerManagedFields, Environment, GantryApp, GoMicroservice, TerraformBackend, TerraformExport, TerraformExportOptions,
  TerraformKubernetesProvider,
} from '../../src';
import { takeTree } from '../harness';

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const parse = (text: string) => parseAllDocuments(text).map((d) => d.toJSON());
/** Terraform's reading of a string of its JSON syntax: `$${` is `${`, `%%{` is `%{`. */
const unescape = (value: any): any => {
  if (typeof value === 'string') return value.replace(/([$%])\1\{/g, '$1{');
  if (Array.isArray(value)) return value.map(unescape);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [unescape(k), unescape(v)]));
  return value;
};
const identity = (o: any) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** The shop as examples/shop/main.ts builds it, synthesized and exported to Terraform from `cwd`. */
function exportShop(cwd: string): { manifests: Map<string, string>; terraform: Map<string, string> } {
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const app = new GantryApp({ outdir: 'dist' });
    const environments = shopEnvironments(app);
    for (const env of environments) buildShop(env);
    shopArgoCd(new Chart(app, 'argocd'), new Chart(app, 'argocd-root'), environments);
    app.synth();
    TerraformExport.writeStacks(app, { outdir: path.join('dist', 'terraform'), stacks: shopTerraformStacks() });
    const all = takeTree(path.join(cwd, 'dist'));
    const split = (prefix: boolean) => new Map([...all].filter(([f]) => f.startsWith('terraform/') === prefix));
    return { manifests: split(false), terraform: split(true) };
  } finally {
    process.chdir(previous);
  }
}

const shop = exportShop(tmp('gantry-tf-'));
const stack = (env: string) => JSON.parse(shop.terraform.get(`terraform/${env}/cdk.tf.json`)!);
const resources = (env: string): { [name: string]: any } => stack(env).resource.kubernetes_manifest;

describe('TerraformExport', () => {
  test('writes one cdk.tf.json per environment, and nothing else', () => {
    expect([...shop.terraform.keys()]).toEqual(['terraform/dev/cdk.tf.json', 'terraform/prod/cdk.tf.json', 'terraform/staging/cdk.tf.json']);
    expect(shop.terraform.get('terraform/dev/cdk.tf.json')).toMatchSnapshot();
  });

  test.each(['dev', 'staging', 'prod'])('%s: the kubernetes_manifest resources are exactly the objects cdk8s synth writes', (env) => {
    const synthesized = [...shop.manifests].filter(([f]) => f.startsWith(`${env}/`)).flatMap(([, text]) => parse(text));
    const manifests = Object.values(resources(env)).map((r) => unescape(r.manifest));
    // None missing, none extra, none different: compared whole, by identity.
    const byIdentity = (objects: any[]) => new Map(objects.map((o) => [identity(o), o]));
    expect(byIdentity(manifests)).toEqual(byIdentity(synthesized));
    expect(manifests.length).toBe(synthesized.length);
    expect(manifests.length).toBeGreaterThan(20);
  });

  test('the provider, its version range and the backend are explicit', () => {
    expect(stack('dev').provider).toEqual({ kubernetes: [{ config_context: 'acme-shop-main', config_path: '~/.kube/config' }] });
    expect(stack('prod').provider.kubernetes).toEqual([{
      host: 'https://prod.k8s.acme-shop.example',
      exec: [{ api_version: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token', '--cluster-name', 'prod'] }],
    }]);
    for (const env of ['dev', 'staging', 'prod']) {
      expect(stack(env).terraform.required_providers).toEqual({ kubernetes: { source: 'hashicorp/kubernetes', version: '>= 2.38.0, < 3.0.0' } });
    }
    expect(stack('dev').terraform.backend).toEqual({ local: { path: '../../../terraform-state/dev.tfstate' } });
    expect(stack('prod').terraform.backend).toEqual({ s3: { bucket: 'acme-shop-terraform', key: 'shop/prod.tfstate', region: 'eu-west-1' } });
  });

  test('resources are named by kind, namespace and name, and ordered by sync wave within their service', () => {
    const dev = resources('dev');
    const orders = dev['deployment_shop-dev_orders'];
    // ServiceAccount, ConfigMap and NetworkPolicy (wave -1) before the Deployment (wave 0) ...
    expect(orders.depends_on).toEqual([
      'kubernetes_manifest.configmap_shop-dev_orders-config',
      'kubernetes_manifest.networkpolicy_shop-dev_orders',
      'kubernetes_manifest.serviceaccount_shop-dev_orders',
    ]);
    // ... and the HPA and PodDisruptionBudget (wave 1) after everything of wave 0.
    expect(dev['horizontalpodautoscaler_shop-dev_orders'].depends_on).toContain('kubernetes_manifest.deployment_shop-dev_orders');
    expect(dev['poddisruptionbudget_shop-dev_orders'].depends_on).toContain('kubernetes_manifest.service_shop-dev_orders');
    expect(dev['serviceaccount_shop-dev_orders'].depends_on).toBeUndefined();
    // Every dependency is a resource of the stack: no dangling address.
    for (const r of Object.values(dev)) {
      for (const d of r.depends_on ?? []) expect(Object.keys(dev)).toContain(d.replace('kubernetes_manifest.', ''));
    }
  });

  test('fields controllers own are computed, rollouts are waited for, the field manager is named', () => {
    const dev = resources('dev');
    // The HPA owns orders' replica count; payments has no HPA.
    expect(dev['deployment_shop-dev_orders'].computed_fields).toEqual(['metadata.annotations', 'metadata.labels', 'spec.replicas']);
    expect(dev['deployment_shop-dev_payments'].computed_fields).toEqual(['metadata.annotations', 'metadata.labels']);
    expect(dev['deployment_shop-dev_orders'].wait).toEqual({ rollout: true });
    expect(dev['service_shop-dev_orders'].wait).toBeUndefined();
    expect(dev['deployment_shop-dev_orders'].field_manager).toEqual({ name: 'gantry', force_conflicts: false });
    // In prod Argo Rollouts sets the VirtualService's route weights.
    expect(resources('prod').virtualservice_shop_orders.computed_fields).toContain('spec.http[0].route');
  });

  test('strings Terraform would evaluate are escaped: the dashboards\' ${datasource} reaches the cluster as written', () => {
    const dashboard = resources('dev')['configmap_shop-dev_orders-dashboard'].manifest.data['orders.json'];
    expect(dashboard).toContain('"uid": "$${datasource}"');
    expect(dashboard).not.toMatch(/[^$]\$\{/);
  });

  test('the JSON is the same bytes wherever and from whichever folder it is synthesized, and names no path of the machine', () => {
    const other = exportShop(tmp('gantry-tf-elsewhere-'));
    expect(other.terraform).toEqual(shop.terraform);
    for (const text of shop.terraform.values()) {
      expect(text).not.toContain('gantry-tf-');
      expect(text).not.toContain(process.cwd());
    }
  });

  test('environment variables cdktf reads do not change the output', () => {
    const saved = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      expect(exportShop(tmp('gantry-tf-env-')).terraform).toEqual(shop.terraform);
      expect(process.env.SYNTH_HCL_OUTPUT).toBe('true');
    } finally {
      if (saved === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = saved;
    }
  });
});

/** An app with a prod environment on its own cluster, holding one service. */
function prodApp(outdir = path.join(tmp('gantry-tf-app-'), 'dist'), chartId = 'orders'): GantryApp {
  const app = new GantryApp({ outdir });
  const prod = new Environment(app, 'prod', { namespace: 'shop', cluster: ArgoCluster.byServer('https://prod.k8s.acme.example') });
  const chart = new Chart(prod, chartId, { namespace: 'shop', disableResourceNameHashes: true });
  new GoMicroservice(chart, 'orders', { image: 'ghcr.io/acme/orders:1.4.0', autoscaling: { maxReplicas: 6 } });
  return app;
}
const kubeconfig = TerraformKubernetesProvider.kubeconfig({ path: '~/.kube/config', context: 'prod' });
const stateOutside = TerraformBackend.local('../../../state/prod.tfstate');

/** Exports `app` with `options`; returns the stacks written, by resource name. */
function exported(app: GantryApp, options: Partial<TerraformExportOptions> = {}): { [name: string]: any } {
  const outdir = path.join(app.outdir, 'terraform');
  TerraformExport.writeStacks(app, { outdir, stacks: [{ environment: 'prod', provider: kubeconfig, backend: stateOutside }], ...options });
  return JSON.parse(fs.readFileSync(path.join(outdir, 'prod', 'cdk.tf.json'), 'utf8'));
}

/** The message of the error `writeStacks` throws, after checking that it wrote nothing. */
function exportError(options: Partial<TerraformExportOptions>, app = prodApp()): string {
  const outdir = path.join(app.outdir, 'terraform');
  try {
    TerraformExport.writeStacks(app, { outdir, stacks: [{ environment: 'prod', provider: kubeconfig, backend: stateOutside }], ...options });
  } catch (e) {
    expect(fs.existsSync(outdir)).toBe(false);
    // No staging folder left beside it either.
    const parent = path.dirname(path.resolve(outdir));
    expect(fs.existsSync(parent) ? fs.readdirSync(parent).filter((f) => f.includes('gantry-')) : []).toEqual([]);
    return (e as Error).message;
  }
  throw new Error('expected the export to fail');
}

describe('TerraformExport: addresses and options', () => {
  test('moving a service to another construct id moves nothing in Terraform\'s state', () => {
    const names = (app: GantryApp) => Object.keys(exported(app).resource.kubernetes_manifest).sort();
    expect(names(prodApp(undefined, 'orders-v2'))).toEqual(names(prodApp()));
    expect(names(prodApp())).toContain('deployment_shop_orders');
  });

  test('customResourcesDependOn orders the custom resources after their operator, and nothing else', () => {
    const app = prodApp();
    const chart = app.node.findAll().find((c): c is Chart => c instanceof Chart)!;
    (chart.node.findChild('orders') as GoMicroservice).addMonitoring({ availability: { objective: 99.9 } });
    const manifests = exported(app, { customResourcesDependOn: ['helm_release.kube_prometheus_stack'] }).resource.kubernetes_manifest;
    expect(manifests.servicemonitor_shop_orders.depends_on).toContain('helm_release.kube_prometheus_stack');
    expect(manifests.prometheusrule_shop_orders.depends_on).toContain('helm_release.kube_prometheus_stack');
    expect(manifests.deployment_shop_orders.depends_on ?? []).not.toContain('helm_release.kube_prometheus_stack');
  });

  test('objects marked as controller-managed become computed fields, with keys Terraform\'s path syntax quotes', () => {
    const app = prodApp();
    const deployment = app.node.findAll().find((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Deployment')!;
    ControllerManagedFields.of(deployment).add('/spec/template/metadata/annotations/keda.sh~1paused');
    const fields = exported(app).resource.kubernetes_manifest.deployment_shop_orders.computed_fields;
    expect(fields).toEqual(['metadata.annotations', 'metadata.labels', 'spec.replicas', 'spec.template.metadata.annotations["keda.sh/paused"]']);
  });

  test('addToStack puts the objects into a stack of your own, with an aliased provider', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cdktf = require('cdktf');
    const outdir = tmp('gantry-tf-own-');
    const tfApp = new cdktf.App({ outdir, stackTraces: false });
    const own = new cdktf.TerraformStack(tfApp, 'platform');
    new cdktf.LocalBackend(own, { path: 'platform.tfstate' });
    new cdktf.TerraformOutput(own, 'cluster', { value: 'prod' });
    TerraformExport.addToStack(own, prodApp(), { environment: 'prod', provider: kubeconfig });
    tfApp.synth();
    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'platform', 'cdk.tf.json'), 'utf8'));
    expect(json.output.cluster.value).toBe('prod');
    expect(json.provider.kubernetes).toEqual([{ alias: 'prod', config_context: 'prod', config_path: '~/.kube/config' }]);
    expect(json.resource.kubernetes_manifest.deployment_shop_orders.provider).toBe('kubernetes.prod');
  });
});

describe('TerraformExport: bad input', () => {
  test('fails when the environment does not exist', () => {
    expect(exportError({ stacks: [{ environment: 'qa', provider: kubeconfig, backend: stateOutside }] })).toBe(
      'GantryApp \'\': \'stacks[0].environment\' (qa) is not an environment of the app; use one of \'prod\'');
  });

  test('fails when a stack has no provider (a JavaScript caller)', () => {
    expect(exportError({ stacks: [{ environment: 'prod', backend: stateOutside } as any] })).toBe(
      'GantryApp \'\': \'stacks[0].provider\' (undefined) is missing; TerraformStackOptions requires it; '
      + 'pass new TerraformKubernetesProvider(...) or one of TerraformKubernetesProvider\'s static methods');
  });

  test('fails when the kubeconfig context is missing: the current context is whichever cluster someone last used', () => {
    const provider = TerraformKubernetesProvider.kubeconfig({ path: '~/.kube/config' } as any);
    expect(exportError({ stacks: [{ environment: 'prod', provider, backend: stateOutside }] })).toBe(
      'GantryApp \'\': \'stacks[0].provider.context\' (undefined) is missing: the provider would use the kubeconfig\'s current context, '
      + 'whichever cluster that is; name the context of the environment\'s cluster');
  });

  test('fails when the provider names another API server than the environment deploys to', () => {
    const provider = TerraformKubernetesProvider.exec({ host: 'https://staging.k8s.acme.example', command: 'aws' });
    expect(exportError({ stacks: [{ environment: 'prod', provider, backend: stateOutside }] })).toBe(
      'GantryApp \'\': \'stacks[0].provider.host\' (https://staging.k8s.acme.example) is not the API server the environment deploys to '
      + '(https://prod.k8s.acme.example); give the provider the environment\'s cluster, or the environment the cluster the provider names');
  });

  test('fails when the stack name is one Terraform or a folder refuses', () => {
    expect(exportError({ stacks: [{ environment: 'prod', name: 'prod/eu', provider: kubeconfig, backend: stateOutside }] })).toBe(
      'GantryApp \'\': \'stacks[0].name\' (prod/eu) is not a stack name Terraform and a folder can both carry; use letters, digits, \'_\' and \'-\', '
      + 'starting with a letter (a stack of charts outside environments needs a name)');
  });

  test('fails when an environment is exported twice', () => {
    const stacks = [{ environment: 'prod', provider: kubeconfig, backend: stateOutside }, { environment: 'prod', name: 'prod2', provider: kubeconfig, backend: stateOutside }];
    expect(exportError({ stacks })).toBe(
      'GantryApp \'\': \'stacks[1].environment\' (prod) is in two stacks, whose states would both claim its objects; export each environment once');
  });

  test('fails when the state would be a path of this machine, or inside the folder cdk8s synth deletes', () => {
    expect(exportError({ stacks: [{ environment: 'prod', provider: kubeconfig, backend: TerraformBackend.local('/var/tf/prod.tfstate') }] })).toBe(
      'GantryApp \'\': \'stacks[0].backend.path\' (/var/tf/prod.tfstate) is a path of this machine, which the JSON would carry to every other one; '
      + 'give a path relative to the stack\'s directory, or a remote backend');
    const app = prodApp();
    expect(exportError({ stacks: [{ environment: 'prod', provider: kubeconfig, backend: TerraformBackend.local('prod.tfstate') }] }, app)).toBe(
      `GantryApp '': 'stacks[0].backend.path' (prod.tfstate) puts the state inside ${app.outdir}, which cdk8s synth deletes before every run; `
      + 'keep it outside, for example \'../../../terraform-state/state.tfstate\'');
    expect(exportError({ stacks: [{ environment: 'prod', provider: kubeconfig, backend: TerraformBackend.of('s4', {}) }] })).toBe(
      'GantryApp \'\': \'stacks[0].backend.type\' (s4) is not a Terraform backend; use one of azurerm, consul, cos, gcs, http, kubernetes, local, oss, pg, remote, s3');
  });

  test('fails when two objects would have the same address', () => {
    const app = prodApp();
    const chart = app.node.findAll().find((c): c is Chart => c instanceof Chart)!;
    new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app.settings' } });
    new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-settings' } });
    new ApiObject(chart, 'c', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app_settings' } });
    expect(exportError({}, app)).toBe(
      'GantryApp \'\': \'stacks\' (configmap_shop_app_settings) is the Terraform address of both ConfigMap shop/app.settings (prod/orders/a) '
      + 'and ConfigMap shop/app_settings (prod/orders/c); rename one of the objects: an address is made of the kind, namespace and name, '
      + 'with characters Terraform refuses as \'_\'');
  });

  test('fails with how to install cdktf when it is missing, or of a version the export does not support', () => {
    for (const [mock, message] of [
      [() => { throw new Error('Cannot find module'); }, 'GantryApp \'\': \'terraform\' (cdktf) is not installed; the Terraform export needs it '
        + '(it is optional for everything else); run \'npm install --save-dev cdktf@0.21.0 @cdktf/provider-kubernetes@12.1.1\''],
      [() => ({ version: '0.20.11' }), 'GantryApp \'\': \'terraform\' (cdktf@0.20.11) is not a version the Terraform export supports (0.21.x); '
        + 'run \'npm install --save-dev cdktf@0.21.0 @cdktf/provider-kubernetes@12.1.1\''],
    ] as const) {
      jest.isolateModules(() => {
        jest.doMock('cdktf/package.json', mock);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const isolated = require('../../src');
        const app = new isolated.GantryApp({ outdir: path.join(tmp('gantry-tf-missing-'), 'dist') });
        expect(() => isolated.TerraformExport.writeStacks(app, { outdir: path.join(app.outdir, 'terraform'), stacks: [{ provider: kubeconfig, backend: stateOutside, name: 'all' }] }))
          .toThrow(message);
      });
      jest.dontMock('cdktf/package.json');
    }
  });
});
