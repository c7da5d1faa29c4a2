import { IConstruct } from 'constructs';
import { GantryError } from '../core/errors';
import { Environment } from '../environment/environment';

/** Service names in use per environment and namespace, per app: two services that would write the same objects are refused. */
const NAMES_IN_USE = new WeakMap<IConstruct, Map<string, string>>();

/** Claims `name` in `namespace` for `scope`, or fails naming the construct that has it. */
export function claimServiceName(scope: IConstruct, name: string, namespace: string | undefined): void {
  const root = scope.node.root;
  let names = NAMES_IN_USE.get(root);
  if (names === undefined) {
    names = new Map();
    NAMES_IN_USE.set(root, names);
  }
  // Environments deploy apart (each to its cluster and folder): the same namespace may hold the same name in each.
  const key = `${Environment.of(scope)?.name ?? ''}/${namespace ?? ''}/${name}`;
  const other = names.get(key);
  if (other !== undefined) {
    throw GantryError.of(scope, 'name', name,
      `is already used by ${other}${namespace ? ` in namespace ${namespace}` : ''}, so both would write the same objects`,
      'give one of them another \'name\' or \'namespace\'');
  }
  names.set(key, scope.node.path);
}
