// Synthesizes the shop into dist/ (`npx cdk8s synth`, which runs this file as cdk8s.yaml says): the plain manifests,
// and the same app as a Helm chart in dist/helm/shop.
import * as path from 'path';
import { buildShop } from './shop';
import { GantryApp, GantryErrors, HelmExport } from '../../src';

try {
  const app = new GantryApp();
  buildShop(app);
  app.synth();
  HelmExport.writeChart(app, {
    name: 'shop',
    version: '0.1.0',
    description: 'The example shop: orders, inventory and payments',
    outdir: path.join(app.outdir, 'helm', 'shop'),
  });
} catch (error) {
  // Invalid input: the message says what to fix; a stack trace would only add noise.
  if (!GantryErrors.isGantryError(error)) throw error;
  console.error((error as Error).message);
  process.exitCode = 1;
}
