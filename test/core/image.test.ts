import { Testing } from 'cdk8s';
import { parseImage } from '../../src/core/image';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const UPPER_CASE_DIGEST = `sha256:${'0123456789ABCDEF'.repeat(4)}`;
const parse = (image: string) => parseImage(Testing.chart(), 'image', image);

/** The message of the GantryError that parsing `image` throws (recognized by name, as `GantryErrors.isGantryError` does). */
function errorOf(image: string): string {
  try {
    parse(image);
  } catch (e: any) {
    if (e?.name === 'GantryError') return e.message;
    throw e;
  }
  throw new Error(`expected a GantryError, but '${image}' parsed`);
}

/** The fix every image error ends with, for the repository `repo`. */
const pin = (repo: string) => `pin a version tag such as '${repo}:1.4.2', or a digest: '${repo}@sha256:<digest>'`;

describe('parseImage', () => {
  test.each([
    ['a tag', 'ghcr.io/acme/orders:1.4.2', { repository: 'ghcr.io/acme/orders', tag: '1.4.2' }],
    ['an image without a registry', 'nginx:1.25.3-alpine', { repository: 'nginx', tag: '1.25.3-alpine' }],
    ['a digest', `ghcr.io/acme/orders@${DIGEST}`, { repository: 'ghcr.io/acme/orders', digest: DIGEST }],
    ['a tag and a digest', `ghcr.io/acme/orders:1.4.2@${DIGEST}`, { repository: 'ghcr.io/acme/orders', tag: '1.4.2', digest: DIGEST }],
    // The colon before the port is not a tag: only a colon after the last '/' is.
    ['a registry with a port', 'localhost:5000/orders:1.0', { repository: 'localhost:5000/orders', tag: '1.0' }],
    ['a registry with a port and a digest', `registry.acme.example:5000/team/orders@${DIGEST}`,
      { repository: 'registry.acme.example:5000/team/orders', digest: DIGEST }],
    ['separators inside path components', 'ghcr.io/acme/order-service_v2.api:1', { repository: 'ghcr.io/acme/order-service_v2.api', tag: '1' }],
    ['repeated dashes inside a path component', 'ghcr.io/acme/my--app:1', { repository: 'ghcr.io/acme/my--app', tag: '1' }],
    ['a tag starting with \'_\'', 'nginx:_stable', { repository: 'nginx', tag: '_stable' }],
    ['a tag of 128 characters, the longest', `nginx:${'a'.repeat(128)}`, { repository: 'nginx', tag: 'a'.repeat(128) }],
    // The digest pins the image; the tag beside it is only informative.
    ['latest, pinned by a digest', `nginx:latest@${DIGEST}`, { repository: 'nginx', tag: 'latest', digest: DIGEST }],
  ])('parses %s', (_what, image, expected) => {
    expect(parse(image)).toEqual({ tag: undefined, digest: undefined, ...expected });
  });

  test.each([
    ['the image is empty', '', '""', 'is not an image reference', pin('ghcr.io/acme/orders')],
    ['the image is blank', '   ', '   ', 'is not an image reference', pin('ghcr.io/acme/orders')],
    ['the image has a space', 'nginx: 1.25', 'nginx: 1.25', 'is not an image reference', pin('ghcr.io/acme/orders')],
    ['the image has no tag', 'ghcr.io/acme/orders', 'ghcr.io/acme/orders', 'must be pinned to a tag or digest', pin('ghcr.io/acme/orders')],
    ['the image has no tag, only a registry port', 'localhost:5000/orders', 'localhost:5000/orders',
      'must be pinned to a tag or digest', pin('localhost:5000/orders')],
    ['the image is latest', 'nginx:latest', 'nginx:latest', 'must be pinned to a tag or digest, not \'latest\'', pin('nginx')],
    ['the digest is too short', 'nginx@sha256:abc', 'nginx@sha256:abc',
      'has a malformed digest (expected sha256: and 64 lowercase hex digits)', pin('nginx')],
    // The fix keeps the whole repository, registry port included.
    ['the digest is malformed, on a registry with a port', 'localhost:5000/orders@sha256:abc', 'localhost:5000/orders@sha256:abc',
      'has a malformed digest (expected sha256: and 64 lowercase hex digits)', pin('localhost:5000/orders')],
    ['the digest is upper-case', `nginx:1.0@${UPPER_CASE_DIGEST}`, `nginx:1.0@${UPPER_CASE_DIGEST}`,
      'has a malformed digest (expected sha256: and 64 lowercase hex digits)', pin('nginx')],
    ['the digest is not sha256', `nginx@sha512:${'a'.repeat(128)}`, `nginx@sha512:${'a'.repeat(128)}`,
      'has a malformed digest (expected sha256: and 64 lowercase hex digits)', pin('nginx')],
    ['the repository has capitals', 'GHCR.io/Acme/Orders:1.0', 'GHCR.io/Acme/Orders:1.0',
      'has an invalid repository name (lowercase letters, digits, \'.\', \'_\', \'-\' and \'/\')', pin('ghcr.io/acme/orders')],
    ['the repository is missing', ':1.0', ':1.0',
      'has an invalid repository name (lowercase letters, digits, \'.\', \'_\', \'-\' and \'/\')', pin('ghcr.io/acme/orders')],
    ['the tag is empty', 'nginx:', 'nginx:', 'has an invalid tag (letters, digits, \'_\', \'.\' and \'-\', at most 128)', pin('nginx')],
    ['the tag starts with a dash', 'nginx:-rc1', 'nginx:-rc1', 'has an invalid tag (letters, digits, \'_\', \'.\' and \'-\', at most 128)', pin('nginx')],
    ['the tag is longer than 128 characters', `nginx:${'a'.repeat(129)}`, `nginx:${'a'.repeat(129)}`,
      'has an invalid tag (letters, digits, \'_\', \'.\' and \'-\', at most 128)', pin('nginx')],
  ])('fails when %s', (_what, image, shown, problem, fix) => {
    expect(errorOf(image)).toBe(`Chart 'test': 'image' (${shown}) ${problem}; ${fix}`);
  });
});
