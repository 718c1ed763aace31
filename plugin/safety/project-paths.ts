/**
 * Path safety, in one place: every path Remaster reads, writes, restores or deletes is checked here, so
 * nothing — a glTF URI, a CLI argument, a state file, a symlink — can make it touch a file outside the
 * project root. Four sources of paths, four sections:
 * - Remaster's own folder (STATE_DIR), which no asset path may enter;
 * - paths a user gives (CLI arguments, `paths` options): `toProjectPath`, `covers`, `coveredBy`;
 * - paths an asset names (glTF resource URIs) and every path the pipeline opens: `resolveResourceUri`,
 *   `assertInsideRoot` (`../`, absolute paths, `file:` URIs, percent-encoded traversal, symlinks that
 *   lead out), `toAbsolute`;
 * - paths .remaster/state.json names (data from disk, possibly tampered, possibly shipped with the
 *   project): `isProjectPath`, `assertStatePaths`, and no symlink on the way (`assertStateTargetSafe`).
 */
import { lstatSync, readdirSync, realpathSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors';

/** Remaster's own folder at the project root (originals and state). */
export const STATE_DIR = '.remaster';

// --- Paths a user gives -------------------------------------------------------------------------

/** `p` relative to `root` (or absolute) → project-relative POSIX path; '' is the root itself. */
export function toProjectPath(root: string, p: string): string {
  const rel = path.relative(root, path.resolve(root, p)).split(path.sep).join('/');
  if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) throw new ConfigError(`${p}: not inside the project ${root}`); // bad usage: exit 2
  return rel;
}

/** Whether the wanted path is `rel` itself or a folder containing it. */
export function covers(wanted: string, rel: string): boolean {
  return wanted === '' || rel === wanted || rel.startsWith(wanted.endsWith('/') ? wanted : wanted + '/');
}

/**
 * `(rel) => wanted.some((w) => covers(w, rel))`, in time independent of how many paths are wanted: the
 * watcher's startup pass names every asset of the project (100,000 of them), which made the pairwise
 * test quadratic (minutes at 100k). Looks up `rel` and each folder above it in a set.
 */
export function coveredBy(wanted: readonly string[]): (rel: string) => boolean {
  const set = new Set(wanted);
  if (set.has('')) return () => true;
  return (rel) => {
    if (set.has(rel)) return true;
    for (let i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) {
      if (set.has(rel.slice(0, i)) || set.has(rel.slice(0, i + 1))) return true;
    }
    return false;
  };
}

// --- Paths an asset names, and every path the pipeline opens ------------------------------------

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

// --- Paths .remaster/state.json names -----------------------------------------------------------
//
// state.json names the files Remaster restores, deletes and re-derives. It is data from disk, so a
// tampered or corrupt one must not be able to aim those operations outside the project (`../x`,
// `/etc/x`, or into .remaster/ itself, where `originals/<path>` with `..` escapes too).
//
// A project can also ship its own `.remaster/` (a git checkout, an unzipped mod): its state.json may
// name `linked/x.png` where `linked` is a symlinked folder, and its originals/ may hold symlinked
// folders. Restore and "nothing applies → put the original back" would then write, read and delete
// through them, outside the project. Every path Remaster reaches through its state, in the project
// and under .remaster/originals/, must therefore be made of real folders: no symlink anywhere on the way.

/** The one safe step when the state cannot be used: the originals are untouched under .remaster/originals/. */
export const NO_STATE_ADVICE = `nothing was changed; the untouched originals are in ${STATE_DIR}/originals/<same path>: copy back those you want (cp -a ${STATE_DIR}/originals/. ./ puts back all of them), then move ${STATE_DIR}/ aside`;

const MAYBE_UNNORMAL = /(^|\/)\.\.?(\/|$)|\/\/|\/$/;

/** A normalised, relative POSIX path inside the project and outside .remaster/. */
export function isProjectPath(rel: unknown): rel is string {
  if (typeof rel !== 'string' || rel === '' || rel.includes('\0')) return false;
  // A backslash is an ordinary file-name character on POSIX (`back\slash.png` is legal and Remaster
  // writes such names into state itself); only where it separates folders (Windows) is it a way out.
  if (path.sep === '\\' && rel.includes('\\')) return false;
  // normalize() only where it could change something (`.`/`..` parts, `//`, a trailing `/`): this runs
  // for every path of a state of 100k files.
  if (path.posix.isAbsolute(rel) || (MAYBE_UNNORMAL.test(rel) && path.posix.normalize(rel) !== rel)) return false;
  if (rel === '..' || rel.startsWith('../') || rel === '.') return false;
  return rel !== STATE_DIR && !rel.startsWith(`${STATE_DIR}/`);
}

interface StateShape {
  files: Record<string, unknown>;
  assets: Record<string, { files?: unknown }>;
}

/** Throws a one-line error naming the first path in the state that is not a project path. */
export function assertStatePaths(state: StateShape, label: string): void {
  const paths: unknown[] = [...Object.keys(state.files), ...Object.keys(state.assets)];
  for (const record of Object.values(state.assets)) {
    if (!Array.isArray(record?.files)) throw new ConfigError(`${label}: corrupt state (an asset has no file list); ${NO_STATE_ADVICE}`);
    paths.push(...record.files);
  }
  const bad = paths.find((rel) => !isProjectPath(rel));
  if (bad !== undefined) {
    throw new ConfigError(`${label}: ${JSON.stringify(bad)} is outside the project (tampered or corrupt state); ${NO_STATE_ADVICE}`);
  }
}

/**
 * The first existing symlink on the way from `base` down to `base/<rel>` (the file itself included),
 * as a path relative to `base`; null when every existing part is a real folder or file.
 */
export function symlinkOnTheWay(base: string, rel: string, listings?: FolderListings): string | null {
  if (listings) return listings.firstLink(base, rel);
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const stat = lstatSync(path.join(base, ...parts.slice(0, i)), { throwIfNoEntry: false });
    if (!stat) return null; // nothing below a missing part exists yet
    if (stat.isSymbolicLink()) return parts.slice(0, i).join('/');
  }
  return null;
}

/**
 * symlinkOnTheWay for many paths at once (a state of 100k files): each folder's answer is kept and
 * each folder listed once, instead of an lstat per path part. A name a listing does not hold exactly
 * is still lstat'ed: on a case-insensitive file system `A.png` reaches `a.png`, which no exact lookup finds.
 */
export class FolderListings {
  /** Per `base\0folder`: the first symlink on the way to it (itself included), MISSING, or '' (real all the way). */
  private readonly folders = new Map<string, string>();
  private readonly listings = new Map<string, Map<string, Dirent> | null>();

  firstLink(base: string, rel: string): string | null {
    const slash = rel.lastIndexOf('/');
    if (slash >= 0) {
      const above = this.folder(base, rel.slice(0, slash));
      if (above === MISSING) return null;
      if (above) return above;
    }
    const isLink = this.isLink(base, slash >= 0 ? rel.slice(0, slash) : '', rel.slice(slash + 1));
    return isLink === null ? null : isLink ? rel : null;
  }

  private folder(base: string, rel: string): string {
    const id = `${base}\0${rel}`;
    let found = this.folders.get(id);
    if (found === undefined) {
      const slash = rel.lastIndexOf('/');
      const above = slash >= 0 ? this.folder(base, rel.slice(0, slash)) : '';
      if (above) found = above;
      else {
        const isLink = this.isLink(base, slash >= 0 ? rel.slice(0, slash) : '', rel.slice(slash + 1));
        found = isLink === null ? MISSING : isLink ? rel : '';
      }
      this.folders.set(id, found);
    }
    return found;
  }

  /** Whether `base/folder/name` is a symlink; null when nothing is there. */
  private isLink(base: string, folder: string, name: string): boolean | null {
    const id = `${base}\0${folder}`;
    const dir = () => (folder ? path.join(base, ...folder.split('/')) : base);
    let entries = this.listings.get(id);
    if (entries === undefined) {
      try {
        entries = new Map(readdirSync(dir(), { withFileTypes: true }).map((e) => [e.name, e]));
      } catch {
        entries = null; // missing or unreadable: each name asks lstat
      }
      this.listings.set(id, entries);
    }
    const entry = entries?.get(name);
    if (entry) return entry.isSymbolicLink();
    const stat = lstatSync(path.join(dir(), name), { throwIfNoEntry: false });
    return stat ? stat.isSymbolicLink() : null;
  }
}

/** FolderListings' mark for a folder that does not exist (nothing below it does either). */
const MISSING = '\0missing';

/**
 * Throws (exit 2) when a project path named by state, or its kept original, is reached through a
 * symlink. `label` is the file that named it (state.json).
 */
export function assertStateTargetSafe(root: string, rel: string, label = `${STATE_DIR}/state.json`, listings?: FolderListings): void {
  const inProject = symlinkOnTheWay(root, rel, listings);
  const inOriginals = symlinkOnTheWay(path.join(root, STATE_DIR), `originals/${rel}`, listings);
  const link = inProject ?? (inOriginals && `${STATE_DIR}/${inOriginals}`);
  if (link) {
    throw new ConfigError(`${label}: ${JSON.stringify(rel)} is reached through the symlink ${link}; Remaster follows no link from its state, nothing was changed (remove the link, or the .remaster/ that came with the project)`);
  }
}

/** Checks every path of the state before anything is touched, so a refusal leaves the project as it was. */
export function assertStateTargetsSafe(root: string, state: { files: Record<string, unknown>; assets: Record<string, { files: string[] }> }): void {
  const paths = new Set([...Object.keys(state.files), ...Object.keys(state.assets), ...Object.values(state.assets).flatMap((a) => a.files)]);
  const listings = new FolderListings();
  for (const rel of paths) assertStateTargetSafe(root, rel, undefined, listings);
}
