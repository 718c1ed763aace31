/**
 * `.remaster/state.json`: what every file Remaster wrote was made from, so a later run can tell an
 * untouched output (skip it), a file the user replaced (a new original) and a rule change (re-derive
 * from the original). Comparisons are by content hash only.
 *
 * state.json is a snapshot; the saves since it are records in `.remaster/state.journal` (journal.ts),
 * so a save during a run costs one short fsync'd append, whatever the project's size. The snapshot is
 * rewritten (compaction) at the end of a run and whenever the journal outgrows it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/errors';
import { assertStatePaths, NO_STATE_ADVICE, STATE_DIR } from '../safety/project-paths';
import { NotRegularFileError, readRegularFile } from '../safety/regular-file';
import { writeFileAtomic } from './atomic-write';
import type { FileRecord, StateData } from './types';

export type { AssetRecord, FileRecord, FileStamp, StateData } from './types';
import { listShardStates, overlayShardStates, removeShardState } from './shard-state';
import { attachStamps, splitStamps, STAMPS_FILE, writeStamps } from './stamps';
import { hashValue } from './hash';
import { appendJournal, journalPath, replayJournal, resetJournal, type JournalHandle, type StateChanges } from './journal';

export type { StateChanges } from './journal';

/** Whether a file with this content hash (null = absent) is what Remaster left, or was writing, there. */
export function isRemasterContent(record: FileRecord | undefined, hash: string | null): boolean {
  return record !== undefined && (record.output === hash || (record.pending !== undefined && record.pending === hash));
}

/**
 * state.json on disk. Version 2 adds `journal`, the id the journal's header must carry to apply to it;
 * version 1 (no journal) is read as is and rewritten as version 2 at the first compaction. A version-1
 * Remaster refuses a version-2 file instead of missing the journal's records.
 */
interface SnapshotFile extends Omit<StateData, 'version'> {
  version: 1 | 2;
  journal?: string;
  /** Size of the file it was read from (not stored). */
  bytes?: number;
}

/** Journal handle of each state loaded or saved here; a state without one is saved whole. */
const journals = new WeakMap<StateData, JournalHandle>();

/** Compaction when the journal is past this many bytes and past the snapshot's own size. */
const COMPACT_MIN_BYTES = 4 << 20;

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
  if (main.state) return withShards(root, await withJournal(root, main.state, onNote), label);
  const backup = await readStateFile(path.join(stateDir(root), STATE_BACKUP_FILE));
  if (backup.state) {
    onNote?.(`${label}: ${main.problem ?? 'missing'}; using ${STATE_DIR}/${STATE_BACKUP_FILE}, the last good state`);
    return withShards(root, await withJournal(root, backup.state, onNote), `${STATE_DIR}/${STATE_BACKUP_FILE}`);
  }
  if (main.problem === undefined) {
    // Never remastered (or a stray broken backup). A journal without a snapshot is from no state we know.
    const state = emptyState();
    journals.set(state, { snapshot: '', bytes: 0, tornBytes: 0, exists: false });
    return withShards(root, state, label);
  }
  throw new ConfigError(`${label}: ${main.problem}; no usable ${STATE_BACKUP_FILE}; ${NO_STATE_ADVICE}`);
}

/** Shard state files (merged CI shards) laid over the state, paths checked after: any file could name anything. */
async function withShards(root: string, state: StateData, label: string): Promise<StateData> {
  const shards = await overlayShardStates(stateDir(root), state);
  if (shards.length) unfolded.set(state, shards);
  return checked(state, shards.length ? `${label} + ${shards.map((n) => `${STATE_DIR}/${n}`).join(' + ')}` : label);
}

/** Shard files laid over a state and not yet folded into its state.json (its next save compacts). */
const unfolded = new WeakMap<StateData, string[]>();

/** The snapshot with its journal replayed (paths are checked by the caller: the journal could name anything too). */
async function withJournal(root: string, file: SnapshotFile, onNote?: (line: string) => void): Promise<StateData> {
  const state: StateData = { version: 1, files: file.files, assets: file.assets };
  await attachStamps(stateDir(root), state.files); // before the journal, whose records carry newer ones
  const snapshot = file.version === 2 && typeof file.journal === 'string' ? file.journal : '';
  const replay = snapshot ? await replayJournal(stateDir(root), snapshot, state) : { handle: { snapshot, bytes: 0, tornBytes: 0, exists: false }, records: 0, torn: false };
  if (replay.torn) onNote?.(`${STATE_DIR}/state.journal: its last record is incomplete (a run was killed while saving it); ignored`);
  journals.set(state, replay.handle);
  snapshotBytes.set(state, file.bytes ?? 0);
  return state;
}

/** A state file's content, or why it is unusable; neither when it does not exist. */
async function readStateFile(file: string): Promise<{ state?: SnapshotFile; problem?: string }> {
  let text: string;
  try {
    // Only a regular file: a FIFO planted as state.json would otherwise hang the run holding the lock.
    const bytes = await readRegularFile(file);
    if (!bytes) return {};
    text = bytes.toString('utf8');
  } catch (err) {
    if (err instanceof NotRegularFileError) return { problem: err.message };
    throw err;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { problem: `corrupt state (${(err as Error).message})` };
  }
  const problem = shapeProblem(data);
  return problem ? { problem } : { state: { ...(data as SnapshotFile), bytes: Buffer.byteLength(text) } };
}

/** Why a parsed value is not a version-1 state, or null. */
function shapeProblem(data: unknown): string | null {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return `corrupt state (not an object: ${JSON.stringify(data)?.slice(0, 20)})`;
  const { version, files, assets } = data as Partial<SnapshotFile>;
  if (version !== 1 && version !== 2) return `unsupported state version ${JSON.stringify(version)?.slice(0, 20)}`;
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

/**
 * Saves the state. With `changes` (the entries this save is about) on a state loaded by loadState:
 * one journal record, compacting when the journal has outgrown the snapshot. Without: a compaction.
 * Every change made to the state in memory must reach disk through the `changes` of some save, or be
 * followed by a compaction (which writes everything).
 *
 * `defer`: the changes ride along with the next save's record (or the run's closing flush) instead of
 * costing an fsync of their own. Only for saves whose loss in a crash is safe: commitAsset's final
 * "done" record, whose absence leaves the asset's `pending` intent on disk, so the next run takes the
 * new files for Remaster's work (original kept) and redoes the asset.
 *
 * `after` (with `defer`): what must be durable before these changes are (the folder fsyncs that make a
 * group's renames durable). Every later save and compaction waits for it before it writes anything, so
 * the record never reaches disk ahead of the renames it describes, while the caller goes on at once.
 */
export async function saveState(root: string, state: StateData, changes?: StateChanges, options: { defer?: boolean; after?: Promise<void> } = {}): Promise<void> {
  if (options.after) addBarrier(state, options.after);
  const handle = journals.get(state);
  if (!changes || !handle?.snapshot || unfolded.has(state)) return compactState(root, state);
  const waiting = deferred.get(state);
  if (options.defer) {
    const into = waiting ?? { files: new Set<string>(), assets: new Set<string>() };
    for (const rel of changes.files ?? []) into.files.add(rel);
    for (const key of changes.assets ?? []) into.assets.add(key);
    deferred.set(state, into);
    return;
  }
  await passBarriers(state);
  if (waiting) changes = { files: new Set([...waiting.files, ...(changes.files ?? [])]), assets: new Set([...waiting.assets, ...(changes.assets ?? [])]) };
  await appendJournal(stateDir(root), handle, state, changes);
  if (waiting) deferred.delete(state); // written (a failed append keeps them waiting for the next save)
  if (handle.bytes > COMPACT_MIN_BYTES && handle.bytes > (snapshotBytes.get(state) ?? 0)) await compactState(root, state);
}

/** Entries of deferred saves not yet in a journal record (saveState's `defer`). */
const deferred = new WeakMap<StateData, { files: Set<string>; assets: Set<string> }>();

/** What must be durable before the state's next write (saveState's `after`). */
const barriers = new WeakMap<StateData, Promise<void>[]>();

function addBarrier(state: StateData, after: Promise<void>): void {
  const list = barriers.get(state) ?? [];
  list.push(after.catch(() => undefined)); // a failed fsync is best effort here as in syncFolder
  barriers.set(state, list);
}

/** Waits for every barrier set so far (they run side by side with whatever the caller did meanwhile). */
async function passBarriers(state: StateData): Promise<void> {
  for (let list = barriers.get(state); list?.length; list = barriers.get(state)) {
    barriers.delete(state);
    await Promise.all(list);
  }
}

/** Writes the deferred saves, if any, as one journal record. */
export async function flushState(root: string, state: StateData): Promise<void> {
  const waiting = deferred.get(state);
  if (waiting) await saveState(root, state, { files: [], assets: [] });
}

/** Size of the snapshot each state was last compacted into (the journal may grow to it before the next). */
const snapshotBytes = new WeakMap<StateData, number>();

/**
 * Writes the whole state as a new snapshot: state.json, then the same content to state.json.bak (both
 * atomically; the last good state survives a damaged state.json), then a fresh journal. A kill before
 * the journal is reset leaves a snapshot that already holds every record of the old one, which its id
 * no longer matches.
 */
export async function compactState(root: string, state: StateData): Promise<void> {
  // Keys sorted, change-gate stamps (inodes, times: they differ per copy) kept aside, and the id made
  // from the content: the same state gives the same file, whatever order assets were committed in.
  const { files, stamps } = splitStamps(state.files);
  const records = { files, assets: sortKeys(state.assets) };
  const id = hashValue(records).slice(0, 16);
  const text = JSON.stringify({ version: 2, journal: id, ...records } satisfies SnapshotFile, null, 1) + '\n';
  await passBarriers(state); // the snapshot holds every entry in memory, deferred ones included
  await writeFileAtomic(path.join(stateDir(root), STATE_FILE), text);
  deferred.delete(state); // every entry is in it
  await writeFileAtomic(path.join(stateDir(root), STATE_BACKUP_FILE), text);
  await writeStamps(stateDir(root), stamps);
  // Shard files now folded in: laid over this snapshot again after a kill they would change nothing.
  for (const name of unfolded.get(state) ?? []) await removeShardState(stateDir(root), name);
  unfolded.delete(state);
  journals.set(state, await resetJournal(stateDir(root), id));
  snapshotBytes.set(state, Buffer.byteLength(text));
}

/**
 * End of a run: compacts when the journal holds more than an eighth of the snapshot's size (so the next
 * load mostly reads one file), or shard files wait to be folded in. A run that changed a few assets of a
 * big project (a watch job) leaves its few records in the journal instead of rewriting every entry.
 */
export async function compactIfJournaled(root: string, state: StateData): Promise<void> {
  await flushState(root, state);
  const journal = journals.get(state);
  if (unfolded.has(state) || (journal?.exists && journal.bytes * 8 > (snapshotBytes.get(state) ?? 0))) await compactState(root, state);
}

/** Removes state.json, its backup and its journal (restore, once nothing is left to restore). */
export async function removeState(root: string): Promise<void> {
  await fs.rm(path.join(stateDir(root), STATE_FILE), { force: true });
  await fs.rm(path.join(stateDir(root), STATE_BACKUP_FILE), { force: true });
  await fs.rm(journalPath(stateDir(root)), { force: true });
  await fs.rm(path.join(stateDir(root), STAMPS_FILE), { force: true });
  for (const name of await listShardStates(stateDir(root))) await removeShardState(stateDir(root), name);
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
