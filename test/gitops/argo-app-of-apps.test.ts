import { only } from '../harness';
import { applicationsFleet, REPO } from './fleet';

describe('ArgoAppOfApps', () => {
  const files = applicationsFleet();
  const argo = files.get('argocd.k8s.yaml')!;

  test('the project syncs before the Applications; the app-of-apps root syncs them from Git', () => {
    expect(argo[0].kind).toBe('AppProject');
    expect(argo[0].metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    const root = only(files.get('argocd-root.k8s.yaml')!, 'Application');
    expect(root.spec.source).toEqual({ repoURL: REPO, targetRevision: 'main', path: 'dist', directory: { include: 'argocd.k8s.yaml' } });
    expect(root.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
  });
});
