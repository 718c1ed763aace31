/**
 * `.remaster/state.json`: what every file Remaster wrote was made from, so a later run can tell an
 * untouched output (skip it), a file the user replaced (a new original) and a rule change (re-derive
 * from the original). Comparisons are by content hash only.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { STATE_DIR } from '../discovery/walk';
import { assertStatePaths } from '../safety/state-paths';
import { writeFileAtomic } from './atomic-write';
import type { AssetType } from '../discovery/walk';

/** One file in the project tree that Remaster has touched. Hashes are sha256 hex. */
export interface FileRecord {
  /** Hash of the original, kept at `.remaster/originals/<path>`; null = the file did not exist (Remaster created it). */
  original: string | null;
  /** Hash of what Remaster left there; null = Remaster removed the file (e.g. converted to another format). */
  output: string | null;
  /**
   * Set just before Remaster replaces the file, cleared once the new content is recorded: if the process
   * dies in between, this content too is Remaster's own work (its original is already kept).
   */
  pending?: string | null;
}

/** Whether a file with this content hash (null = absent) is what Remaster left, or was writing, there. */
export function isRemasterContent(record: FileRecord | undefined, hash: string | null): boolean {
  return record !== undefined && (record.output === hash || (record.pending !== undefined && record.pending === hash));
}

/** One asset (model or standalone texture) and the files its outputs span. */
export interface AssetRecord {
  type: AssetType;
  /** Every file of the asset: the model and its external resources, or the texture and its converted copy. */
  files: string[];
  /** Hash of the originals' hashes + the rules that apply + the pipeline version: equal → nothing to redo. */
  fingerprint: string;
  /** Rule sources applied and engines used, for people reading the state. */
  rules: string[];
  engines: string[];
}

export interface StateData {
  version: 1;
  files: Record<string, FileRecord>;
  assets: Record<string, AssetRecord>;
}

export const STATE_FILE = 'state.json';

export function stateDir(root: string): string {
  return path.join(root, STATE_DIR);
}

export async function loadState(root: string): Promise<StateData> {
  const file = path.join(stateDir(root), STATE_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw err;
  }
  let data: StateData;
  try {
    data = JSON.parse(text) as StateData;
  } catch (err) {
    throw new Error(`${STATE_DIR}/${STATE_FILE}: corrupt state (${(err as Error).message}); restore from .remaster/originals or delete it`);
  }
  if (data.version !== 1 || typeof data.files !== 'object' || typeof data.assets !== 'object') {
    throw new Error(`${STATE_DIR}/${STATE_FILE}: unsupported state version ${String(data.version)}`);
  }
  assertStatePaths(data, `${STATE_DIR}/${STATE_FILE}`);
  return data;
}

export async function saveState(root: string, state: StateData): Promise<void> {
  // Keys sorted: the file comes out the same whatever order concurrent assets were committed in.
  const sorted = { ...state, files: sortKeys(state.files), assets: sortKeys(state.assets) };
  await writeFileAtomic(path.join(stateDir(root), STATE_FILE), JSON.stringify(sorted, null, 1) + '\n');
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function emptyState(): StateData {
  return { version: 1, files: {}, assets: {} };
}

/** Keys of the assets whose records list `rel` among their files. */
export function assetsUsingFile(state: StateData, rel: string): string[] {
  return Object.keys(state.assets).filter((key) => state.assets[key].files.includes(rel));
}
