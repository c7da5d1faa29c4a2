import { Construct } from 'constructs';
import { ArgoProject } from '../../src';
import { gantryError, only } from '../harness';
import { fleet, REPO, synthApp } from './fleet';
import { schemaProblems } from '../support/validators';

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
    // Orphans are reported, except Secrets: the services only reference them, something else creates them.
    expect(project.spec.orphanedResources).toEqual({ warn: true, ignore: [{ group: '', kind: 'Secret' }] });
    expect(schemaProblems(project)).toEqual([]);
  });

  test.each([
    ['the repository URL cannot be cloned', (c: Construct) => new ArgoProject(c, 'team', { sourceRepos: ['github.com/acme/deploy'] }),
      "ArgoProject 'test/team': 'sourceRepos[0]' (github.com/acme/deploy) is not a Git repository URL Argo CD can clone; use https://github.com/acme/deploy.git or git@github.com:acme/deploy.git"],
    ['a project allows no repository', (c: Construct) => new ArgoProject(c, 'team', { sourceRepos: [] }),
      "ArgoProject 'test/team': 'sourceRepos' ([]) allows no repository, so no application can sync; list the repository Gantry writes to"],
  ] as [string, (c: Construct) => void, string][])('fails when %s', (_what, define, message) => {
    expect(gantryError(define).message).toBe(message);
  });
});
