import * as fs from 'fs';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { GENERATED, render, structKeys } from '../../scripts/struct-keys';
import {
  ArgoAppOfApps, ArgoApplication, ArgoApplicationSet, ArgoProject, ArgoRollout, BlueGreenDeployment, GoMicroservice, HpaPolicy, IstioCanary,
  IstioCircuitBreaker, PrometheusMonitor, RolloutStrategy,
} from '../../src';
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

  test('it knows the values of enums, the members of interfaces, and the structs of cdk8s-plus that props use', () => {
    const { structs, enums, interfaces } = structKeys();
    expect(structs.AlertOptions.severity).toBe('enum:AlertSeverity');
    expect(enums.AlertSeverity).toEqual({ CRITICAL: 'critical', WARNING: 'warning', INFO: 'info' });
    expect(enums.WorkloadScaleDown.ON_SUCCESS).toBe('onsuccess');
    expect(structs.IstioCanaryProps.service).toBe('interface:IGoMicroservice');
    expect(interfaces.IMonitorable).toEqual(expect.arrayContaining(['name', 'ports', 'metricsPortName']));
    expect(structs.GoMicroserviceProps.resources).toBe('ContainerResources');
    expect(structs.CpuResources).toEqual({ limit: 'class:Cpu', request: 'class:Cpu' });
  });

  test('it knows inherited and nested properties', () => {
    const table = structKeys().structs;
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
    // Resources are cdk8s-plus-28 structs of Cpu and Size objects; from JavaScript they used to end in
    // 'req.toKibibytes is not a function' deep inside the container spec.
    ['a CPU request given as a string', (c: Construct) => new GoMicroservice(c, 'orders', js({ image: IMAGE, resources: { cpu: { request: '250m' } } })),
      "GoMicroservice 'test/orders': 'resources.cpu.request' (250m) is a string, not a Cpu object; create one with new Cpu(...) or one of Cpu's static methods"],
    ['a memory limit given as a number', (c: Construct) => new GoMicroservice(c, 'orders', js({ image: IMAGE, resources: { memory: { limit: 512 } } })),
      "GoMicroservice 'test/orders': 'resources.memory.limit' (512) is a number, not a Size object; create one with Size.mebibytes(256)"],
    ['a misspelt resource', (c: Construct) => new GoMicroservice(c, 'orders', js({ image: IMAGE, resources: { memmory: { limit: 512 } } })),
      'GoMicroservice \'test/orders\': \'resources.memmory\' ({"limit":512}) is not a property of ContainerResources; did you mean \'memory\'?'],
    ['an environment override of resources with a string CPU limit', (c: Construct) => newEnvironment(c, 'prod', js({ services: { orders: { resources: { cpu: { limit: '2' } } } } })),
      "Environment 'test/prod': 'services.orders.resources.cpu.limit' (2) is a string, not a Cpu object; create one with new Cpu(...) or one of Cpu's static methods"],
  ] as [string, (c: Construct) => void, string][])('fails on %s, saying what to write instead', (_what, define, message) => {
    expect(gantryError(define).message).toBe(message);
  });
});

describe('enum values and interfaces from JavaScript', () => {
  const orders = (c: Construct) => new GoMicroservice(c, 'orders', { image: IMAGE });

  test('enum values written as strings pass, as the enum members do', () => {
    const { chart } = newChart();
    const svc = orders(chart);
    new PrometheusMonitor(chart, 'monitor', js({ service: svc, scrapeTarget: 'PodMonitor', alerts: { cpu: { severity: 'critical' } } }));
    expect(synth(chart).map((o) => o.kind)).toContain('PodMonitor');
  });

  test.each([
    ['a severity in capitals', (c: Construct) => new PrometheusMonitor(c, 'monitor', js({ service: orders(c), alerts: { cpu: { severity: 'Critical' } } })),
      "PrometheusMonitor 'test/monitor': 'alerts.cpu.severity' (Critical) is not an AlertSeverity value ('critical', 'warning', 'info'); did you mean 'critical' (AlertSeverity.CRITICAL)?"],
    ['an enum member name where its value belongs', (c: Construct) => new ArgoRollout(c, 'rollout', js({ service: orders(c), strategy: RolloutStrategy.canary(), scaleDown: 'ON_SUCCESS' })),
      "ArgoRollout 'test/rollout': 'scaleDown' (ON_SUCCESS) is not a WorkloadScaleDown value ('progressively', 'onsuccess', 'never'); did you mean 'onsuccess' (WorkloadScaleDown.ON_SUCCESS)?"],
    ['a TLS mode in lower case', (c: Construct) => new IstioCircuitBreaker(c, 'cb', js({ service: orders(c), tls: 'istio_mutual' })),
      "IstioCircuitBreaker 'test/cb': 'tls' (istio_mutual) is not an IstioTlsMode value ('ISTIO_MUTUAL', 'DISABLE'); did you mean 'ISTIO_MUTUAL' (IstioTlsMode.ISTIO_MUTUAL)?"],
    ['an ApplicationSet generator that does not exist, with the project left out: both at once',
      (c: Construct) => new ArgoApplicationSet(c, 'set', js({ environments: [newEnvironment(c, 'dev')], repoURL: REPO, generator: 'git' })),
      '2 errors in the props of test/set:\n'
      + "  ArgoApplicationSet 'test/set': 'project' (undefined) is missing; ArgoApplicationSetProps requires it; pass new ArgoProject(...) or one of ArgoProject's static methods\n"
      + "  ArgoApplicationSet 'test/set': 'generator' (git) is not an ApplicationSetGenerator value ('list', 'clusters'); use one of ApplicationSetGenerator.LIST, ApplicationSetGenerator.CLUSTERS"],
    ['a service given by name', (c: Construct) => new PrometheusMonitor(c, 'monitor', js({ service: 'orders' })),
      "PrometheusMonitor 'test/monitor': 'service' (orders) is not an IMonitorable (it is a string); pass the construct itself, such as a GoMicroservice"],
    ['a service given as a description of one', (c: Construct) => new IstioCircuitBreaker(c, 'cb', js({ service: { name: 'orders', image: IMAGE } })),
      "IstioCircuitBreaker 'test/cb': 'service' ({\"name\":\"orders\",\"image\":\"ghcr.io/acme/orders:1.4.2\"}) is not an IGoMicroservice (it lacks 'addTrack', 'allowIngress', 'containerName', ...); pass the construct itself, such as a GoMicroservice"],
    ['a scaling target that is not a workload', (c: Construct) => new HpaPolicy(c, 'hpa', js({ target: Duration.seconds(2), maxReplicas: 4 })),
      "HpaPolicy 'test/hpa': 'target' ({\"amount\":2,\"unit\":{\"label\":\"seconds\",\"inMillis\":1000}}) is not an IScalableWorkload (it lacks 'labels', 'node', 'registerAutoscaler', ...); pass the construct itself, such as a GoMicroservice"],
  ] as [string, (c: Construct) => void, string][])('fails on %s, naming the values or members', (_what, define, message) => {
    expect(gantryError(define).message).toBe(message);
  });
});

// A required prop left out from JavaScript used to end in a TypeError ('Cannot read properties of undefined') deep in
// the construct; now it is named, with an example.
describe('required props left out from JavaScript', () => {
  const orders = (c: Construct) => new GoMicroservice(c, 'orders', { image: IMAGE });
  const project = (c: Construct) => new ArgoProject(c, 'team', { sourceRepos: [REPO] });

  test.each([
    ['the image of a service', (c: Construct) => new GoMicroservice(c, 'orders', js({})),
      "GoMicroservice 'test/orders': 'image' (undefined) is missing; GoMicroserviceProps requires it; pass 'ghcr.io/acme/orders:1.4.2'"],
    ['the namespace of an environment', (c: Construct) => newEnvironment(c, 'dev', js({ namespace: undefined })),
      "Environment 'test/dev': 'namespace' (undefined) is missing; EnvironmentProps requires it; pass 'shop'"],
    ['the repositories of a project', (c: Construct) => new ArgoProject(c, 'team', js({})),
      "ArgoProject 'test/team': 'sourceRepos' (undefined) is missing; ArgoProjectProps requires it; pass ['https://github.com/acme/deploy.git']"],
    ['the environment of an Application', (c: Construct) => new ArgoApplication(c, 'app', js({ project: project(c), repoURL: REPO })),
      "ArgoApplication 'test/app': 'environment' (undefined) is missing; ArgoApplicationProps requires it; pass new Environment(...) or one of Environment's static methods"],
    ['the target of an HpaPolicy', (c: Construct) => new HpaPolicy(c, 'hpa', js({ maxReplicas: 3 })),
      "HpaPolicy 'test/hpa': 'target' (undefined) is missing; HpaPolicyProps requires it; pass a GoMicroservice"],
    ['the service of a canary', (c: Construct) => new IstioCanary(c, 'canary', js({})),
      "IstioCanary 'test/canary': 'service' (undefined) is missing; IstioCanaryProps requires it; pass a GoMicroservice"],
    ['all props of a PrometheusMonitor', (c: Construct) => new (PrometheusMonitor as any)(c, 'monitor'),
      "PrometheusMonitor 'test/monitor': 'service' (undefined) is missing; PrometheusMonitorProps requires it; pass a GoMicroservice"],
    ['the green image of a blue-green pair', (c: Construct) => new BlueGreenDeployment(c, 'bg', js({ service: orders(c) })),
      "BlueGreenDeployment 'test/bg': 'greenImage' (undefined) is missing; BlueGreenDeploymentProps requires it; pass 'ghcr.io/acme/orders:1.5.0'"],
    ['the repository of the app-of-apps root', (c: Construct) => new ArgoAppOfApps(c, 'root', js({})),
      "ArgoAppOfApps 'test/root': 'repoURL' (undefined) is missing; ArgoAppOfAppsProps requires it; pass 'https://github.com/acme/deploy.git'"],
    ['the key of a secret reference', (c: Construct) => new GoMicroservice(c, 'orders', js({ image: IMAGE, secretEnv: { DB_PASSWORD: { secretName: 'orders-db' } } })),
      "GoMicroservice 'test/orders': 'secretEnv.DB_PASSWORD.key' (undefined) is missing; SecretKeyReference requires it; pass 'password'"],
    ['the objective of an availability SLO', (c: Construct) => orders(c).addMonitoring(js({ availability: {} })),
      "PrometheusMonitor 'test/orders/Monitoring': 'availability.objective' (undefined) is missing; AvailabilityObjective requires it; pass 99.9"],
  ] as [string, (c: Construct) => void, string][])('fails without %s, naming it', (_what, define, message) => {
    expect(gantryError(define).message).toBe(message);
  });

  test('a required prop written with a typo is reported once, as the typo', () => {
    expect(gantryError((c) => new GoMicroservice(c, 'orders', js({ imgae: IMAGE }))).message)
      .toBe("GoMicroservice 'test/orders': 'imgae' (ghcr.io/acme/orders:1.4.2) is not a property of GoMicroserviceProps; did you mean 'image'?");
  });

  test('every problem of one props object is reported at once', () => {
    expect(gantryError((c) => new GoMicroservice(c, 'orders', js({ image: IMAGE, httpPrt: 8080, replicas: '3', env: { A: 1 } }))).message).toBe(
      '3 errors in the props of test/orders:\n'
      + "  GoMicroservice 'test/orders': 'httpPrt' (8080) is not a property of GoMicroserviceProps; did you mean 'httpPort'?\n"
      + "  GoMicroservice 'test/orders': 'replicas' (3) is a string, not a number; write it without quotes: 3\n"
      + "  GoMicroservice 'test/orders': 'env.A' (1) is a number, not a string; quote it: '1'");
  });
});
