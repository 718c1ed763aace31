/** The pristine copies under `.remaster/originals/<relative path>`, kept before the first rewrite. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { STATE_DIR, symlinkOnTheWay, toAbsolute, UnsafePathError } from '../safety/project-paths';
import { readRegularFile } from '../safety/regular-file';
import { writeFileAtomic, type WriteOptions } from './atomic-write';
import { fileMode } from './file-stat';
import { hashBytes } from './hash';
import { stateDir } from './store';

export const ORIGINALS_DIR = 'originals';
/** Where restore puts the original of a file the user edited after Remaster wrote it (both are kept). */
export const EDITED_ORIGINALS_DIR = 'originals-of-edited-files';

export function originalPath(root: string, rel: string): string {
  return toAbsolute(path.join(stateDir(root), ORIGINALS_DIR), rel);
}

/** A symlink anywhere under .remaster/ on the way to a kept original must not carry a read, write or delete out of the project. */
function assertRealOriginalPath(root: string, dir: string, rel: string): void {
  const link = symlinkOnTheWay(stateDir(root), `${dir}/${rel}`);
  if (link) throw new UnsafePathError(`${STATE_DIR}/${link}: is a symlink; Remaster keeps originals only in real folders (remove the link)`);
}

/**
 * Keeps `bytes` as the original of `rel`. A different original already kept there that the state does
 * not account for (`accounted` false: state.json was lost or deleted) is never overwritten: it may be
 * the only copy of the user's file, and the current file Remaster's own output. `write.syncFolder`
 * false: the caller fsyncs the copy's folder (`originalPath`'s dirname) before relying on it.
 */
export async function keepOriginal(root: string, rel: string, bytes: Uint8Array, accounted = true, write: Pick<WriteOptions, 'syncFolder'> = {}): Promise<void> {
  assertRealOriginalPath(root, ORIGINALS_DIR, rel);
  const file = originalPath(root, rel);
  if (!accounted) {
    const kept = await readRegularFile(file).catch((err: Error) => {
      throw new Error(`${STATE_DIR}/${ORIGINALS_DIR}/${rel}: ${err.message}`, { cause: err });
    });
    if (kept && hashBytes(kept) === hashBytes(bytes)) return;
    if (kept) {
      throw new Error(`${STATE_DIR}/${ORIGINALS_DIR}/${rel} holds a kept original that state.json does not account for; not overwritten (compare it with ${rel}, copy back the one you want, then delete ${STATE_DIR}/${ORIGINALS_DIR}/${rel})`);
    }
  }
  // The copy is as private as the file it copies (a 0600 texture's original is not world-readable).
  await writeFileAtomic(file, bytes, { mode: fileMode(toAbsolute(root, rel)), ...write });
}

export async function readOriginal(root: string, rel: string): Promise<Uint8Array> {
  assertRealOriginalPath(root, ORIGINALS_DIR, rel);
  try {
    const bytes = await readRegularFile(originalPath(root, rel));
    if (bytes) return bytes;
    throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new Error(`${rel}: the kept original is missing from .remaster/originals (${why})`);
  }
}

/** Deletes a kept original, and the folders under originals/ it leaves empty. */
export async function dropOriginal(root: string, rel: string): Promise<void> {
  assertRealOriginalPath(root, ORIGINALS_DIR, rel);
  await fs.rm(originalPath(root, rel), { force: true });
  await removeEmptyParents(path.join(stateDir(root), ORIGINALS_DIR), path.dirname(originalPath(root, rel)));
}

/**
 * Moves the kept original of `rel` out of originals/ (which state accounts for entry by entry) to
 * `.remaster/originals-of-edited-files/<rel>` (`<rel>.1`, `.2`, ... if taken). Returns where it now is,
 * project-relative; null when there was no kept original.
 */
export async function setOriginalAside(root: string, rel: string): Promise<string | null> {
  assertRealOriginalPath(root, ORIGINALS_DIR, rel);
  assertRealOriginalPath(root, EDITED_ORIGINALS_DIR, rel);
  const from = originalPath(root, rel);
  if (!(await fs.stat(from).catch(() => null))) return null;
  const base = toAbsolute(path.join(stateDir(root), EDITED_ORIGINALS_DIR), rel);
  await fs.mkdir(path.dirname(base), { recursive: true });
  for (let n = 0; ; n++) {
    const to = n ? `${base}.${n}` : base;
    try {
      await fs.link(from, to); // never replaces an earlier one
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    await dropOriginal(root, rel);
    return `${STATE_DIR}/${EDITED_ORIGINALS_DIR}/${rel}${n ? `.${n}` : ''}`;
  }
}

/** Removes `dir` and its parents up to (not including) `top` while they are empty. */
export async function removeEmptyParents(top: string, dir: string): Promise<void> {
  for (; dir.startsWith(top + path.sep); dir = path.dirname(dir)) {
    try {
      await fs.rmdir(dir);
    } catch {
      break; // not empty (or already gone)
    }
  }
}

/** Kept originals (project-relative paths) under originals/, for what the state no longer accounts for. */
export async function listOriginals(root: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(dirRel: string): Promise<void> {
    const entries = await fs.readdir(path.join(stateDir(root), ORIGINALS_DIR, ...dirRel.split('/').filter(Boolean)), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(rel);
      else found.push(rel);
    }
  }
  await walk('');
  return found;
}
