// Synthesizes the shop into dist/ (`npx cdk8s synth`, which runs this file as cdk8s.yaml says).
import { buildShop } from './shop';
import { GantryApp, GantryErrors } from '../../src';

try {
  const app = new GantryApp();
  buildShop(app);
  app.synth();
} catch (error) {
  // Invalid input: the message says what to fix; a stack trace would only add noise.
  if (!GantryErrors.isGantryError(error)) throw error;
  console.error((error as Error).message);
  process.exitCode = 1;
}
