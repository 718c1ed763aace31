/**
 * Every path the pipeline reads or writes is resolved here, so a hostile or broken asset can never make
 * it touch a file outside the project root (`../`, absolute paths, `file:` URIs, percent-encoded
 * traversal, symlinks that lead out).
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';

export class UnsafePathError extends Error {
  override name = 'UnsafePathError';
}

/**
 * Resolves a glTF resource URI relative to the POSIX project path of the file that references it.
 * Returns the resource's project-relative POSIX path. `data:` URIs are not paths and are rejected here;
 * callers handle them before.
 */
export function resolveResourceUri(root: string, fromRel: string, uri: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) throw new UnsafePathError(`URI "${uri}": only relative paths are allowed`);
  let decoded: string;
  try {
    decoded = decodeURIComponent(uri);
  } catch {
    throw new UnsafePathError(`URI "${uri}": malformed percent-encoding`);
  }
  if (decoded.includes('\\') || decoded.includes('\0')) throw new UnsafePathError(`URI "${uri}": backslashes and NUL are not allowed`);
  if (decoded.startsWith('/')) throw new UnsafePathError(`URI "${uri}": absolute paths are not allowed`);
  const rel = path.posix.normalize(path.posix.join(path.posix.dirname(fromRel), decoded));
  if (rel === '..' || rel.startsWith('../') || path.posix.isAbsolute(rel)) {
    throw new UnsafePathError(`URI "${uri}": leaves the project directory`);
  }
  return assertInsideRoot(root, rel);
}

/**
 * Checks that a project-relative POSIX path, followed through symlinks, stays inside the root (the
 * file may not exist yet: then its nearest existing parent is checked). Returns the normalised path.
 */
export function assertInsideRoot(root: string, rel: string): string {
  const norm = path.posix.normalize(rel);
  if (norm === '..' || norm.startsWith('../') || path.isAbsolute(norm)) throw new UnsafePathError(`${rel}: outside the project directory`);
  const realRoot = realpathSync(root);
  let probe = path.join(root, norm);
  for (;;) {
    try {
      const real = realpathSync(probe);
      if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
        throw new UnsafePathError(`${rel}: a symlink leads outside the project directory`);
      }
      return norm;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const parent = path.dirname(probe);
      if (parent === probe) return norm;
      probe = parent;
    }
  }
}

/** Absolute path of a project-relative POSIX path. */
export function toAbsolute(root: string, rel: string): string {
  return path.join(root, ...rel.split('/'));
}
