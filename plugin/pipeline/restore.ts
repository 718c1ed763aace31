/**
 * `remaster restore`: puts originals back and forgets their state. A file the user changed after
 * Remaster wrote it is left as it is (it is the user's work now) and reported, its original set aside.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError, firstLine } from '../config/errors';
import { checkOptions } from '../config/options';
import { assertStateTargetSafe, assertStateTargetsSafe, coveredBy, STATE_DIR, symlinkOnTheWay, toAbsolute, toProjectPath } from '../safety/project-paths';
import { writeFileAtomic } from '../state/atomic-write';
import { removeOrphanTempFiles } from '../safety/orphan-temp-files';
import { assertStateDirSafe } from '../safety/state-dir';
import { lockProject } from '../state/lock';
import { dropOriginal, listOriginals, ORIGINALS_DIR, originalPath, readOriginal, setOriginalAside } from '../state/originals';
import { compactIfJournaled, loadState, removeState, saveState, stateDir, type StateData } from '../state/store';
import { inspectFile, readIfExists } from './file-source';

export interface RestoreReport {
  /** Assets whose originals are back. */
  restored: string[];
  /** Files left alone, with why. */
  kept: { path: string; reason: string }[];
  /** Assets that could not be restored (left as they were), with why; the others are restored anyway. */
  failed: { path: string; error: string }[];
}

export interface RestoreOptions {
  /** Only assets whose path or one of whose files is (or is inside) one of these; project-relative or absolute. */
  paths?: string[];
  /** Notes about the project's state (state.json recovered from its backup). */
  log?: (line: string) => void;
}

export async function restoreProject(root: string, options: RestoreOptions = {}): Promise<RestoreReport> {
  checkOptions(options, 'restoreProject()');
  root = path.resolve(root);
  const stat = await fs.stat(root).catch(() => null);
  if (!stat?.isDirectory()) throw new ConfigError(`${root}: not a directory`);
  if (!(await fs.stat(stateDir(root)).catch(() => null))) return { restored: [], kept: [], failed: [] }; // nothing was ever remastered
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
  const state = await loadState(root, options.log);
  assertStateTargetsSafe(root, state); // a refusal before anything is touched
  const wanted = options.paths && coveredBy(options.paths.map((p) => toProjectPath(root, p)));
  const keys = Object.keys(state.assets).filter((key) => !wanted || wanted(key) || state.assets[key].files.some(wanted));
  const report: RestoreReport = { restored: [], kept: [], failed: [] };
  for (const key of keys) {
    const files = state.assets[key].files;
    try {
      report.kept.push(...(await restoreAsset(root, state, key)));
      report.restored.push(key);
    } catch (err) {
      report.failed.push({ path: key, error: firstLine(err) });
    }
    await saveState(root, state, { files, assets: [key] });
  }
  await compactIfJournaled(root, state);
  if (Object.keys(state.assets).length === 0) {
    // Nothing left to restore: drop the state. Originals it does not account for stay where they are.
    await removeState(root);
    for (const rel of await listOriginals(root)) {
      // A copy identical to the file in the project (a run killed between keeping it and recording it) loses nothing.
      if (!symlinkOnTheWay(root, rel) && (await sameContent(toAbsolute(root, rel), originalPath(root, rel)))) {
        await dropOriginal(root, rel);
        continue;
      }
      report.kept.push({ path: `${STATE_DIR}/${ORIGINALS_DIR}/${rel}`, reason: 'a kept original state.json does not account for; left in place' });
    }
    await removeEmptyDirs(path.join(stateDir(root), ORIGINALS_DIR));
  }
  return report;
}

/**
 * Restores one asset's files in the tree and drops its records (state is saved by the caller). Every
 * original it needs is read first: a missing one fails the asset before any of its files is touched.
 */
export async function restoreAsset(root: string, state: StateData, key: string): Promise<{ path: string; reason: string }[]> {
  const kept: { path: string; reason: string }[] = [];
  const record = state.assets[key];
  const plan: { rel: string; action: 'keep' | 'remove' | 'write' | 'forget'; original?: Uint8Array }[] = [];
  for (const rel of record?.files ?? []) {
    const fileRecord = state.files[rel];
    if (!fileRecord) continue;
    const sharedWith = Object.keys(state.assets).find((other) => other !== key && state.assets[other].files.includes(rel));
    if (sharedWith) {
      kept.push({ path: rel, reason: `also used by ${sharedWith}` });
      continue;
    }
    assertStateTargetSafe(root, rel);
    const source = await inspectFile(root, state, rel);
    if (!source.derived) plan.push({ rel, action: 'keep' });
    else if (fileRecord.original === null) plan.push({ rel, action: 'remove' });
    else if (source.currentHash !== fileRecord.original) plan.push({ rel, action: 'write', original: await readOriginal(root, rel) });
    else plan.push({ rel, action: 'forget' });
  }
  delete state.assets[key];
  // Resources back first, the model next, removals last: at every step the model on disk reads files
  // that exist (a renamed .bin is removed only once the original .gltf is back).
  const order = (step: (typeof plan)[number]) => (step.action === 'remove' ? 2 : step.rel === key ? 1 : 0);
  plan.sort((a, b) => order(a) - order(b));
  for (const { rel, action, original } of plan) {
    if (action === 'keep') {
      const where = state.files[rel].original === null ? null : await setOriginalAside(root, rel);
      kept.push({ path: rel, reason: `changed since Remaster wrote it; kept as it is${where ? `; its original is kept at ${where}` : ''}` });
    } else if (action === 'remove') {
      await fs.rm(toAbsolute(root, rel), { force: true });
    } else if (action === 'write') {
      await writeFileAtomic(toAbsolute(root, rel), original!);
    }
    delete state.files[rel];
    await dropOriginal(root, rel);
  }
  return kept;
}

/** Removes the empty folders under `dir`, and `dir` itself if it ends up empty. */
async function removeEmptyDirs(dir: string): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) if (entry.isDirectory()) await removeEmptyDirs(path.join(dir, entry.name));
  await fs.rmdir(dir).catch(() => undefined);
}

async function sameContent(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([readIfExists(a), readIfExists(b)]);
  return x !== null && y !== null && Buffer.compare(x, y) === 0;
}
