/**
 * `remaster restore`: puts originals back and forgets their state. A file the user changed after
 * Remaster wrote it is left as it is (it is the user's work now) and reported.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { checkOptions } from '../config/options';
import { covers, toProjectPath } from '../discovery/project-paths';
import { toAbsolute } from '../discovery/safe-path';
import { writeFileAtomic } from '../state/atomic-write';
import { removeOrphanTempFiles } from '../safety/orphan-temp-files';
import { assertStateDirSafe } from '../safety/state-dir';
import { lockProject } from '../state/lock';
import { dropOriginal, ORIGINALS_DIR, readOriginal } from '../state/originals';
import { loadState, saveState, stateDir, STATE_FILE, type StateData } from '../state/store';
import { inspectFile } from './file-source';

export interface RestoreReport {
  /** Assets whose originals are back. */
  restored: string[];
  /** Files left alone, with why. */
  kept: { path: string; reason: string }[];
}

export interface RestoreOptions {
  /** Only assets whose path or one of whose files is (or is inside) one of these; project-relative or absolute. */
  paths?: string[];
}

export async function restoreProject(root: string, options: RestoreOptions = {}): Promise<RestoreReport> {
  checkOptions(options, 'restoreProject()');
  root = path.resolve(root);
  if (!(await fs.stat(stateDir(root)).catch(() => null))) return { restored: [], kept: [] }; // nothing was ever remastered
  assertStateDirSafe(root);
  const unlock = await lockProject(root);
  try {
    await removeOrphanTempFiles(root);
    return await restoreLocked(root, options);
  } finally {
    await unlock();
    await fs.rmdir(stateDir(root)).catch(() => undefined);
  }
}

async function restoreLocked(root: string, options: RestoreOptions): Promise<RestoreReport> {
  const state = await loadState(root);
  const wanted = options.paths?.map((p) => toProjectPath(root, p));
  const keys = Object.keys(state.assets).filter((key) => !wanted || [key, ...state.assets[key].files].some((rel) => wanted.some((w) => covers(w, rel))));
  const report: RestoreReport = { restored: [], kept: [] };
  for (const key of keys) {
    report.kept.push(...(await restoreAsset(root, state, key)));
    report.restored.push(key);
    await saveState(root, state);
  }
  if (Object.keys(state.assets).length === 0) {
    // Nothing left to restore: drop state and originals (the lock file goes when the caller unlocks).
    await fs.rm(path.join(stateDir(root), STATE_FILE), { force: true });
    await fs.rm(path.join(stateDir(root), ORIGINALS_DIR), { recursive: true, force: true });
  }
  return report;
}

/** Restores one asset's files in the tree and drops its records (state is saved by the caller). */
export async function restoreAsset(root: string, state: StateData, key: string): Promise<{ path: string; reason: string }[]> {
  const kept: { path: string; reason: string }[] = [];
  const record = state.assets[key];
  delete state.assets[key];
  for (const rel of record?.files ?? []) {
    const fileRecord = state.files[rel];
    if (!fileRecord) continue;
    const sharedWith = Object.keys(state.assets).find((other) => state.assets[other].files.includes(rel));
    if (sharedWith) {
      kept.push({ path: rel, reason: `also used by ${sharedWith}` });
      continue;
    }
    const source = await inspectFile(root, state, rel);
    if (!source.derived) {
      kept.push({ path: rel, reason: 'changed since Remaster wrote it; kept as it is' });
    } else if (fileRecord.original === null) {
      await fs.rm(toAbsolute(root, rel), { force: true });
    } else if (source.currentHash !== fileRecord.original) {
      await writeFileAtomic(toAbsolute(root, rel), await readOriginal(root, rel));
    }
    delete state.files[rel];
    await dropOriginal(root, rel);
  }
  return kept;
}
