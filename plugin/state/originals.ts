/** The pristine copies under `.remaster/originals/<relative path>`, kept before the first rewrite. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { assertInsideRoot, toAbsolute } from '../discovery/safe-path';
import { STATE_DIR } from '../discovery/walk';
import { writeFileAtomic } from './atomic-write';
import { stateDir } from './store';

export const ORIGINALS_DIR = 'originals';

export function originalPath(root: string, rel: string): string {
  return toAbsolute(path.join(stateDir(root), ORIGINALS_DIR), rel);
}

export async function keepOriginal(root: string, rel: string, bytes: Uint8Array): Promise<void> {
  // A symlink anywhere under .remaster/originals must not carry the copy out of the project.
  assertInsideRoot(root, `${STATE_DIR}/${ORIGINALS_DIR}/${rel}`);
  await writeFileAtomic(originalPath(root, rel), bytes);
}

export async function readOriginal(root: string, rel: string): Promise<Uint8Array> {
  try {
    return await fs.readFile(originalPath(root, rel));
  } catch (err) {
    throw new Error(`${rel}: the kept original is missing from .remaster/originals (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Deletes a kept original, and the folders under originals/ it leaves empty. */
export async function dropOriginal(root: string, rel: string): Promise<void> {
  await fs.rm(originalPath(root, rel), { force: true });
  const top = path.join(stateDir(root), ORIGINALS_DIR);
  for (let dir = path.dirname(originalPath(root, rel)); dir.startsWith(top + path.sep); dir = path.dirname(dir)) {
    try {
      await fs.rmdir(dir);
    } catch {
      break; // not empty (or already gone)
    }
  }
}
