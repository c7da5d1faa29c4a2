import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { buildShop } from '../../examples/shop/shop';
import { GantryApp } from '../../src';
import { podSecurityProblems, schemaProblems, stopPodSecurityValidator } from '../support/validators';

const ROOT = path.join(__dirname, '..', '..');

function synthShop(): Map<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-shop-'));
  const app = new GantryApp({ outdir });
  buildShop(app);
  app.synth();
  const files = new Map(fs.readdirSync(outdir).sort().map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]));
  fs.rmSync(outdir, { recursive: true });
  return files;
}

const files = synthShop();
const objects = [...files.values()].flatMap((text) => parseAllDocuments(text).map((d) => d.toJSON()));
const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

afterAll(stopPodSecurityValidator);

describe('example: shop', () => {
  test('manifests', () => {
    expect([...files.keys()]).toEqual(['inventory.k8s.yaml', 'orders.k8s.yaml', 'payments.k8s.yaml']);
    for (const [file, text] of files) expect(text).toMatchSnapshot(file);
  });

  test('every object passes the upstream Kubernetes schema, with no unknown field', () => {
    expect(objects.length).toBe(17);
    expect(objects.flatMap((o) => schemaProblems(o))).toEqual([]);
  });

  test('Pod Security Standards restricted, best practices and links: no finding', async () => {
    // The shop's Secrets are managed outside Gantry (by design: it never writes secret data); the link check still
    // proves that the Deployments reference exactly these.
    const external = ['orders-db', 'payments-provider'].map((name) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'shop' } }));
    expect(await podSecurityProblems([...objects, ...external])).toEqual([]);
    // The YAML text as written, too: the yaml-syntax rules only see real mistakes in real text.
    const text = [...files.values(), ...external.map((s) => JSON.stringify(s) + '\n')].join('---\n');
    expect(await podSecurityProblems(text)).toEqual([]);
  });

  test('every reference resolves: Services, NetworkPolicies, PDBs and HPAs target existing pods', () => {
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    const podsOf = (selector: Record<string, string>, ns: string) => deployments.filter((d) => d.metadata.namespace === ns
      && Object.entries(selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
    for (const o of objects) {
      const ns = o.metadata.namespace;
      expect(ns).toBe('shop');
      if (o.kind === 'Service') {
        const [d] = podsOf(o.spec.selector, ns);
        const portNames = d.spec.template.spec.containers[0].ports.map((p: any) => p.name);
        for (const p of o.spec.ports) expect(portNames).toContain(p.targetPort);
      }
      if (o.kind === 'NetworkPolicy' || o.kind === 'PodDisruptionBudget') {
        expect(podsOf((o.spec.podSelector ?? o.spec.selector).matchLabels, ns)).toHaveLength(1);
      }
      if (o.kind === 'HorizontalPodAutoscaler') {
        const target = find('Deployment', o.spec.scaleTargetRef.name);
        expect(target).toBeDefined();
        expect(target.spec).not.toHaveProperty('replicas');
        expect(find('PodDisruptionBudget', o.metadata.name).spec.minAvailable).toBeLessThan(o.spec.minReplicas);
      }
      if (o.kind === 'Deployment') {
        expect(find('ServiceAccount', o.spec.template.spec.serviceAccountName)).toBeDefined();
        for (const v of o.spec.template.spec.volumes) if (v.configMap) expect(find('ConfigMap', v.configMap.name)).toBeDefined();
      }
    }
  });

  test('the services are what the example says', () => {
    expect(find('HorizontalPodAutoscaler', 'orders').spec.metrics[0].pods.metric.name).toBe('http_requests_per_second');
    expect(find('Deployment', 'inventory').spec.template.spec.containers[0].readinessProbe.grpc).toEqual({ port: 9000, service: 'readiness' });
    expect(find('Deployment', 'inventory').spec.replicas).toBe(3);
    expect(find('Deployment', 'payments').spec.template.spec.terminationGracePeriodSeconds).toBe(55);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('npx cdk8s synth writes the same bytes twice', () => {
    const run = () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-cli-'));
      const result = spawnSync('npx', ['cdk8s', 'synth', '--output', out], {
        cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
      });
      expect(result.status).toBe(0);
      const written = new Map((fs.readdirSync(out, { recursive: true }) as string[]).sort()
        .filter((f) => fs.statSync(path.join(out, f)).isFile())
        .map((f) => [f, fs.readFileSync(path.join(out, f), 'utf8')]));
      fs.rmSync(out, { recursive: true });
      return written;
    };
    const first = run();
    expect(run()).toEqual(first);
    // ... the same manifests as GantryApp in this process, and the Helm chart beside them.
    expect(new Map([...first].filter(([f]) => !f.startsWith('helm')))).toEqual(files);
    expect([...first.keys()].filter((f) => f.startsWith('helm'))).toEqual([
      'helm/shop/.helmignore', 'helm/shop/Chart.yaml', 'helm/shop/templates/NOTES.txt', 'helm/shop/templates/_helpers.tpl',
      'helm/shop/templates/inventory.yaml', 'helm/shop/templates/orders.yaml', 'helm/shop/templates/payments.yaml',
      'helm/shop/values.schema.json', 'helm/shop/values.yaml',
    ]);
  }, 60_000);
});
