import { IConstruct } from 'constructs';
import { GantryError } from '../core/errors';

// Checks of what Argo CD will clone and check out; it reports these mistakes only after a sync has failed.

const HTTPS = /^https?:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~%!$&'()*+,;=:@-]+)+\/?$/;
const SCP = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~\/-]+$/;
const SSH = /^ssh:\/\/([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~-]+)+$/;

/** A Git repository URL Argo CD can clone: https://, ssh:// or git@host:path. */
export function checkRepoUrl(scope: IConstruct, property: string, url: string): void {
  if (typeof url !== 'string' || !(HTTPS.test(url) || SCP.test(url) || SSH.test(url))) {
    throw GantryError.of(scope, property, url, 'is not a Git repository URL Argo CD can clone',
      'use https://github.com/acme/deploy.git or git@github.com:acme/deploy.git');
  }
}

/**
 * A revision Argo CD can check out: a branch, a tag, a commit SHA or HEAD (git check-ref-format rules).
 */
export function checkRevision(scope: IConstruct, property: string, revision: string): void {
  const bad = typeof revision !== 'string' || revision === '' || /[\s~^:?*[\\\x00-\x1f\x7f]/.test(revision)
    || revision.includes('..') || revision.includes('@{') || revision.includes('//') || revision.startsWith('/')
    || revision.endsWith('/') || revision.endsWith('.') || revision.endsWith('.lock') || revision.startsWith('-') || revision === '@';
  if (bad) {
    throw GantryError.of(scope, property, revision, 'is not a Git branch, tag or commit name',
      'use a branch such as \'main\', a tag such as \'v1.4.2\', or a commit SHA');
  }
}

/** A path in the repository: relative, no '..'. */
export function checkRepoPath(scope: IConstruct, property: string, p: string): void {
  if (typeof p !== 'string' || p === '' || p.startsWith('/') || p.split('/').includes('..') || /\s/.test(p)) {
    throw GantryError.of(scope, property, p, 'is not a path inside the repository', 'use a relative path such as \'dist/prod\'');
  }
}
