/**
 * `.remaster/` must be a real folder of the project: a project copied from elsewhere (an asset pack,
 * a cloned repository) could ship `.remaster` — or its originals folder, state or lock — as a symlink
 * pointing anywhere, and Remaster would write originals and state through it, outside the project.
 */
import { lstatSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/errors';
import { STATE_DIR } from '../discovery/walk';

const MUST_BE_REAL = [STATE_DIR, `${STATE_DIR}/originals`, `${STATE_DIR}/state.json`, `${STATE_DIR}/state.json.bak`, `${STATE_DIR}/lock`];

/**
 * Throws (exit 2, nothing written) when .remaster or one of its entries is a symlink. Synchronous, so it
 * adds no await before the caller takes the lock (concurrent runs in one process race to it).
 */
export function assertStateDirSafe(root: string): void {
  for (const rel of MUST_BE_REAL) {
    const stat = lstatSync(path.join(root, ...rel.split('/')), { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) {
      throw new ConfigError(`${rel}: is a symlink; Remaster keeps originals and state only in a real folder inside the project (remove the link)`);
    }
  }
}
