// Synthesizes the shop into dist/ (`npx cdk8s synth --no-check-upgrade`, which runs this file as cdk8s.yaml says):
//   dist/<env>/*.k8s.yaml       the manifests of dev, staging and prod, from one definition
//   dist/argocd.k8s.yaml        the Argo CD project and ApplicationSet
//   dist/argocd-root.k8s.yaml   the app-of-apps root, applied once by an admin
//   dist/helm/shop/             the shop as a Helm chart, with a values file per environment
//   dist/terraform/<env>/       each environment as a Terraform stack (cdk.tf.json), for `terraform init && terraform plan`
import * as path from 'path';
import { Chart } from 'cdk8s';
import { shopArgoCd, shopEnvironments, shopTerraformStacks } from './environments';
import { buildShop } from './shop';
import { GantryApp, GantryErrors, HelmExport, TerraformExport } from '../../src';

try {
  const app = new GantryApp();
  const environments = shopEnvironments(app);
  for (const env of environments) buildShop(env);
  shopArgoCd(new Chart(app, 'argocd'), new Chart(app, 'argocd-root'), environments);
  app.synth();
  HelmExport.writeChart(environments.find((e) => e.name === 'prod')!, {
    name: 'shop',
    version: '0.1.0',
    description: 'The example shop: orders, inventory and payments',
    outdir: path.join(app.outdir, 'helm', 'shop'),
    // One chart for the three: values-dev.yaml, values-staging.yaml and values-prod.yaml each render that environment.
    environments,
  });
  TerraformExport.writeStacks(app, { outdir: path.join(app.outdir, 'terraform'), stacks: shopTerraformStacks() });
} catch (error) {
  // Invalid input: the message says what to fix; a stack trace would only add noise.
  if (!GantryErrors.isGantryError(error)) throw error;
  console.error((error as Error).message);
  process.exitCode = 1;
}
