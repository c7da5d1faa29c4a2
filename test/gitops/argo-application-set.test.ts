import { Construct } from 'constructs';
import { ApplicationSetGenerator, ArgoApplicationSet, ArgoCluster, ArgoProject } from '../../src';
import { gantryError, only } from '../harness';
import { fleet, newEnvironment, REPO, synthApp } from './fleet';
import { schemaProblems } from '../support/validators';

describe('ArgoApplicationSet', () => {
  test('list generator: one element per environment', () => {
    const files = synthApp((app) => fleet(app, (chart, project, envs) => {
      new ArgoApplicationSet(chart, 'fleet', { project, environments: envs, repoURL: REPO });
    }));
    const set = only(files.get('argocd.k8s.yaml')!, 'ApplicationSet');
    expect(set).toMatchSnapshot();
    expect(set.spec.goTemplate).toBe(true);
    expect(set.spec.goTemplateOptions).toEqual(['missingkey=error']);
    // Deleting the ApplicationSet keeps the workloads running.
    expect(set.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
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

  test.each([
    ['an environment\'s revision is not a Git ref', (c: Construct) => {
      const dev = newEnvironment(c, 'dev', { revision: 'feature..x' });
      const project = new ArgoProject(c, 'team', { sourceRepos: [REPO] });
      new ArgoApplicationSet(c, 'set', { environments: [dev], project, repoURL: REPO });
    }, "ArgoApplicationSet 'test/set': 'environments.dev.revision' (feature..x) is not a Git branch, tag or commit name; use a branch such as 'main', a tag such as 'v1.4.2', or a commit SHA"],
    ['an ApplicationSet has no environment', (c: Construct) => {
      const project = new ArgoProject(c, 'team', { sourceRepos: [REPO] });
      new ArgoApplicationSet(c, 'set', { environments: [], project, repoURL: REPO });
    }, "ArgoApplicationSet 'test/set': 'environments' ([]) is empty, so no Application is generated; list the environments to deploy"],
    ['environments mix clusters by URL and by name', (c: Construct) => {
      const dev = newEnvironment(c, 'dev');
      const prod = newEnvironment(c, 'prod', { cluster: ArgoCluster.byName('prod-eu') });
      const project = new ArgoProject(c, 'team', { sourceRepos: [REPO] });
      new ArgoApplicationSet(c, 'set', { environments: [dev, prod], project, repoURL: REPO });
    }, "ArgoApplicationSet 'test/set': 'environments' (dev, prod) mix clusters given by URL (dev) and by name (prod), which one ApplicationSet template cannot address; give every environment its cluster the same way (ArgoCluster.byServer or ArgoCluster.byName), or use one ApplicationSet for each kind"],
  ] as [string, (c: Construct) => void, string][])('fails when %s', (_what, define, message) => {
    expect(gantryError(define).message).toBe(message);
  });
});
