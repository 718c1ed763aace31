/**
 * Puts an asset's new outputs in place: keeps originals first, then writes every file atomically
 * (resources before the model that references them), then records hashes in state.json. A failure
 * mid-way leaves each file either old or new, and the originals safe.
 *
 * Several assets can be committed as one group (`commitAssets`): each step is taken for every asset of
 * the group before the next step starts, so the group shares one intent record and one fsync per folder,
 * and the files' own fsyncs run side by side. Per asset the order, and so the crash guarantees, are the
 * same as one at a time: its originals are durable before its intent is, the intent before any of its
 * outputs replaces a file, its renames before its done record.
 *
 * Three fsync waits per group: (1) the originals' copies and the outputs' temp files, written and
 * fsync'd side by side (a temp file replaces nothing: it only waits for its rename); (2) the originals'
 * folders; (3) the intent record; then the renames. The folders the renames went into are fsync'd
 * without the group waiting: the done records are deferred, and the state's next write (the next
 * group's intent, the closing flush) waits for those fsyncs first (store.ts `after`).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { assertInsideRoot, toAbsolute } from '../safety/project-paths';
import type { AssetType } from '../discovery/walk';
import { StaleInputError } from '../errors';
import { stageFileAtomic, syncFolder, type StagedWrite } from '../state/atomic-write';
import { fileMode, stampFileSync } from '../state/file-stat';
import { hashBytes } from '../state/hash';
import { keepOriginal, originalPath } from '../state/originals';
import { isRemasterContent, saveState, type FileRecord, type StateChanges, type StateData } from '../state/store';
import { createIO, listExternalResources, parseContainer } from '../gltf/io';
import { readIfExists, type FileSource } from './file-source';

export interface AssetOutputs {
  key: string;
  type: AssetType;
  /** The asset's inputs as inspected before processing. */
  sources: FileSource[];
  /** New content per project-relative path, in write order; null = remove the file. */
  outputs: Map<string, Uint8Array | null>;
  fingerprint: string;
  rules: string[];
  engines: string[];
}

/** Files written in this run and their hash, to catch two assets wanting different content in one file. */
export type WrittenFiles = Map<string, { hash: string; by: string }>;

/** An asset's outputs with everything the steps share: the full write list and each output's hash. */
interface Commit {
  root: string;
  state: StateData;
  asset: AssetOutputs;
  /** New content per path, in write order, plus removals of files the asset made before and no longer makes. */
  outputs: Map<string, Uint8Array | null>;
  /** Each output hashed once: the conflict check, the pending intent and the final record all use it. */
  hashes: Map<string, string | null>;
  /** Every file of the asset: its sources and its outputs. */
  files: Set<string>;
  /** The outputs' temp files, written before the intent (step 1), renamed after it (step 3). */
  staged: Map<string, StagedWrite>;
  /** Outputs to remove that exist now (a format change's old file). */
  removals: Set<string>;
  /** Hash of the content at a path as the checks (step 0) just read it (null: absent), so step 1 need not read it again. */
  readNow: Map<string, string | null>;
}

/** What committing one asset of a group came to: the files it changed, or why it stopped (see commitAsset). */
export type CommitResult = { files: string[] } | { error: unknown };

/**
 * Puts the asset's outputs in place, in named steps. Returns the files it changed.
 *
 * 0. checks: no clash with another asset's output this run, inputs unchanged since read, outputs
 *    writable, no one's work overwritten; 1. keep originals; 2. record intent; 3. write outputs; 4. record done.
 */
export async function commitAsset(root: string, state: StateData, written: WrittenFiles, asset: AssetOutputs): Promise<string[]> {
  const [result] = await commitAssets(root, state, written, [asset]);
  if ('error' in result) throw result.error;
  return result.files;
}

/**
 * commitAsset for several assets, in list order, as few groups as possible: an asset sharing a file
 * (path compared case-insensitively) with an earlier one of the group starts the next group, so it
 * sees what the earlier one left, as one at a time. An asset that fails leaves the others going on.
 *
 * @example
 * const results = await commitAssets(root, state, written, [a, b, c]);
 * for (const r of results) if ('error' in r) console.error(firstLine(r.error));
 */
export async function commitAssets(root: string, state: StateData, written: WrittenFiles, assets: AssetOutputs[]): Promise<CommitResult[]> {
  const results: CommitResult[] = [];
  for (let next = 0; next < assets.length;) {
    const group: Commit[] = [];
    const taken = new Set<string>();
    for (; next < assets.length; next++) {
      const commit = prepare(root, state, assets[next]);
      const names = [...commit.files, ...(state.assets[commit.asset.key]?.files ?? [])].map((rel) => rel.toLowerCase());
      if (group.length && names.some((name) => taken.has(name))) break;
      for (const name of names) taken.add(name);
      group.push(commit);
    }
    results.push(...(await commitGroup(group, written)));
  }
  return results;
}

/** Steps 0-4 for a group whose assets share no file: each step for all of them (side by side) before the next. */
async function commitGroup(group: Commit[], written: WrittenFiles): Promise<CommitResult[]> {
  const results = new Map<Commit, CommitResult>();
  let live = group;
  /** Runs `step` for every asset still going; an asset whose step throws stops there, failed. */
  const each = async (step: (commit: Commit) => Promise<void> | void): Promise<void> => {
    const outcomes = await Promise.allSettled(live.map(async (commit) => step(commit)));
    live = live.filter((commit, k) => {
      const outcome = outcomes[k];
      if (outcome.status === 'fulfilled') return true;
      results.set(commit, { error: outcome.reason });
      return false;
    });
  };
  try {
    await each(async (commit) => {
      assertNoClash(commit, written);
      await assertInputsUnchanged(commit);
      await assertWritable(commit);
      await assertNothingClobbered(commit);
    });
    const originalFolders = new Set<string>();
    // 1. Originals kept and outputs staged in one round of fsyncs (a staged file changes nothing yet).
    // Both settle before the step ends, so a temp file staged beside a failed original is still discarded below.
    await each(async (commit) => {
      for (const outcome of await Promise.allSettled([keepOriginals(commit, originalFolders), stageOutputs(commit)])) {
        if (outcome.status === 'rejected') throw outcome.reason;
      }
    });
    await syncFolders(originalFolders); // durable before any intent that counts on them
    const changes = { files: new Set<string>(), assets: new Set<string>() };
    await each((commit) => markIntent(commit, changes));
    if (live.length) {
      try {
        await recordIntent(live[0].root, live[0].state, changes); // 2. one journal record for the group
      } catch (error) {
        for (const commit of live) results.set(commit, { error });
        live = [];
      }
    }
    const changed = new Map<Commit, string[]>();
    const outputFolders = new Set<string>();
    await each(async (commit) => void changed.set(commit, await writeOutputs(commit, written, outputFolders)));
    // The renames' folders fsync'd while the run goes on; every done record waits for them (saveState's `after`).
    const renamesDurable = syncFolders(outputFolders);
    await each((commit) => recordDone(commit, renamesDurable));
    for (const commit of live) results.set(commit, { files: changed.get(commit)! });
  } finally {
    // Temp files of assets that stopped before their renames (a failed step, a failed intent record).
    await Promise.all(group.flatMap((commit) => [...commit.staged.values()].map((staged) => staged.discard())));
  }
  return group.map((commit) => results.get(commit)!);
}

/** fsync each folder once (renames into it durable), side by side. */
async function syncFolders(folders: Set<string>): Promise<void> {
  await Promise.all([...folders].map(syncFolder));
}

function prepare(root: string, state: StateData, asset: AssetOutputs): Commit {
  const previous = state.assets[asset.key];
  const outputs = new Map(asset.outputs);
  // Files this asset created last time (e.g. a .webp from an earlier `format`) that it no longer makes.
  for (const rel of previous?.files ?? []) {
    if (!outputs.has(rel) && state.files[rel]?.original === null && !asset.sources.some((s) => s.rel === rel)) outputs.set(rel, null);
  }
  const hashes = new Map([...outputs].map(([rel, bytes]) => [rel, bytes ? hashBytes(bytes) : null]));
  const files = new Set([...asset.sources.map((s) => s.rel), ...outputs.keys()]);
  return { root, state, asset, outputs, hashes, files, staged: new Map(), removals: new Set(), readNow: new Map() };
}

/** Two assets wanting different content in one file in the same run: the later fails. */
function assertNoClash({ asset, hashes }: Commit, written: WrittenFiles): void {
  for (const [rel, hash] of hashes) {
    const other = written.get(rel);
    if (hash !== null && other && other.by !== asset.key && other.hash !== hash) {
      throw new Error(`${rel} is shared with ${other.by}, whose rules remastered it differently in this run (give both the same rules)`);
    }
  }
}

/**
 * The inputs must still be what was read: a result made from old input never overwrites a newer
 * save (an editor saving during a run, watch mode). The file is left for the next pass.
 */
async function assertInputsUnchanged({ root, asset, readNow }: Commit): Promise<void> {
  for (const source of asset.sources) {
    const now = await readIfExists(toAbsolute(root, source.rel));
    const hash = now ? hashBytes(now) : null;
    readNow.set(source.rel, hash);
    if (hash !== source.currentHash) throw new StaleInputError(`${source.rel} changed while it was being processed; not written`);
  }
}

/**
 * A read-only file (chmod a-w, a Perforce file not opened for edit) is not replaced behind the
 * user's back, although a rename could.
 */
async function assertWritable({ root, outputs }: Commit): Promise<void> {
  for (const rel of outputs.keys()) {
    const mode = fileMode(toAbsolute(root, rel));
    if (mode !== undefined && (mode & 0o222) === 0) throw new Error(`${rel} is read-only; left unchanged (make it writable, e.g. chmod u+w, to let Remaster rewrite it)`);
  }
}

/**
 * Outputs that are not this asset's inputs must not clobber anyone's work: an unrelated file already
 * at that path (a format change to wall.webp next to an existing wall.webp), or a file Remaster
 * created that the user has edited since (it has no original to re-derive from).
 */
async function assertNothingClobbered({ root, state, asset, outputs, readNow }: Commit): Promise<void> {
  for (const rel of outputs.keys()) {
    const record = state.files[rel];
    if (asset.sources.some((s) => s.rel === rel) || (record && record.original !== null)) continue;
    const now = await readIfExists(toAbsolute(root, rel));
    const hash = now ? hashBytes(now) : null;
    readNow.set(rel, hash);
    if (!now || isRemasterContent(record, hash)) continue;
    throw new Error(record
      ? `${rel} was edited since Remaster created it; move your version aside (or run remaster restore) to re-derive it`
      : `would overwrite ${rel}, which is not part of this asset`);
  }
}

/**
 * 1. Originals, before anything is overwritten. One the state does not account for (state.json lost)
 * is never replaced: keepOriginal refuses, and this asset fails untouched.
 */
async function keepOriginals({ root, state, asset }: Commit, folders: Set<string>): Promise<void> {
  for (const source of asset.sources) {
    if (source.derived || !source.current) continue;
    // The copy's folder is synced by the group before the intent is saved.
    await keepOriginal(root, source.rel, source.current, Boolean(state.files[source.rel]?.original), { syncFolder: false });
    folders.add(path.dirname(originalPath(root, source.rel)));
    state.files[source.rel] = { original: source.currentHash, output: source.currentHash };
  }
}

/**
 * 2. Intent, saved before any output is replaced: if the process dies between the writes and step 4,
 * the next run still recognises each new content (`pending`) as Remaster's work whose original is
 * kept, instead of taking it for a user's new original (and upscaling an upscale). The asset's
 * fingerprint is blank until step 4, so a half-written asset is never taken as up to date.
 * `markIntent` makes the asset's entries in memory and adds them to `changes`; `recordIntent` saves a
 * group's changes as one journal record (store.ts: a save costs the same in any project size).
 */
function markIntent({ root, state, asset, hashes, files }: Commit, changes: { files: Set<string>; assets: Set<string> }): void {
  const previous = state.assets[asset.key];
  for (const [rel, hash] of hashes) {
    assertInsideRoot(root, rel);
    state.files[rel] ??= { original: null, output: null }; // a new file (checked above)
    state.files[rel].pending = hash;
  }
  state.assets[asset.key] = {
    type: asset.type, files: [...new Set([...files, ...(previous?.files ?? [])])].sort(), fingerprint: '', rules: asset.rules, engines: asset.engines,
  };
  for (const rel of files) changes.files.add(rel);
  changes.assets.add(asset.key);
}

async function recordIntent(root: string, state: StateData, changes: StateChanges): Promise<void> {
  await saveState(root, state, changes);
}

/**
 * 1. Outputs staged: each one whose content differs from the file now there written to a temp file
 * beside it and fsync'd; nothing is replaced yet. A file replaced keeps its own mode; a new one (wall.webp
 * from wall.png, a renamed .bin) gets the mode of the asset's own file, so a private texture stays private.
 */
async function stageOutputs({ root, asset, outputs, hashes, staged, removals, readNow }: Commit): Promise<void> {
  const assetMode = fileMode(toAbsolute(root, asset.key));
  const outcomes = await Promise.allSettled([...outputs].map(async ([rel, bytes]) => {
    const file = toAbsolute(root, rel);
    let currentHash = readNow.get(rel);
    if (currentHash === undefined) {
      const current = await readIfExists(file);
      currentHash = current ? hashBytes(current) : null;
    }
    if (bytes === null) {
      if (currentHash !== null) removals.add(rel);
    } else if (currentHash !== hashes.get(rel)) {
      staged.set(rel, await stageFileAtomic(file, bytes, { mode: currentHash !== null ? undefined : assetMode, syncFolder: false }));
    }
  }));
  // Every one settled (none still staging after the group discards), then the first failure.
  for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
}

/**
 * 3. Outputs put in place, in order (resources before the model). Returns the files changed. The
 * folder of the last file renamed is left in `folders` for the group to sync; an earlier one's is
 * synced before the next rename, so a model's rename is never durable before its resources' are.
 */
async function writeOutputs({ root, state, asset, outputs, hashes, staged, removals }: Commit, written: WrittenFiles, folders: Set<string>): Promise<string[]> {
  const changed: string[] = [];
  let unsynced: string | null = null;
  for (const [rel, bytes] of outputs) {
    const file = toAbsolute(root, rel);
    const record = state.files[rel];
    delete record.pending;
    if (bytes === null) {
      if (removals.has(rel)) {
        if (unsynced) await syncFolder(unsynced); // the new file durable before the old one goes (a format change)
        unsynced = null;
        await fs.rm(file, { force: true });
        changed.push(rel);
      }
      record.output = null;
      delete record.seen;
    } else {
      const hash = hashes.get(rel)!;
      const write = staged.get(rel);
      if (write) {
        if (unsynced) await syncFolder(unsynced);
        staged.delete(rel);
        await write.commit();
        unsynced = path.dirname(file);
        changed.push(rel);
      }
      record.output = hash;
      // The change gate's stamp, taken after the rename (which moves ctime), then the content checked: an
      // edit landing before the stamp is caught by the check, one after it moves ctime past the stamp.
      const seen = stampFileSync(file);
      const now = seen ? await readIfExists(file) : null;
      // Compared with the bytes written, not hashed again (the same answer for ~10x less CPU).
      if (seen && now && sameBytes(now, bytes)) record.seen = seen;
      else delete record.seen;
      if (rel === asset.key && asset.type !== 'texture') await recordBuffers(root, record, rel, asset.type, bytes, hash);
      written.set(rel, { hash, by: asset.key });
    }
    if (record.original === null && record.output === null) delete state.files[rel];
  }
  if (unsynced) folders.add(unsynced);
  return changed;
}

/** A model's buffer files as its new content names them (plan.ts reads them instead of the model). */
async function recordBuffers(root: string, record: FileRecord, rel: string, type: 'gltf' | 'glb', bytes: Uint8Array, hash: string): Promise<void> {
  try {
    const { json } = await parseContainer(createIO(), bytes, type);
    record.buffers = { of: hash, files: listExternalResources(root, rel, json).filter((r) => r.role === 'buffer').map((r) => r.rel) };
  } catch {
    delete record.buffers; // the plan parses the model itself
  }
}

/**
 * 4. State: the asset's files as they now are, and its fingerprint (up to date from here on). Written
 * only once `renamesDurable` has settled: a done record on disk ahead of its renames would, after a
 * power loss, vouch (fingerprint, change-gate stamp) for files that went back to their old content.
 */
async function recordDone({ root, state, asset, files }: Commit, renamesDurable: Promise<void>): Promise<void> {
  state.assets[asset.key] = {
    type: asset.type,
    files: [...files].filter((rel) => state.files[rel] !== undefined).sort(),
    fingerprint: asset.fingerprint,
    rules: asset.rules,
    engines: asset.engines,
  };
  // Deferred: it rides with the next asset's intent record or the run's closing flush. Lost in a crash,
  // the intent saved in step 2 still marks the new files as Remaster's, and the next run redoes the asset.
  await saveState(root, state, touchedBy(asset, files), { defer: true, after: renamesDurable });
}

/** The state entries a commit step changes: the asset's record and every file of it (one journal record). */
function touchedBy(asset: AssetOutputs, files: Set<string>): StateChanges {
  return { files, assets: [asset.key] };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}
