import { Construct } from 'constructs';
import { ArgoApplication, ArgoProject } from '../../src';
import { gantryError, only } from '../harness';
import { applicationsFleet, newEnvironment, REPO } from './fleet';
import { schemaProblems } from '../support/validators';

describe('ArgoApplication', () => {
  const files = applicationsFleet();
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

  test.each([
    ['the destination is outside the project', (c: Construct) => {
      const dev = newEnvironment(c, 'dev');
      const prod = newEnvironment(c, 'prod');
      const project = new ArgoProject(c, 'team', { sourceRepos: [REPO], environments: [dev] });
      new ArgoApplication(c, 'app', { environment: prod, project, repoURL: REPO });
    }, "ArgoApplication 'test/app': 'environment' (prod (https://kubernetes.default.svc/team-prod)) is not a destination of project team (it allows https://kubernetes.default.svc/team-dev); add the environment to the project's 'environments', or use a project that has it"],
    ['the repository is not one of the project\'s', (c: Construct) => {
      const project = new ArgoProject(c, 'team', { sourceRepos: [REPO] });
      new ArgoApplication(c, 'app', { environment: newEnvironment(c, 'dev'), project, repoURL: 'https://github.com/acme/other.git' });
    }, "ArgoApplication 'test/app': 'repoURL' (https://github.com/acme/other.git) is not a source repository of project team (https://github.com/acme/deploy.git); add it to the project's sourceRepos, or use one of those"],
    ['the revision is not a Git ref', (c: Construct) => {
      const project = new ArgoProject(c, 'team', { sourceRepos: [REPO] });
      new ArgoApplication(c, 'app', { environment: newEnvironment(c, 'dev'), project, repoURL: REPO, revision: 'release 1.0' });
    }, "ArgoApplication 'test/app': 'revision' (release 1.0) is not a Git branch, tag or commit name; use a branch such as 'main', a tag such as 'v1.4.2', or a commit SHA"],
    ['a namespace would be created without permission', (c: Construct) => {
      const project = new ArgoProject(c, 'team', { sourceRepos: [REPO] });
      new ArgoApplication(c, 'app', { environment: newEnvironment(c, 'dev'), project, repoURL: REPO, sync: { createNamespace: true } });
    }, "ArgoApplication 'test/app': 'sync.createNamespace' (true) needs project team to allow the cluster-scoped kind Namespace; add { group: '', kind: 'Namespace' } to the project's clusterResources, or create the namespace outside Argo CD"],
    ['the path leaves the repository', (c: Construct) => {
      const project = new ArgoProject(c, 'team', { sourceRepos: [REPO] });
      new ArgoApplication(c, 'app', { environment: newEnvironment(c, 'dev'), project, repoURL: REPO, path: '../secrets' });
    }, "ArgoApplication 'test/app': 'path' (../secrets) is not a path inside the repository; use a relative path such as 'dist/prod'"],
  ] as [string, (c: Construct) => void, string][])('fails when %s', (_what, define, message) => {
    expect(gantryError(define).message).toBe(message);
  });
});
