import * as fs from 'fs';
import { Construct } from 'constructs';
import { GENERATED, render, structKeys } from '../../scripts/struct-keys';
import { ArgoApplication, ArgoProject, GoMicroservice, HpaPolicy, PrometheusMonitor } from '../../src';
import { newEnvironment, REPO } from '../gitops/fleet';
import { gantryError, newChart, synth } from '../harness';

// Props as a plain-JavaScript caller passes them: nothing checks their keys before the construct does.
const js = (props: object): any => props;
const IMAGE = 'ghcr.io/acme/orders:1.4.2';

describe('the struct table', () => {
  test('src/core/struct-keys.generated.ts is what scripts/struct-keys.ts computes from the exported structs', () => {
    // If this fails, a struct changed: run `npx ts-node --swc scripts/struct-keys.ts` and commit the result.
    expect(fs.readFileSync(GENERATED, 'utf8')).toBe(render(structKeys()));
  });

  test('it knows inherited and nested properties', () => {
    const table = structKeys();
    expect(table.GoMicroserviceProps.autoscaling).toBe('HpaPolicyOptions');
    expect(table.EnvironmentProps.services).toBe('ServiceOverrides{}');
    expect(table.ArgoProjectProps.clusterResources).toBe('ResourceKind[]');
    expect(Object.keys(table.HpaPolicyProps)).toEqual(expect.arrayContaining([...Object.keys(table.HpaPolicyOptions), 'target']));
  });
});

describe('unknown props from JavaScript', () => {
  test('correct props pass, and class instances inside them are not inspected', () => {
    const { chart } = newChart();
    const orders = new GoMicroservice(chart, 'orders', js({ image: IMAGE, httpPort: 8080, autoscaling: { minReplicas: 2, maxReplicas: 4 } }));
    new PrometheusMonitor(chart, 'monitor', js({ service: orders }));
    expect(synth(chart).map((o) => o.kind)).toContain('PrometheusRule');
  });

  test.each([
    ['a misspelt top-level prop', (c: Construct) => new GoMicroservice(c, 'orders', js({ image: IMAGE, httpPrt: 8080 })),
      "GoMicroservice 'test/orders': 'httpPrt' (8080) is not a property of GoMicroserviceProps; did you mean 'httpPort'?"],
    ['a misspelt prop in a nested struct', (c: Construct) => new GoMicroservice(c, 'orders', js({ image: IMAGE, autoscaling: { minReplicas: 2, maxReplica: 4 } })),
      "GoMicroservice 'test/orders': 'autoscaling.maxReplica' (4) is not a property of HpaPolicyOptions; did you mean 'maxReplicas'?"],
    ['a prop in the wrong case', (c: Construct) => new GoMicroservice(c, 'orders', js({ image: IMAGE, HTTPPort: 8080 })),
      "GoMicroservice 'test/orders': 'HTTPPort' (8080) is not a property of GoMicroserviceProps; did you mean 'httpPort'?"],
    ['a prop with no near name', (c: Construct) => {
      const orders = new GoMicroservice(c, 'orders', { image: IMAGE });
      new HpaPolicy(c, 'hpa', js({ target: orders, maxReplicas: 4, cooldown: 300 }));
    }, "HpaPolicy 'test/hpa': 'cooldown' (300) is not a property of HpaPolicyProps; remove it; HpaPolicyProps has 'cpuUtilization', 'maxReplicas', 'memoryUtilization', 'metrics', 'minReplicas', 'scaleDown', 'scaleUp', 'target'"],
    ['a misspelt override of one service in an environment', (c: Construct) => newEnvironment(c, 'dev', js({ services: { orders: { imageTg: '1.5.0' } } })),
      "Environment 'test/dev': 'services.orders.imageTg' (1.5.0) is not a property of ServiceOverrides; did you mean 'imageTag'?"],
    ['a misspelt prop in an array of structs', (c: Construct) => new ArgoProject(c, 'team', js({ sourceRepos: [REPO], clusterResources: [{ group: '', knd: 'Namespace' }] })),
      "ArgoProject 'test/team': 'clusterResources[0].knd' (Namespace) is not a property of ResourceKind; did you mean 'kind'?"],
    ['props that are not an object', (c: Construct) => newEnvironment(c, 'dev', js({ alerting: 'page' })),
      "Environment 'test/dev': 'alerting' (page) is a string, not an object of EnvironmentAlerting; pass an object literal such as { labels: ... }"],
    ['a struct list that is not a list', (c: Construct) => new ArgoProject(c, 'team', js({ sourceRepos: [REPO], clusterResources: { group: '', kind: 'Namespace' } })),
      'ArgoProject \'test/team\': \'clusterResources\' ({"group":"","kind":"Namespace"}) is an object, not a list of ResourceKind objects; pass a list of ResourceKind objects'],
    ['a name inherited from Object.prototype', (c: Construct) => new GoMicroservice(c, 'orders', js({ image: IMAGE, toString: 'x' })),
      "GoMicroservice 'test/orders': 'toString' (x) is not a property of GoMicroserviceProps; remove it; GoMicroserviceProps has"],
  ] as [string, (c: Construct) => void, string][])('fails on %s, naming the nearest known property', (_what, define, message) => {
    const received = gantryError(define).message;
    expect(message.endsWith(' has') ? received.slice(0, message.length) : received).toBe(message);
  });
});

describe('prop types from JavaScript', () => {
  const project = (c: Construct) => new ArgoProject(c, 'team', { sourceRepos: [REPO] });

  test.each([
    ['a port given as a string', (c: Construct) => new GoMicroservice(c, 'orders', js({ image: IMAGE, httpPort: '8080' })),
      "GoMicroservice 'test/orders': 'httpPort' (8080) is a string, not a number; write it without quotes: 8080"],
    ['a command given as a string', (c: Construct) => new GoMicroservice(c, 'orders', js({ image: IMAGE, command: '/orders' })),
      "GoMicroservice 'test/orders': 'command' (/orders) is a string, not a list of strings; wrap it in a list: ['/orders']"],
    ['a list element of the wrong type', (c: Construct) => new GoMicroservice(c, 'orders', js({ image: IMAGE, args: ['--port', 8080] })),
      "GoMicroservice 'test/orders': 'args[1]' (8080) is a number, not a string; quote it: '8080'"],
    ['an environment variable that is not a string', (c: Construct) => new GoMicroservice(c, 'orders', js({ image: IMAGE, env: { GOGC: 50 } })),
      "GoMicroservice 'test/orders': 'env.GOGC' (50) is a number, not a string; quote it: '50'"],
    ['a flag given as a string', (c: Construct) => {
      const dev = newEnvironment(c, 'dev');
      new ArgoApplication(c, 'app', js({ environment: dev, project: project(c), repoURL: REPO, sync: { prune: 'false' } }));
    }, "ArgoApplication 'test/app': 'sync.prune' (false) is a string, not a boolean; use true or false"],
    ['a duration given as a number', (c: Construct) => {
      const dev = newEnvironment(c, 'dev');
      new ArgoApplication(c, 'app', js({ environment: dev, project: project(c), repoURL: REPO, sync: { retryBackoff: 5 } }));
    }, "ArgoApplication 'test/app': 'sync.retryBackoff' (5) is a number, not a Duration object; create one with Duration.seconds(30)"],
    ['a duration given as a plain object', (c: Construct) => {
      const dev = newEnvironment(c, 'dev');
      new ArgoApplication(c, 'app', js({ environment: dev, project: project(c), repoURL: REPO, sync: { retryBackoff: { seconds: 5 } } }));
    }, 'ArgoApplication \'test/app\': \'sync.retryBackoff\' ({"seconds":5}) is an object, not a Duration object; create one with Duration.seconds(30)'],
    ['a project given by name', (c: Construct) => {
      new ArgoApplication(c, 'app', js({ environment: newEnvironment(c, 'dev'), project: 'team', repoURL: REPO }));
    }, "ArgoApplication 'test/app': 'project' (team) is a string, not an ArgoProject object; create one with new ArgoProject(...) or one of ArgoProject's static methods"],
    ['null for an optional prop (found by the property tests: it crashed the label check)', (c: Construct) => new GoMicroservice(c, 'orders', js({ image: IMAGE, partOf: null })),
      "GoMicroservice 'test/orders': 'partOf' (null) is null; leave it out (or pass undefined) to use the default"],
    ['a cluster given as a URL string', (c: Construct) => newEnvironment(c, 'dev', js({ cluster: 'https://prod.k8s.acme.example' })),
      "Environment 'test/dev': 'cluster' (https://prod.k8s.acme.example) is a string, not an ArgoCluster object; create one with ArgoCluster.inCluster()"],
  ] as [string, (c: Construct) => void, string][])('fails on %s, saying what to write instead', (_what, define, message) => {
    expect(gantryError(define).message).toBe(message);
  });
});
