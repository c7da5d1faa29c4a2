import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { shopArgoCd, shopEnvironments } from '../../examples/shop/environments';
import { buildShop } from '../../examples/shop/shop';
import { GantryApp } from '../../src';
import { takeTree } from '../harness';
import { checkRules } from '../support/promtool';
import { podSecurityProblems, schemaProblems, stopPodSecurityValidator } from '../support/validators';

const ROOT = path.join(__dirname, '..', '..');

/** The shop as examples/shop/main.ts builds it: three environments and the Argo CD objects. */
function synthShop(): Map<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-shop-'));
  const app = new GantryApp({ outdir });
  const environments = shopEnvironments(app);
  for (const env of environments) buildShop(env);
  shopArgoCd(new Chart(app, 'argocd'), new Chart(app, 'argocd-root'), environments);
  app.synth();
  return takeTree(outdir);
}

const files = synthShop();
const parse = (text: string) => parseAllDocuments(text).map((d) => d.toJSON());
const objects = [...files.values()].flatMap(parse);
const envObjects = (env: string) => [...files].filter(([f]) => f.startsWith(`${env}/`)).flatMap(([, text]) => parse(text));
const find = (env: string, kind: string, name: string) => envObjects(env).find((o) => o.kind === kind && o.metadata.name === name);
const NAMESPACES: Record<string, string> = { dev: 'shop-dev', staging: 'shop-staging', prod: 'shop' };

afterAll(stopPodSecurityValidator);

describe('example: shop', () => {
  test('manifests', () => {
    expect([...files.keys()]).toEqual([
      'argocd-root.k8s.yaml', 'argocd.k8s.yaml',
      ...['dev', 'prod', 'staging'].flatMap((env) => ['inventory', 'orders', 'payments'].map((s) => `${env}/${s}.k8s.yaml`)),
    ]);
    for (const [file, text] of files) expect(text).toMatchSnapshot(file);
  });

  test('every object passes the upstream Kubernetes and Argo CD schemas, with no unknown field', () => {
    // Per environment: 17 workload objects and 3 x 3 monitoring objects; staging and prod: inventory's DestinationRule;
    // prod: orders' VirtualService, DestinationRule, Rollout and AnalysisTemplate, payments' Rollout, AnalysisTemplate
    // and preview Service; then the project, ApplicationSet, and the root with its own project.
    expect(objects.length).toBe(3 * (17 + 9) + 2 + 7 + 4);
    expect(objects.flatMap((o) => schemaProblems(o))).toEqual([]);
  });

  test.each(['dev', 'staging', 'prod'])('%s: Pod Security Standards restricted, best practices and links: no finding', async (env) => {
    // The shop's Secrets are managed outside Gantry (by design: it never writes secret data); the link check still
    // proves that the Deployments reference exactly these.
    const external = ['orders-db', 'payments-provider'].map((name) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: NAMESPACES[env] } }));
    expect(await podSecurityProblems([...envObjects(env), ...external])).toEqual([]);
    // The YAML text as written, too: the yaml-syntax rules only see real mistakes in real text.
    const texts = [...files].filter(([f]) => f.startsWith(`${env}/`)).map(([, t]) => t);
    const text = [...texts, ...external.map((x) => JSON.stringify(x) + '\n')].join('---\n');
    expect(await podSecurityProblems(text)).toEqual([]);
  });

  test.each(['dev', 'staging', 'prod'])('%s: every reference resolves: Services, NetworkPolicies, PDBs and HPAs target existing pods', (env) => {
    const own = envObjects(env);
    const deployments = own.filter((o) => o.kind === 'Deployment');
    const podsOf = (selector: Record<string, string>) =>
      deployments.filter((d) => Object.entries(selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
    for (const o of own) {
      expect(o.metadata.namespace).toBe(NAMESPACES[env]);
      if (o.kind === 'Service') {
        const [d] = podsOf(o.spec.selector);
        const portNames = d.spec.template.spec.containers[0].ports.map((p: any) => p.name);
        for (const p of o.spec.ports) expect(portNames).toContain(p.targetPort);
      }
      if (o.kind === 'NetworkPolicy' || o.kind === 'PodDisruptionBudget') {
        expect(podsOf((o.spec.podSelector ?? o.spec.selector).matchLabels)).toHaveLength(1);
      }
      if (o.kind === 'HorizontalPodAutoscaler') {
        const target = find(env, o.spec.scaleTargetRef.kind, o.spec.scaleTargetRef.name);
        expect(target).toBeDefined();
        expect(target.spec).not.toHaveProperty('replicas');
        expect(find(env, 'PodDisruptionBudget', o.metadata.name).spec.minAvailable).toBeLessThan(o.spec.minReplicas);
      }
      if (o.kind === 'Deployment') {
        expect(find(env, 'ServiceAccount', o.spec.template.spec.serviceAccountName)).toBeDefined();
        for (const v of o.spec.template.spec.volumes) if (v.configMap) expect(find(env, 'ConfigMap', v.configMap.name)).toBeDefined();
      }
    }
  });

  test('the environments differ where the example says, and only there', () => {
    const image = (env: string) => find(env, 'Deployment', 'orders').spec.template.spec.containers[0].image;
    expect([image('dev'), image('staging'), image('prod')]).toEqual([
      'ghcr.io/acme-shop/orders:1.9.0-rc.1', 'ghcr.io/acme-shop/orders:1.9.0-rc.1', 'ghcr.io/acme-shop/orders:1.8.2',
    ]);
    const hpa = (env: string) => find(env, 'HorizontalPodAutoscaler', 'orders').spec;
    expect([hpa('dev'), hpa('staging'), hpa('prod')].map((h) => [h.minReplicas, h.maxReplicas])).toEqual([[2, 4], [3, 20], [4, 40]]);
    expect(find('prod', 'Deployment', 'payments').spec.replicas).toBe(3);
    expect(find('dev', 'Deployment', 'inventory').spec.replicas).toBe(2);
    expect(find('prod', 'Deployment', 'inventory').spec.template.spec.containers[0].readinessProbe.grpc).toEqual({ port: 9000, service: 'readiness' });
    expect(find('prod', 'Deployment', 'payments').spec.template.spec.terminationGracePeriodSeconds).toBe(55);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('every PrometheusRule passes promtool check rules, and every service has its monitoring', () => {
    const rules = objects.filter((o) => o.kind === 'PrometheusRule');
    expect(rules.length).toBe(9);
    for (const r of rules) {
      const result = checkRules({ groups: r.spec.groups });
      expect(result.output).toContain('SUCCESS');
    }
    for (const env of ['dev', 'staging', 'prod']) {
      for (const svc of ['orders', 'inventory', 'payments']) {
        expect(find(env, 'ServiceMonitor', svc)).toBeDefined();
        expect(find(env, 'ConfigMap', `${svc}-dashboard`)).toBeDefined();
      }
    }
    expect(find('prod', 'PrometheusRule', 'orders').spec.groups.map((g: any) => g.name)).toEqual(['orders.alerts', 'orders.slo']);
  });

  test('Argo CD: a least-privilege project and an ApplicationSet that syncs every environment automatically', () => {
    const argo = parse(files.get('argocd.k8s.yaml')!);
    expect(argo.map((o) => o.kind)).toEqual(['AppProject', 'ApplicationSet']);
    const set = argo[1];
    expect(set.spec.generators[0].list.elements.map((e: any) => e.env)).toEqual(['dev', 'staging', 'prod']);
    expect(set.spec.template.spec.project).toBe('shop');
    expect(set.spec.template.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    // What controllers own: replica counts (HPA, Argo Rollouts), the VirtualService weights and the subsets' labels.
    expect(set.spec.template.spec.ignoreDifferences).toEqual([
      { group: 'apps', kind: 'Deployment', name: 'orders', jsonPointers: ['/spec/replicas'] },
      { group: 'apps', kind: 'Deployment', name: 'payments', jsonPointers: ['/spec/replicas'] },
      { group: 'argoproj.io', kind: 'Rollout', name: 'orders', jsonPointers: ['/spec/replicas'] },
      { group: 'networking.istio.io', kind: 'DestinationRule', name: 'orders', jsonPointers: ['/spec/subsets'] },
      { group: 'networking.istio.io', kind: 'VirtualService', name: 'orders', jsonPointers: ['/spec/http/0/route'] },
    ]);
    // Argo CD creates each namespace, where Pod Security admission then enforces the restricted profile.
    expect(argo[0].spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
    expect(set.spec.template.spec.syncPolicy.syncOptions).toContain('CreateNamespace=true');
    expect(set.spec.template.spec.syncPolicy.managedNamespaceMetadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    // The root runs in a project of its own that can create Argo CD objects only, never a workload.
    const [rootProject, root] = parse(files.get('argocd-root.k8s.yaml')!);
    expect([rootProject.kind, root.kind]).toEqual(['AppProject', 'Application']);
    expect(root.spec.project).toBe(rootProject.metadata.name);
    expect(root.spec.source.directory).toEqual({ include: 'argocd.k8s.yaml' });
    expect(rootProject.spec.clusterResourceWhitelist).toEqual([]);
    expect(rootProject.spec.namespaceResourceWhitelist.map((k: any) => k.group)).toEqual(['argoproj.io', 'argoproj.io', 'argoproj.io']);
  });

  test('prod releases orders as an Istio canary and payments blue-green, with Argo Rollouts; the mesh guards inventory', () => {
    const kinds = (env: string) => envObjects(env).filter((o) => /Rollout|AnalysisTemplate|VirtualService|DestinationRule/.test(o.kind))
      .map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(kinds('dev')).toEqual([]);
    expect(kinds('staging')).toEqual(['DestinationRule/inventory']);
    expect(kinds('prod')).toEqual([
      'AnalysisTemplate/orders-analysis', 'AnalysisTemplate/payments-analysis', 'DestinationRule/inventory', 'DestinationRule/orders',
      'Rollout/orders', 'Rollout/payments', 'VirtualService/orders',
    ]);
    expect(find('prod', 'Rollout', 'orders').spec.strategy.canary.trafficRouting.istio.virtualService).toEqual({ name: 'orders', routes: ['primary'] });
    expect(find('prod', 'Rollout', 'payments').spec.strategy.blueGreen).toMatchObject({ activeService: 'payments', previewService: 'payments-preview' });
    expect(find('prod', 'DestinationRule', 'inventory').spec.trafficPolicy.connectionPool.http.http2MaxRequests).toBe(512);
  });

  test('npx cdk8s synth writes the same bytes twice', () => {
    const run = () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-cli-'));
      const result = spawnSync('npx', ['cdk8s', 'synth', '--output', out], {
        cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
      });
      expect(result.status).toBe(0);
      return takeTree(out);
    };
    const first = run();
    expect(run()).toEqual(first);
    // ... the same manifests as GantryApp in this process, the Helm chart (a values file per environment) and each
    // environment's Terraform stack beside them.
    expect(new Map([...first].filter(([f]) => !f.startsWith('helm') && !f.startsWith('terraform')))).toEqual(files);
    expect([...first.keys()].filter((f) => f.startsWith('terraform'))).toEqual(['dev', 'prod', 'staging'].map((env) => `terraform/${env}/cdk.tf.json`));
    expect([...first.keys()].filter((f) => f.startsWith('helm'))).toEqual([
      'helm/shop/.helmignore', 'helm/shop/Chart.yaml', 'helm/shop/README.md', 'helm/shop/templates/NOTES.txt', 'helm/shop/templates/_helpers.tpl',
      'helm/shop/templates/inventory.yaml', 'helm/shop/templates/orders.yaml', 'helm/shop/templates/payments.yaml',
      'helm/shop/templates/tests/metrics.yaml',
      'helm/shop/values-dev.yaml', 'helm/shop/values-prod.yaml', 'helm/shop/values-staging.yaml', 'helm/shop/values.schema.json', 'helm/shop/values.yaml',
    ]);
  }, 60_000);
});
