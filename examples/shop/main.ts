// Synthesizes the shop into dist/ (`npx cdk8s synth`, which runs this file as cdk8s.yaml says).
import { buildShop } from './shop';
import { GantryApp } from '../../src';

const app = new GantryApp();
buildShop(app);
app.synth();
