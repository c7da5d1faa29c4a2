import { IConstruct } from 'constructs';

// Which apps write the charts of each Environment to a folder of its own (`<outdir>/<environment>/`), where the
// environment's Argo CD Application looks for them. GantryApp does; cdk8s's App writes every chart to `<outdir>/`.

const APPS = new WeakSet<IConstruct>();

/** Declares that `app` writes each environment's charts to `<outdir>/<environment name>/`. */
export function declareEnvironmentFolders(app: IConstruct): void {
  APPS.add(app);
}

/** Whether the app of `scope` writes each environment's charts to a folder of its own. */
export function writesEnvironmentFolders(scope: IConstruct): boolean {
  return APPS.has(scope.node.root);
}
