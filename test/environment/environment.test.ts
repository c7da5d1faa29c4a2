import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoCluster, Environment } from '../../src';
import { defineServices, environments, fleet, IMAGE, newEnvironment, synthApp } from '../gitops/fleet';
import { gantryError, only } from '../harness';
import { podSecurityProblems, schemaProblems, stopPodSecurityValidator } from '../support/validators';

afterAll(stopPodSecurityValidator);

describe('Environment', () => {
  const files = synthApp((app) => fleet(app, () => undefined));
  const objects = (env: string) => files.get(`${env}/services.k8s.yaml`)!;

  test('each environment is written to its own folder, from one definition', () => {
    expect([...files.keys()]).toEqual(['argocd.k8s.yaml', 'dev/services.k8s.yaml', 'prod/services.k8s.yaml', 'staging/services.k8s.yaml']);
    for (const env of ['dev', 'staging', 'prod']) {
      expect(objects(env).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(objects('staging').map((o) => `${o.kind}/${o.metadata.name}`));
    }
    expect(objects('prod')).toMatchSnapshot();
  });

  test('each environment overrides what differs, and only that', () => {
    const deployment = (env: string, name: string) => only(objects(env), 'Deployment', name);
    const hpa = (env: string) => only(objects(env), 'HorizontalPodAutoscaler', 'orders');
    expect(objects('dev').every((o) => o.metadata.namespace === 'team-dev')).toBe(true);
    expect(objects('prod').every((o) => o.metadata.namespace === 'team')).toBe(true);
    expect(deployment('dev', 'orders').spec.template.spec.containers[0].image).toBe('ghcr.io/acme/orders:1.5.0-rc.1');
    expect(deployment('staging', 'orders').spec.template.spec.containers[0].image).toBe(IMAGE);
    expect(deployment('dev', 'orders').spec.template.spec.containers[0].env).toContainEqual({ name: 'LOG_LEVEL', value: 'debug' });
    expect(hpa('dev').spec).toMatchObject({ minReplicas: 2, maxReplicas: 3 });
    expect(hpa('staging').spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(hpa('prod').spec).toMatchObject({ minReplicas: 4, maxReplicas: 40 });
    expect(only(objects('prod'), 'PodDisruptionBudget', 'orders').spec.minAvailable).toBe(2);
    expect(deployment('prod', 'orders').spec.template.spec.containers[0].resources.limits).toEqual({ 'cpu': '2', 'memory': '1Gi', 'ephemeral-storage': '256Mi' });
    expect(deployment('dev', 'payments').spec.replicas).toBe(1);
    expect(deployment('prod', 'payments').spec.replicas).toBe(2);
  });

  test('no HPA-managed Deployment sets spec.replicas, in any environment', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      for (const h of objects(env).filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
        expect(only(objects(env), 'Deployment', h.spec.scaleTargetRef.name).spec).not.toHaveProperty('replicas');
      }
    }
  });

  test('objects carry sync waves: identity, config and network policy first, HPA and PDB after the workload', () => {
    const waves = Object.fromEntries(objects('prod').filter((o) => o.metadata.name === 'orders')
      .map((o) => [o.kind, o.metadata.annotations['argocd.argoproj.io/sync-wave']]));
    expect(waves).toEqual({
      ServiceAccount: '-1', NetworkPolicy: '-1', Deployment: '0', Service: '0', PodDisruptionBudget: '1', HorizontalPodAutoscaler: '1',
    });
  });

  test('every environment\'s objects pass the schemas and the pod security checks', async () => {
    for (const env of ['dev', 'staging', 'prod']) {
      expect(objects(env).flatMap((o) => schemaProblems(o))).toEqual([]);
      expect(await podSecurityProblems(objects(env))).toEqual([]);
    }
  });

  test('settings are free-form, with defaults', () => {
    const app = Testing.app();
    const [dev, staging] = environments(app);
    expect(dev.setting('domain')).toBe('dev.acme.example');
    expect(staging.setting('domain', 'staging.acme.example')).toBe('staging.acme.example');
    expect(Environment.named(app, 'prod').namespace).toBe('team');
  });

  test.each([
    ['two environments share a name', (c: Construct) => { newEnvironment(c, 'dev'); newEnvironment(c, 'dev2', { name: 'dev' }); },
      "Environment 'test/dev2': 'name' (dev) is already the name of test/dev; give each environment its own name"],
    ['an environment overrides a service it does not define', (c: Construct) => {
      const e = newEnvironment(c, 'dev', { services: { order: { replicas: 3 } } });
      defineServices(e);
    }, "Environment 'test/dev': 'services.order' (order) overrides a service this environment does not define; use the name of one of its services (orders, payments)"],
    ['an environment does not exist', (c: Construct) => { newEnvironment(c, 'dev'); newEnvironment(c, 'prod'); Environment.named(c, 'qa'); },
      "Chart 'test': 'environment' (qa) is not an environment of this app (it has dev, prod); use one of: dev, prod"],
    ['a cluster URL is a host name without a scheme', (c: Construct) => newEnvironment(c, 'prod', { cluster: ArgoCluster.byServer('prod.k8s.acme.example') }),
      "Environment 'test/prod': 'cluster' (prod.k8s.acme.example) is not a Kubernetes API server URL (an https URL without credentials, query or fragment); use the URL the cluster is registered under in Argo CD, such as ArgoCluster.byServer('https://10.0.0.1:6443'), or ArgoCluster.byName('prod')"],
    ['a cluster URL carries a token', (c: Construct) => newEnvironment(c, 'prod', { cluster: ArgoCluster.byServer('https://admin:s3cret@10.0.0.1:6443') }),
      "Environment 'test/prod': 'cluster' (https://admin:s3cret@10.0.0.1:6443) is not a Kubernetes API server URL (an https URL without credentials, query or fragment); use the URL the cluster is registered under in Argo CD, such as ArgoCluster.byServer('https://10.0.0.1:6443'), or ArgoCluster.byName('prod')"],
    ['a cluster name is empty', (c: Construct) => newEnvironment(c, 'prod', { cluster: ArgoCluster.byName('') }),
      "Environment 'test/prod': 'cluster' (\"\") is not a cluster name Argo CD can look up (empty, or with spaces around it); use the name the cluster is registered under in Argo CD (argocd cluster list), such as ArgoCluster.byName('prod')"],
    ['a cluster name has a trailing space', (c: Construct) => newEnvironment(c, 'prod', { cluster: ArgoCluster.byName('prod ') }),
      "Environment 'test/prod': 'cluster' (prod ) is not a cluster name Argo CD can look up (empty, or with spaces around it); use the name the cluster is registered under in Argo CD (argocd cluster list), such as ArgoCluster.byName('prod')"],
  ] as [string, (c: Construct) => void, string][])('fails when %s', (_what, define, message) => {
    expect(gantryError(define).message).toBe(message);
  });
});

// A bad override is blamed on the environment and the override that set it, not on the service that receives it.
describe('service overrides', () => {
  const env = (services: object) => (c: Construct) => defineServices(newEnvironment(c, 'prod', { services: services as any }));

  test.each([
    ['the image tag is latest', env({ orders: { imageTag: 'latest' } }),
      "Environment 'test/prod': 'services.orders.imageTag' (latest) does not pin a version: 'latest' changes without a commit, so Git cannot roll it back; use a version tag such as '1.4.2'"],
    ['the image tag is not a tag', env({ orders: { imageTag: 'v1.5 rc' } }),
      "Environment 'test/prod': 'services.orders.imageTag' (v1.5 rc) is not a valid image tag (letters, digits, '_', '.' and '-', at most 128, not starting with '.' or '-'); use a version tag such as '1.4.2'"],
    ['replicas is zero', env({ payments: { replicas: 0 } }),
      "Environment 'test/prod': 'services.payments.replicas' (0) must be a whole number from 1 to 10000; use 2 or more so that one pod can be evicted"],
    ['minReplicas is fractional', env({ orders: { minReplicas: 2.5 } }),
      "Environment 'test/prod': 'services.orders.minReplicas' (2.5) must be a whole number from 1 to 10000; use 2 or more so that one pod can be evicted"],
    ['maxReplicas is below minReplicas', env({ orders: { minReplicas: 10, maxReplicas: 4 } }),
      "Environment 'test/prod': 'services.orders.maxReplicas' (4) is below services.orders.minReplicas (10); raise it to 10 or more, or lower minReplicas"],
    ['replicas is set with HPA bounds', env({ orders: { replicas: 3, maxReplicas: 8 } }),
      "Environment 'test/prod': 'services.orders.replicas' (3) is set together with minReplicas or maxReplicas, which are for a service with an HPA; override replicas for a service without autoscaling, or minReplicas and maxReplicas for one with it"],
    ['an environment variable name is not one', env({ orders: { env: { 'LOG-LEVEL': 'debug' } } }),
      "Environment 'test/prod': 'services.orders.env.LOG-LEVEL' (LOG-LEVEL) is not a valid environment variable name (letters, digits and '_', not starting with a digit); use a name such as 'LOG_LEVEL'"],
    ['the service name cannot be one', env({ Orders: { replicas: 3 } }),
      "Environment 'test/prod': 'services.Orders' (Orders) is not a valid Kubernetes name (lowercase letters, digits and '-', starting with a letter, at most 50 characters); use a name such as 'orders'"],
  ] as [string, (c: Construct) => void, string][])('fails when %s', (_what, define, message) => {
    const received = gantryError(define).message;
    expect(received).toBe(message);
  });

  test('valid overrides reach the service', () => {
    const files = synthApp((app) => defineServices(newEnvironment(app, 'prod', { services: { orders: { imageTag: '1.5.0', minReplicas: 3, maxReplicas: 9 } } })));
    const objects = [...files.values()].flat();
    expect(only(objects, 'Deployment', 'orders').spec.template.spec.containers[0].image).toBe(IMAGE.replace(/:.*$/, ':1.5.0'));
    expect(only(objects, 'HorizontalPodAutoscaler', 'orders').spec).toMatchObject({ minReplicas: 3, maxReplicas: 9 });
  });
});
