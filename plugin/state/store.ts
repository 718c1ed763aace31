/**
 * `.remaster/state.json`: what every file Remaster wrote was made from, so a later run can tell an
 * untouched output (skip it), a file the user replaced (a new original) and a rule change (re-derive
 * from the original). Comparisons are by content hash only.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/errors';
import { STATE_DIR } from '../discovery/walk';
import { assertStatePaths, NO_STATE_ADVICE } from '../safety/state-paths';
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

export const STATE_BACKUP_FILE = 'state.json.bak';

/**
 * Reads state.json. A corrupt or missing one is replaced by state.json.bak, the last good state (saved
 * beside it every time), with a note through `onNote`: losing state would make Remaster take its own
 * outputs for originals. Without a usable backup it throws a one-line error giving a safe next step.
 */
export async function loadState(root: string, onNote?: (line: string) => void): Promise<StateData> {
  const label = `${STATE_DIR}/${STATE_FILE}`;
  const main = await readStateFile(path.join(stateDir(root), STATE_FILE));
  if (main.state) return checked(main.state, label);
  const backup = await readStateFile(path.join(stateDir(root), STATE_BACKUP_FILE));
  if (backup.state) {
    onNote?.(`${label}: ${main.problem ?? 'missing'}; using ${STATE_DIR}/${STATE_BACKUP_FILE}, the last good state`);
    return checked(backup.state, `${STATE_DIR}/${STATE_BACKUP_FILE}`);
  }
  if (main.problem === undefined) return emptyState(); // never remastered (or a stray broken backup)
  throw new ConfigError(`${label}: ${main.problem}; no usable ${STATE_BACKUP_FILE}; ${NO_STATE_ADVICE}`);
}

/** A state file's content, or why it is unusable; neither when it does not exist. */
async function readStateFile(file: string): Promise<{ state?: StateData; problem?: string }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { problem: `corrupt state (${(err as Error).message})` };
  }
  const problem = shapeProblem(data);
  return problem ? { problem } : { state: data as StateData };
}

/** Why a parsed value is not a version-1 state, or null. */
function shapeProblem(data: unknown): string | null {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return `corrupt state (not an object: ${JSON.stringify(data)?.slice(0, 20)})`;
  const { version, files, assets } = data as Partial<StateData>;
  if (version !== 1) return `unsupported state version ${JSON.stringify(version)?.slice(0, 20)}`;
  if (!files || typeof files !== 'object' || !assets || typeof assets !== 'object') return 'corrupt state (no files or assets)';
  for (const record of Object.values(files)) {
    if (!record || typeof record !== 'object' || !isHashOrNull(record.original) || !isHashOrNull(record.output)) return 'corrupt state (a file record is malformed)';
  }
  for (const record of Object.values(assets)) {
    if (!record || typeof record !== 'object' || !Array.isArray(record.files)) return 'corrupt state (an asset has no file list)';
  }
  return null;
}

function isHashOrNull(value: unknown): boolean {
  return value === null || typeof value === 'string';
}

function checked(state: StateData, label: string): StateData {
  assertStatePaths(state, label);
  return state;
}

/** Writes state.json, then the same content to state.json.bak (both atomically): the last good state survives a damaged state.json. */
export async function saveState(root: string, state: StateData): Promise<void> {
  // Keys sorted: the file comes out the same whatever order concurrent assets were committed in.
  const sorted = { ...state, files: sortKeys(state.files), assets: sortKeys(state.assets) };
  const text = JSON.stringify(sorted, null, 1) + '\n';
  await writeFileAtomic(path.join(stateDir(root), STATE_FILE), text);
  await writeFileAtomic(path.join(stateDir(root), STATE_BACKUP_FILE), text);
}

/** Removes state.json and its backup (restore, once nothing is left to restore). */
export async function removeState(root: string): Promise<void> {
  await fs.rm(path.join(stateDir(root), STATE_FILE), { force: true });
  await fs.rm(path.join(stateDir(root), STATE_BACKUP_FILE), { force: true });
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
