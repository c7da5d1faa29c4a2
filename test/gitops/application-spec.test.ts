import { ArgoApplication, ArgoProject } from '../../src';
import { newChart, only, synth } from '../harness';
import { applicationsFleet, newEnvironment, REPO } from './fleet';
import { schemaProblems } from '../support/validators';

// What Applications and ApplicationSet templates share (src/gitops/application-spec.ts).
describe('createNamespace', () => {
  test('Argo CD creates the namespace with the restricted Pod Security profile enforced, audited and warned', () => {
    const { chart } = newChart();
    const dev = newEnvironment(chart, 'dev');
    const project = new ArgoProject(chart, 'team', { sourceRepos: [REPO], environments: [dev], clusterResources: [{ group: '', kind: 'Namespace' }] });
    new ArgoApplication(chart, 'app', { environment: dev, project, repoURL: REPO, sync: { createNamespace: true } });
    const app = only(synth(chart), 'Application');
    expect(app.spec.syncPolicy.syncOptions).toContain('CreateNamespace=true');
    expect(app.spec.syncPolicy.managedNamespaceMetadata).toEqual({
      labels: {
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    });
    expect(schemaProblems(app)).toEqual([]);
  });

  test('without createNamespace, Argo CD manages no namespace metadata', () => {
    for (const app of applicationsFleet().get('argocd.k8s.yaml')!.filter((o) => o.kind === 'Application')) {
      expect(app.spec.syncPolicy.managedNamespaceMetadata).toBeUndefined();
    }
  });
});
