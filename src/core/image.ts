import { IConstruct } from 'constructs';
import { GantryError } from './errors';

/** A parsed container image reference. */
export interface ImageReference {
  /** Registry and repository, without tag or digest. */
  readonly repository: string;
  /** The tag, if any. */
  readonly tag?: string;
  /** The digest (`sha256:...`), if any. */
  readonly digest?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+|__)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+|__|-+[a-z0-9]+)*)*$/;

/**
 * Parses and checks an image reference. A tag or a digest is required and `latest` is refused: an unpinned image
 * changes under a running Deployment and cannot be rolled back.
 */
export function parseImage(scope: IConstruct, property: string, image: string): ImageReference {
  const example = (repo: string) => `pin a version tag such as '${repo}:1.4.2', or a digest: '${repo}@sha256:<digest>'`;
  if (typeof image !== 'string' || image.trim() === '' || /\s/.test(image)) {
    throw GantryError.of(scope, property, image, 'is not an image reference', example('ghcr.io/acme/orders'));
  }
  const { repository, tag, digest } = splitImage(image);
  if (digest !== undefined && !DIGEST.test(digest)) {
    throw GantryError.of(scope, property, image, 'has a malformed digest (expected sha256: and 64 lowercase hex digits)',
      example(repository || 'ghcr.io/acme/orders'));
  }
  if (!REPOSITORY.test(repository)) {
    throw GantryError.of(scope, property, image, 'has an invalid repository name (lowercase letters, digits, \'.\', \'_\', \'-\' and \'/\')',
      example(repository.toLowerCase().replace(/[^a-z0-9._/:-]/g, '') || 'ghcr.io/acme/orders'));
  }
  if (tag !== undefined && !TAG.test(tag)) {
    throw GantryError.of(scope, property, image, 'has an invalid tag (letters, digits, \'_\', \'.\' and \'-\', at most 128)', example(repository));
  }
  if (tag === undefined && digest === undefined) {
    throw GantryError.of(scope, property, image, 'must be pinned to a tag or digest', example(repository));
  }
  if (tag === 'latest' && digest === undefined) {
    throw GantryError.of(scope, property, image, 'must be pinned to a tag or digest, not \'latest\'', example(repository));
  }
  return { repository, tag, digest };
}

/** A tag given on its own (an environment's `imageTag`): a valid tag, and not `latest`. */
export function checkImageTag(scope: IConstruct, property: string, tag: string): void {
  if (!TAG.test(tag)) {
    throw GantryError.of(scope, property, tag, 'is not a valid image tag (letters, digits, \'_\', \'.\' and \'-\', at most 128, not starting with \'.\' or \'-\')',
      'use a version tag such as \'1.4.2\'');
  }
  if (tag === 'latest') {
    throw GantryError.of(scope, property, tag, 'does not pin a version: \'latest\' changes without a commit, so Git cannot roll it back',
      'use a version tag such as \'1.4.2\'');
  }
}

/**
 * The image `image` with its tag replaced by `tag`. A digest pinned the old tag, so it goes with it; the repository
 * (with its registry) stays.
 */
export function withTag(image: string, tag: string): string {
  return `${splitImage(image).repository}:${tag}`;
}

/** Repository, tag and digest of a reference, unchecked: the tag follows the last ':' after the last '/'. */
function splitImage(image: string): ImageReference {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/')
    ? { repository: name.slice(0, colon), tag: name.slice(colon + 1), digest }
    : { repository: name, digest };
}
