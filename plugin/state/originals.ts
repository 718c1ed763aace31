/** The pristine originals under `.remaster/originals/<relative path>` (a copy, or the file itself by a hard link: keepOriginal), kept before the first rewrite. */
import { lstatSync, promises as fs, rmSync } from 'node:fs';
import path from 'node:path';
import { STATE_DIR, symlinkOnTheWay, toAbsolute, UnsafePathError } from '../safety/project-paths';
import { readRegularFile } from '../safety/regular-file';
import { syncFolder, tempName, writeFileAtomic, type WriteOptions } from './atomic-write';
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
 *
 * `write.link`: the caller is about to replace `rel` by a rename, so the original is kept as a second
 * name of the file itself (see {@link keepByLink}) instead of a copy, when that is safe; else a copy.
 */
export async function keepOriginal(root: string, rel: string, bytes: Uint8Array, accounted = true, write: Pick<WriteOptions, 'syncFolder'> & { link?: boolean } = {}): Promise<void> {
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
  if (write.link && (await keepByLink(toAbsolute(root, rel), file, hashBytes(bytes), write.syncFolder !== false))) return;
  // The copy is as private as the file it copies (a 0600 texture's original is not world-readable).
  await writeFileAtomic(file, bytes, { mode: fileMode(toAbsolute(root, rel)), syncFolder: write.syncFolder });
}

/**
 * Keeps `from` (a project file about to be replaced by a rename, so its inode is then reachable only
 * from originals/) as `file` by a hard link: no new inode, no data written, and no old inode freed by
 * the replacing rename. Where creating files is what costs (ext4 scanning past recently freed inodes),
 * that is most of a small asset's commit. Same mode and content as the file by construction.
 *
 * Only when it is exactly the file that was read, with no other name: after linking, the link count
 * must be 2 (the project's name and ours: a file also linked outside the project could be edited there
 * through its other name) and the content must hash to `hash` (not replaced since it was read). Its
 * data is fsync'd, as a copy's would be. Returns false, leaving nothing behind, when it cannot (no
 * hard links on that filesystem, another device, a check failed): the caller copies.
 */
async function keepByLink(from: string, file: string, hash: string, syncItsFolder: boolean): Promise<boolean> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, tempName(file));
  try {
    await fs.link(from, tmp).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      await fs.mkdir(dir, { recursive: true });
      await fs.link(from, tmp);
    });
  } catch {
    return false;
  }
  try {
    const st = lstatSync(tmp);
    if (!st.isFile() || st.nlink !== 2) return discard(tmp);
    const now = await readRegularFile(tmp);
    if (!now || hashBytes(now) !== hash) return discard(tmp);
    const handle = await fs.open(tmp, 'r');
    try {
      await handle.sync(); // the original's data durable before anything counts on it (as a copy's)
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file); // (never two names of one file: its only names are the project's and tmp)
  } catch {
    return discard(tmp);
  }
  if (syncItsFolder) await syncFolder(dir);
  return true;
}

function discard(tmp: string): false {
  rmSync(tmp, { force: true });
  return false;
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
