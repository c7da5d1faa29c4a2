import { Construct } from 'constructs';
import { ArgoAppOfApps } from '../../src';
import { gantryError, newChart, only, synth } from '../harness';
import { applicationsFleet, REPO } from './fleet';
import { schemaProblems } from '../support/validators';

describe('ArgoAppOfApps', () => {
  const files = applicationsFleet();
  const argo = files.get('argocd.k8s.yaml')!;
  const rootFile = files.get('argocd-root.k8s.yaml')!;

  test('the project syncs before the Applications; the app-of-apps root syncs them from Git', () => {
    expect(argo[0].kind).toBe('AppProject');
    expect(argo[0].metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    const root = only(rootFile, 'Application');
    expect(root.spec.source).toEqual({ repoURL: REPO, targetRevision: 'main', path: 'dist', directory: { include: 'argocd.k8s.yaml' } });
    expect(root.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
  });

  test('the root runs in a project of its own, which may create Argo CD objects in Argo CD\'s namespace and nothing else', () => {
    expect(rootFile.map((o) => o.kind)).toEqual(['AppProject', 'Application']); // kubectl apply creates the project first
    const [project, root] = rootFile;
    expect(root.spec.project).toBe('root');
    expect(project.metadata).toEqual({ name: 'root', namespace: 'argocd' });
    expect(project.spec.sourceRepos).toEqual([REPO]);
    expect(project.spec.destinations).toEqual([root.spec.destination]);
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
    expect(project.spec.namespaceResourceWhitelist).toEqual([
      { group: 'argoproj.io', kind: 'AppProject' },
      { group: 'argoproj.io', kind: 'Application' },
      { group: 'argoproj.io', kind: 'ApplicationSet' },
    ]);
    // Everything the root syncs is allowed by it: the file it includes holds only those kinds, in that namespace.
    for (const o of argo) {
      expect(project.spec.namespaceResourceWhitelist).toContainEqual({ group: o.apiVersion.split('/')[0], kind: o.kind });
      expect(o.metadata.namespace).toBe('argocd');
    }
    expect(rootFile.flatMap((o) => schemaProblems(o))).toEqual([]);
  });

  test('projectName names the root\'s project', () => {
    const { chart } = newChart();
    new ArgoAppOfApps(chart, 'root', { repoURL: REPO, projectName: 'bootstrap', namespace: 'gitops' });
    const [project, root] = synth(chart);
    expect([project.metadata.name, project.metadata.namespace, root.spec.project]).toEqual(['bootstrap', 'gitops', 'bootstrap']);
  });

  test.each([
    ['the root\'s project would replace Argo CD\'s default project', (c: Construct) => {
      new ArgoAppOfApps(c, 'root', { repoURL: REPO, projectName: 'default' });
    }, "ArgoAppOfApps 'test/root': 'projectName' (default) would replace Argo CD's built-in default project and its permissions; leave projectName unset, or name the root's project something else"],
  ] as [string, (c: Construct) => void, string][])('fails when %s', (_what, define, message) => {
    expect(gantryError(define).message).toBe(message);
  });
});
