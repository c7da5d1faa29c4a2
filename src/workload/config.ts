import { createHash } from 'crypto';
import { IConstruct } from 'constructs';
import { GantryError } from '../core/errors';
import { toYaml } from '../core/yaml';

// The config files of a GoMicroservice: a ConfigMap mounted read-only, and a checksum on the pod template that rolls
// the pods when a file changes.

/** The most bytes of keys and values a ConfigMap may hold (Kubernetes' `MaxSecretSize`, which applies to both). */
const MAX_CONFIG_MAP_BYTES = 1024 * 1024;

/** The config files, checked and sorted by name, with their checksum. */
export function configFiles(scope: IConstruct, config: { [file: string]: string }): { data: { [file: string]: string }; checksum: string } {
  const names = Object.keys(config);
  if (names.length === 0) {
    throw GantryError.of(scope, 'config', '{}', 'is empty', 'leave \'config\' out, or give at least one file');
  }
  const data: { [file: string]: string } = {};
  for (const file of names.sort()) {
    if (!/^[-._a-zA-Z0-9]+$/.test(file) || file === '.' || file === '..' || file.length > 253) {
      throw GantryError.of(scope, `config.${file}`, file, 'is not a valid ConfigMap key (letters, digits, \'-\', \'_\' and \'.\')',
        `rename it, such as '${file.replace(/[^-._a-zA-Z0-9]/g, '-') || 'config.yaml'}'`);
    }
    if (typeof config[file] !== 'string') {
      throw GantryError.of(scope, `config.${file}`, config[file], 'is not a string', 'give the file content as a string');
    }
    data[file] = config[file];
  }
  // The API server's limit (validation.ValidateConfigMap): keys and values together at most 1 MiB, counted in bytes.
  const bytes = names.reduce((sum, file) => sum + Buffer.byteLength(file) + Buffer.byteLength(data[file]), 0);
  if (bytes > MAX_CONFIG_MAP_BYTES) {
    const largest = [...names].sort((a, b) => Buffer.byteLength(data[b]) - Buffer.byteLength(data[a]))[0];
    throw GantryError.of(scope, 'config', `${bytes} bytes`, `is larger than the ${MAX_CONFIG_MAP_BYTES} bytes (1 MiB) Kubernetes allows in a ConfigMap (the largest file is ${largest})`,
      'move large files into the image, or into a volume the service downloads them to');
  }
  // Of the data as written (YAML), so that a Helm export's template computes the same sum from what it renders.
  return { data, checksum: createHash('sha256').update(toYaml(data)).digest('hex') };
}

/** The pod annotation that carries the checksum. */
export const CONFIG_CHECKSUM_ANNOTATION = 'checksum/config';
