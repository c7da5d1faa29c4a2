// The shop's environments and its Argo CD objects: dev and staging on the cluster Argo CD runs in, prod on its own.
import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ArgoApplicationSet, ArgoAppOfApps, ArgoCluster, ArgoProject, Environment, TerraformBackend, TerraformKubernetesProvider, TerraformStackOptions,
} from '../../src';

export const REPO = 'https://github.com/acme-shop/deploy.git';

/** dev, staging and prod: what differs between them, and nothing else. */
export function shopEnvironments(app: Construct): Environment[] {
  return [
    new Environment(app, 'dev', {
      namespace: 'shop-dev',
      cluster: ArgoCluster.inCluster(),
      // Nobody gets paged for dev: its critical alerts arrive as warnings.
      alerting: { page: false },
      services: {
        orders: { imageTag: '1.9.0-rc.1', minReplicas: 2, maxReplicas: 4 },
        inventory: { replicas: 2 },
      },
    }),
    new Environment(app, 'staging', {
      namespace: 'shop-staging',
      cluster: ArgoCluster.inCluster(),
      services: { orders: { imageTag: '1.9.0-rc.1' } },
      settings: { mesh: 'istio' },
    }),
    new Environment(app, 'prod', {
      namespace: 'shop',
      cluster: ArgoCluster.byServer('https://prod.k8s.acme-shop.example'),
      revision: 'release',
      services: {
        orders: {
          minReplicas: 4,
          maxReplicas: 40,
          resources: { cpu: { limit: Cpu.units(2) }, memory: { request: Size.mebibytes(512), limit: Size.mebibytes(512) } },
        },
        payments: { replicas: 3 },
      },
      // Istio and Argo Rollouts run in prod: orders releases as a canary, payments blue-green.
      settings: { mesh: 'istio', delivery: 'progressive' },
    }),
  ];
}

/**
 * The Argo CD objects: a least-privilege project and an ApplicationSet that generates one Application per
 * environment (dist/argocd.k8s.yaml), and the app-of-apps root that an admin applies once (dist/argocd-root.k8s.yaml).
 */
export function shopArgoCd(argo: Construct, root: Construct, environments: Environment[]): void {
  const project = new ArgoProject(argo, 'shop', {
    description: 'The shop: orders, inventory and payments',
    sourceRepos: [REPO],
    environments,
    // Argo CD creates each environment's namespace, with Pod Security admission enforcing the restricted profile.
    clusterResources: [{ group: '', kind: 'Namespace' }],
  });
  new ArgoApplicationSet(argo, 'shop-environments', {
    name: 'shop', project, environments, repoURL: REPO, sync: { createNamespace: true },
  });
  new ArgoAppOfApps(root, 'shop-root', { repoURL: REPO });
}

/**
 * The same environments as Terraform stacks, for teams that apply with Terraform (or OpenTofu) rather than Argo CD.
 * dev and staging share the cluster Argo CD runs in, reached through a kubeconfig context; prod is reached by its API
 * server, with a token from the AWS CLI, as a CI runner would. dev's and staging's state stays in files beside the
 * repository (outside dist/, which every synth replaces); prod's is in S3.
 */
export function shopTerraformStacks(): TerraformStackOptions[] {
  const main = TerraformKubernetesProvider.kubeconfig({ path: '~/.kube/config', context: 'acme-shop-main' });
  return [
    { environment: 'dev', provider: main, backend: TerraformBackend.local('../../../terraform-state/dev.tfstate') },
    { environment: 'staging', provider: main, backend: TerraformBackend.local('../../../terraform-state/staging.tfstate') },
    {
      environment: 'prod',
      provider: TerraformKubernetesProvider.exec({
        host: 'https://prod.k8s.acme-shop.example',
        command: 'aws',
        args: ['eks', 'get-token', '--cluster-name', 'prod'],
      }),
      backend: TerraformBackend.of('s3', { bucket: 'acme-shop-terraform', key: 'shop/prod.tfstate', region: 'eu-west-1' }),
    },
  ];
}
