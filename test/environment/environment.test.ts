import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { Environment } from '../../src';
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
  ] as [string, (c: Construct) => void, string][])('fails when %s', (_what, define, message) => {
    expect(gantryError(define).message).toBe(message);
  });
});
