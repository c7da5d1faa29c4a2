import { createHash } from 'crypto';
import { IConstruct } from 'constructs';
import { GantryError } from '../core/errors';

// The config files of a GoMicroservice: a ConfigMap mounted read-only, and a checksum on the pod template that rolls
// the pods when a file changes.

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
  return { data, checksum: createHash('sha256').update(JSON.stringify(data)).digest('hex') };
}

/** The pod annotation that carries the checksum. */
export const CONFIG_CHECKSUM_ANNOTATION = 'checksum/config';
