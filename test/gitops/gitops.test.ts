import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import {
  ApplicationSetGenerator, ArgoApplication, ArgoApplicationSet, ArgoAppOfApps, ArgoCluster, ArgoNotification, ArgoProject,
  Environment, EnvironmentProps, GantryApp, GoMicroservice,
} from '../../src';
import { gantryError, only, takeTree } from '../harness';
import { podSecurityProblems, schemaProblems, stopPodSecurityValidator } from '../support/validators';

afterAll(stopPodSecurityValidator);

const REPO = 'https://github.com/acme/deploy.git';
const IMAGE = 'ghcr.io/acme/orders:1.4.2';

/** One definition of two services, run in each environment. */
function defineServices(env: Construct): void {
  const chart = new Chart(env, 'services');
  new GoMicroservice(chart, 'orders', { image: IMAGE, autoscaling: { minReplicas: 2, maxReplicas: 6 } });
  new GoMicroservice(chart, 'payments', { image: 'ghcr.io/acme/payments:3.0.1', replicas: 2 });
}

function environments(app: Construct): Environment[] {
  return [
    new Environment(app, 'dev', {
      namespace: 'team-dev',
      cluster: ArgoCluster.inCluster(),
      services: { orders: { imageTag: '1.5.0-rc.1', maxReplicas: 3, env: { LOG_LEVEL: 'debug' } }, payments: { replicas: 1 } },
      settings: { domain: 'dev.acme.example' },
    }),
    new Environment(app, 'staging', { namespace: 'team-staging', cluster: ArgoCluster.inCluster() }),
    new Environment(app, 'prod', {
      namespace: 'team',
      cluster: ArgoCluster.byServer('https://prod.k8s.acme.example'),
      revision: 'v1.4.2',
      services: { orders: { minReplicas: 4, maxReplicas: 40, resources: { cpu: { limit: Cpu.units(2) }, memory: { limit: Size.gibibytes(1) } } } },
    }),
  ];
}

/** Synthesizes an app with GantryApp; returns every file written, parsed, by path relative to outdir. */
function synthApp(define: (app: App) => void): Map<string, any[]> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-gitops-'));
  const app = new GantryApp({ outdir });
  define(app);
  app.synth();
  return new Map([...takeTree(outdir)].map(([f, text]) => [f, parseAllDocuments(text).map((d) => d.toJSON())]));
}

function fleet(app: App, argo: (chart: Chart, project: ArgoProject, envs: Environment[]) => void): void {
  const envs = environments(app);
  envs.forEach(defineServices);
  const chart = new Chart(app, 'argocd');
  const project = new ArgoProject(chart, 'team', { sourceRepos: [REPO] });
  argo(chart, project, envs);
}

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
});

describe('ArgoProject', () => {
  test('least privilege: its repository, its environments, only the kinds they emit, no cluster resources', () => {
    const files = synthApp((app) => fleet(app, () => undefined));
    const project = only(files.get('argocd.k8s.yaml')!, 'AppProject');
    expect(project).toMatchSnapshot();
    expect(project.metadata).toMatchObject({ name: 'team', namespace: 'argocd' });
    expect(project.spec.sourceRepos).toEqual([REPO]);
    expect(project.spec.destinations).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: 'team-dev' },
      { server: 'https://kubernetes.default.svc', namespace: 'team-staging' },
      { server: 'https://prod.k8s.acme.example', namespace: 'team' },
    ]);
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
    expect(project.spec.namespaceResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`)).toEqual([
      '/Service', '/ServiceAccount', 'apps/Deployment', 'autoscaling/HorizontalPodAutoscaler', 'networking.k8s.io/NetworkPolicy', 'policy/PodDisruptionBudget',
    ]);
    expect(schemaProblems(project)).toEqual([]);
  });
});

describe('ArgoApplication', () => {
  const files = synthApp((app) => fleet(app, (chart, project, envs) => {
    for (const environment of envs) {
      new ArgoApplication(chart, `app-${environment.name}`, {
        environment,
        project,
        repoURL: REPO,
        notifications: [ArgoNotification.subscribe('on-sync-failed', 'slack', 'deployments')],
      });
    }
    new ArgoApplication(chart, 'helm-prod', {
      name: 'team-prod-helm',
      environment: envs[2],
      project,
      repoURL: REPO,
      helm: { chartPath: 'dist/helm/team', valueFiles: ['values-prod.yaml'] },
      sync: {
        createNamespace: false, serverSideApply: true, retryLimit: 10, retryBackoff: Duration.seconds(10), retryMaxBackoff: Duration.minutes(10),
      },
    });
    new ArgoAppOfApps(new Chart(chart.node.scope as Construct, 'argocd-root'), 'root', { repoURL: REPO });
  }));
  const argo = files.get('argocd.k8s.yaml')!;
  const apps = argo.filter((o) => o.kind === 'Application');

  test('one Application per environment, in a non-default project, syncing automatically', () => {
    expect(apps.map((a) => a.metadata.name)).toEqual(['team-dev', 'team-staging', 'team-prod', 'team-prod-helm']);
    expect(only(argo, 'Application', 'team-prod')).toMatchSnapshot();
    for (const a of apps) {
      expect(a.spec.project).toBe('team');
      expect(a.spec.project).not.toBe('default');
      expect(a.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      expect(a.spec.syncPolicy.retry.limit).toBeGreaterThan(0);
      expect(a.spec.syncPolicy.retry.backoff).toEqual(expect.objectContaining({ factor: 2 }));
      expect(a.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    }
    const prod = only(argo, 'Application', 'team-prod');
    expect(prod.spec.source).toEqual({ repoURL: REPO, targetRevision: 'v1.4.2', path: 'dist/prod' });
    expect(prod.spec.destination).toEqual({ server: 'https://prod.k8s.acme.example', namespace: 'team' });
    expect(only(argo, 'Application', 'team-dev').spec.source.targetRevision).toBe('main');
    expect(only(argo, 'Application', 'team-dev').metadata.annotations).toEqual({ 'notifications.argoproj.io/subscribe.on-sync-failed.slack': 'deployments' });
  });

  test('ignores /spec/replicas of every HPA-managed Deployment, and respects it when syncing', () => {
    for (const a of apps) {
      expect(a.spec.ignoreDifferences).toEqual([
        { group: 'apps', kind: 'Deployment', name: 'orders', namespace: a.spec.destination.namespace, jsonPointers: ['/spec/replicas'] },
      ]);
      expect(a.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    }
    // Each ignored Deployment is HPA-managed in that environment, and sets no replicas.
    for (const env of ['dev', 'staging', 'prod']) {
      const objects = files.get(`${env}/services.k8s.yaml`)!;
      expect(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name)).toEqual(['orders']);
    }
  });

  test('a Helm source with values files, and tuned sync', () => {
    const helm = only(argo, 'Application', 'team-prod-helm');
    expect(helm.spec.source).toEqual({
      repoURL: REPO, targetRevision: 'v1.4.2', path: 'dist/helm/team', helm: { valueFiles: ['values-prod.yaml'] },
    });
    expect(helm.spec.syncPolicy).toEqual({
      automated: { prune: true, selfHeal: true },
      syncOptions: ['PruneLast=true', 'ServerSideApply=true', 'RespectIgnoreDifferences=true'],
      retry: { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '10m' } },
    });
  });

  test('the project syncs before the Applications; the app-of-apps root syncs them from Git', () => {
    expect(argo[0].kind).toBe('AppProject');
    expect(argo[0].metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    const root = only(files.get('argocd-root.k8s.yaml')!, 'Application');
    expect(root.spec.source).toEqual({ repoURL: REPO, targetRevision: 'main', path: 'dist', directory: { include: 'argocd.k8s.yaml' } });
    expect(root.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
  });

  test('every Argo CD object passes the Argo CD schema, with unknown-field detection that can fail', () => {
    const all = [...argo, ...files.get('argocd-root.k8s.yaml')!];
    expect(all.flatMap((o) => schemaProblems(o))).toEqual([]);
    const typo = JSON.parse(JSON.stringify(apps[0]));
    typo.spec.syncPolicy.automated.selfHael = true;
    typo.spec.ignoreDifferences[0].jsonPointer = ['/spec/replicas'];
    expect(schemaProblems(typo).sort()).toEqual([
      'Application/team-dev: spec.ignoreDifferences[0].jsonPointer: unknown field',
      'Application/team-dev: spec.syncPolicy.automated.selfHael: unknown field',
    ]);
  });
});

describe('ArgoApplicationSet', () => {
  test('list generator: one element per environment', () => {
    const files = synthApp((app) => fleet(app, (chart, project, envs) => {
      new ArgoApplicationSet(chart, 'fleet', { project, environments: envs, repoURL: REPO });
    }));
    const set = only(files.get('argocd.k8s.yaml')!, 'ApplicationSet');
    expect(set).toMatchSnapshot();
    expect(set.spec.goTemplate).toBe(true);
    expect(set.spec.goTemplateOptions).toEqual(['missingkey=error']);
    expect(set.spec.generators[0].list.elements.map((e: any) => [e.env, e.namespace, e.revision, e.path])).toEqual([
      ['dev', 'team-dev', 'main', 'dist/dev'], ['staging', 'team-staging', 'main', 'dist/staging'], ['prod', 'team', 'v1.4.2', 'dist/prod'],
    ]);
    const t = set.spec.template;
    expect(t.metadata.name).toBe('team-{{.env}}');
    expect(t.spec.project).toBe('team');
    expect(t.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(t.spec.ignoreDifferences).toEqual([{ group: 'apps', kind: 'Deployment', name: 'orders', jsonPointers: ['/spec/replicas'] }]);
    expect(schemaProblems(set)).toEqual([]);
  });

  test('cluster generator: clusters labelled with their environment', () => {
    const files = synthApp((app) => fleet(app, (chart, project, envs) => {
      new ArgoApplicationSet(chart, 'fleet', { project, environments: envs, repoURL: REPO, generator: ApplicationSetGenerator.CLUSTERS });
    }));
    const set = only(files.get('argocd.k8s.yaml')!, 'ApplicationSet');
    expect(set.spec.generators[2]).toEqual({
      clusters: { selector: { matchLabels: { 'gantry.dev/environment': 'prod' } }, values: { env: 'prod', namespace: 'team', revision: 'v1.4.2', path: 'dist/prod' } },
    });
    expect(set.spec.template.spec.destination).toEqual({ server: '{{.server}}', namespace: '{{.values.namespace}}' });
    expect(schemaProblems(set)).toEqual([]);
  });
});

describe('GitOps bad input', () => {
  const env = (scope: Construct, id: string, props: Partial<EnvironmentProps> = {}) =>
    new Environment(scope, id, { namespace: `team-${id}`, cluster: ArgoCluster.inCluster(), ...props });

  test.each([
    ['two environments share a name', (c: Construct) => { env(c, 'dev'); env(c, 'dev2', { name: 'dev' }); },
      "Environment 'test/dev2': 'name' (dev) is already the name of test/dev; give each environment its own name"],
    ['an environment overrides a service it does not define', (c: Construct) => {
      const e = env(c, 'dev', { services: { order: { replicas: 3 } } });
      defineServices(e);
    }, "Environment 'test/dev': 'services.order' (order) overrides a service this environment does not define; use the name of one of its services (orders, payments)"],
    ['an environment does not exist', (c: Construct) => { env(c, 'dev'); env(c, 'prod'); Environment.named(c, 'qa'); },
      "Chart 'test': 'environment' (qa) is not an environment of this app (it has dev, prod); use one of: dev, prod"],
    ['the destination is outside the project', (c: Construct) => {
      const dev = env(c, 'dev');
      const prod = env(c, 'prod');
      const project = new ArgoProject(c, 'team', { sourceRepos: [REPO], environments: [dev] });
      new ArgoApplication(c, 'app', { environment: prod, project, repoURL: REPO });
    }, "ArgoApplication 'test/app': 'environment' (prod (https://kubernetes.default.svc/team-prod)) is not a destination of project team (it allows https://kubernetes.default.svc/team-dev); add the environment to the project's 'environments', or use a project that has it"],
    ['the repository is not one of the project\'s', (c: Construct) => {
      const project = new ArgoProject(c, 'team', { sourceRepos: [REPO] });
      new ArgoApplication(c, 'app', { environment: env(c, 'dev'), project, repoURL: 'https://github.com/acme/other.git' });
    }, "ArgoApplication 'test/app': 'repoURL' (https://github.com/acme/other.git) is not a source repository of project team (https://github.com/acme/deploy.git); add it to the project's sourceRepos, or use one of those"],
    ['the repository URL cannot be cloned', (c: Construct) => new ArgoProject(c, 'team', { sourceRepos: ['github.com/acme/deploy'] }),
      "ArgoProject 'test/team': 'sourceRepos[0]' (github.com/acme/deploy) is not a Git repository URL Argo CD can clone; use https://github.com/acme/deploy.git or git@github.com:acme/deploy.git"],
    ['the revision is not a Git ref', (c: Construct) => {
      const project = new ArgoProject(c, 'team', { sourceRepos: [REPO] });
      new ArgoApplication(c, 'app', { environment: env(c, 'dev'), project, repoURL: REPO, revision: 'release 1.0' });
    }, "ArgoApplication 'test/app': 'revision' (release 1.0) is not a Git branch, tag or commit name; use a branch such as 'main', a tag such as 'v1.4.2', or a commit SHA"],
    ['an environment\'s revision is not a Git ref', (c: Construct) => {
      const dev = env(c, 'dev', { revision: 'feature..x' });
      const project = new ArgoProject(c, 'team', { sourceRepos: [REPO] });
      new ArgoApplicationSet(c, 'set', { environments: [dev], project, repoURL: REPO });
    }, "ArgoApplicationSet 'test/set': 'environments.dev.revision' (feature..x) is not a Git branch, tag or commit name; use a branch such as 'main', a tag such as 'v1.4.2', or a commit SHA"],
    ['a namespace would be created without permission', (c: Construct) => {
      const project = new ArgoProject(c, 'team', { sourceRepos: [REPO] });
      new ArgoApplication(c, 'app', { environment: env(c, 'dev'), project, repoURL: REPO, sync: { createNamespace: true } });
    }, "ArgoApplication 'test/app': 'sync.createNamespace' (true) needs project team to allow the cluster-scoped kind Namespace; add { group: '', kind: 'Namespace' } to the project's clusterResources, or create the namespace outside Argo CD"],
    ['the path leaves the repository', (c: Construct) => {
      const project = new ArgoProject(c, 'team', { sourceRepos: [REPO] });
      new ArgoApplication(c, 'app', { environment: env(c, 'dev'), project, repoURL: REPO, path: '../secrets' });
    }, "ArgoApplication 'test/app': 'path' (../secrets) is not a path inside the repository; use a relative path such as 'dist/prod'"],
    ['an ApplicationSet has no environment', (c: Construct) => {
      const project = new ArgoProject(c, 'team', { sourceRepos: [REPO] });
      new ArgoApplicationSet(c, 'set', { environments: [], project, repoURL: REPO });
    }, "ArgoApplicationSet 'test/set': 'environments' ([]) is empty, so no Application is generated; list the environments to deploy"],
    ['a project allows no repository', (c: Construct) => new ArgoProject(c, 'team', { sourceRepos: [] }),
      "ArgoProject 'test/team': 'sourceRepos' ([]) allows no repository, so no application can sync; list the repository Gantry writes to"],
  ] as [string, (c: Construct) => void, string][])('fails when %s', (_what, define, message) => {
    expect(gantryError(define).message).toBe(message);
  });
});
