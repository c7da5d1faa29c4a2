import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import {
  ArgoApplication, ArgoAppOfApps, ArgoCluster, ArgoNotification, ArgoProject, Environment, EnvironmentProps, GantryApp, GoMicroservice,
} from '../../src';
import { takeTree } from '../harness';

// The fleet the GitOps tests share: two services, defined once and run in three environments, and Argo CD objects.

export const REPO = 'https://github.com/acme/deploy.git';
export const IMAGE = 'ghcr.io/acme/orders:1.4.2';

/** One definition of two services, run in each environment. */
export function defineServices(env: Construct): void {
  const chart = new Chart(env, 'services');
  new GoMicroservice(chart, 'orders', { image: IMAGE, autoscaling: { minReplicas: 2, maxReplicas: 6 } });
  new GoMicroservice(chart, 'payments', { image: 'ghcr.io/acme/payments:3.0.1', replicas: 2 });
}

export function environments(app: Construct): Environment[] {
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
export function synthApp(define: (app: App) => void): Map<string, any[]> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-gitops-'));
  const app = new GantryApp({ outdir });
  define(app);
  app.synth();
  return new Map([...takeTree(outdir)].map(([f, text]) => [f, parseAllDocuments(text).map((d) => d.toJSON())]));
}

export function fleet(app: App, argo: (chart: Chart, project: ArgoProject, envs: Environment[]) => void): void {
  const envs = environments(app);
  envs.forEach(defineServices);
  const chart = new Chart(app, 'argocd');
  const project = new ArgoProject(chart, 'team', { sourceRepos: [REPO] });
  argo(chart, project, envs);
}

/**
 * The fleet with one ArgoApplication per environment, a Helm one for prod, and an ArgoAppOfApps root in a chart of its
 * own; returns every file written, parsed.
 */
export function applicationsFleet(): Map<string, any[]> {
  return synthApp((app) => fleet(app, (chart, project, envs) => {
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
}

/** An environment for the failure tests: namespace `team-<id>` in Argo CD's own cluster. */
export function newEnvironment(scope: Construct, id: string, props: Partial<EnvironmentProps> = {}): Environment {
  return new Environment(scope, id, { namespace: `team-${id}`, cluster: ArgoCluster.inCluster(), ...props });
}
