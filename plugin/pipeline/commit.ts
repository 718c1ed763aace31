/**
 * Puts an asset's new outputs in place: keeps originals first, then writes every file atomically
 * (resources before the model that references them), then records hashes in state.json. A failure
 * mid-way leaves each file either old or new, and the originals safe.
 */
import { promises as fs } from 'node:fs';
import { assertInsideRoot, toAbsolute } from '../discovery/safe-path';
import type { AssetType } from '../discovery/walk';
import { writeFileAtomic } from '../state/atomic-write';
import { hashBytes } from '../state/hash';
import { keepOriginal } from '../state/originals';
import { isRemasterContent, saveState, type StateData } from '../state/store';
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

/** Returns the files it changed. */
export async function commitAsset(root: string, state: StateData, written: WrittenFiles, asset: AssetOutputs): Promise<string[]> {
  const previous = state.assets[asset.key];
  const outputs = new Map(asset.outputs);
  // Files this asset created last time (e.g. a .webp from an earlier `format`) that it no longer makes.
  for (const rel of previous?.files ?? []) {
    if (!outputs.has(rel) && state.files[rel]?.original === null && !asset.sources.some((s) => s.rel === rel)) outputs.set(rel, null);
  }
  // Each output hashed once: the conflict check, the pending intent and the final record all use it.
  const hashes = new Map([...outputs].map(([rel, bytes]) => [rel, bytes ? hashBytes(bytes) : null]));
  for (const [rel, hash] of hashes) {
    const other = written.get(rel);
    if (hash !== null && other && other.by !== asset.key && other.hash !== hash) {
      throw new Error(`${rel} is shared with ${other.by}, whose rules remastered it differently in this run (give both the same rules)`);
    }
  }

  // 0. The inputs must still be what was read: a result made from old input never overwrites a newer
  // save (an editor saving during a run, watch mode). The file is left for the next pass.
  for (const source of asset.sources) {
    const now = await readIfExists(toAbsolute(root, source.rel));
    if ((now ? hashBytes(now) : null) !== source.currentHash) throw new Error(`${source.rel} changed while it was being processed; not written`);
  }

  // A read-only file (chmod a-w, a Perforce file not opened for edit) is not replaced behind the
  // user's back, although a rename could.
  for (const rel of outputs.keys()) {
    const mode = (await fs.stat(toAbsolute(root, rel)).catch(() => null))?.mode;
    if (mode !== undefined && (mode & 0o222) === 0) throw new Error(`${rel} is read-only; left unchanged (make it writable, e.g. chmod u+w, to let Remaster rewrite it)`);
  }

  // Outputs that are not this asset's inputs must not clobber anyone's work: an unrelated file already
  // at that path (a format change to wall.webp next to an existing wall.webp), or a file Remaster
  // created that the user has edited since (it has no original to re-derive from).
  for (const rel of outputs.keys()) {
    const record = state.files[rel];
    if (asset.sources.some((s) => s.rel === rel) || (record && record.original !== null)) continue;
    const now = await readIfExists(toAbsolute(root, rel));
    if (!now || isRemasterContent(record, hashBytes(now))) continue;
    throw new Error(record
      ? `${rel} was edited since Remaster created it; move your version aside (or run remaster restore) to re-derive it`
      : `would overwrite ${rel}, which is not part of this asset`);
  }

  // 1. Originals, before anything is overwritten. One the state does not account for (state.json lost)
  // is never replaced: keepOriginal refuses, and this asset fails untouched.
  for (const source of asset.sources) {
    if (source.derived || !source.current) continue;
    await keepOriginal(root, source.rel, source.current, Boolean(state.files[source.rel]?.original));
    state.files[source.rel] = { original: source.currentHash, output: source.currentHash };
  }

  // 2. Intent, saved before any output is replaced: if the process dies between the writes and step 4,
  // the next run still recognises each new content (`pending`) as Remaster's work whose original is
  // kept, instead of taking it for a user's new original (and upscaling an upscale). The asset's
  // fingerprint is blank until step 4, so a half-written asset is never taken as up to date.
  const files = new Set([...asset.sources.map((s) => s.rel), ...outputs.keys()]);
  for (const [rel, hash] of hashes) {
    assertInsideRoot(root, rel);
    state.files[rel] ??= { original: null, output: null }; // a new file (checked above)
    state.files[rel].pending = hash;
  }
  state.assets[asset.key] = {
    type: asset.type, files: [...new Set([...files, ...(previous?.files ?? [])])].sort(), fingerprint: '', rules: asset.rules, engines: asset.engines,
  };
  await saveState(root, state);

  // 3. Outputs. A file replaced keeps its own mode (writeFileAtomic); a new one (wall.webp from
  // wall.png, a renamed .bin) gets the mode of the asset's own file, so a private texture stays private.
  const assetMode = (await fs.stat(toAbsolute(root, asset.key)).catch(() => null))?.mode;
  const changed: string[] = [];
  for (const [rel, bytes] of outputs) {
    const file = toAbsolute(root, rel);
    const current = await readIfExists(file);
    const currentHash = current ? hashBytes(current) : null;
    const record = state.files[rel];
    delete record.pending;
    if (bytes === null) {
      if (current) {
        await fs.rm(file, { force: true });
        changed.push(rel);
      }
      record.output = null;
    } else {
      const hash = hashes.get(rel)!;
      if (hash !== currentHash) {
        await writeFileAtomic(file, bytes, { mode: current ? undefined : assetMode });
        changed.push(rel);
      }
      record.output = hash;
      written.set(rel, { hash, by: asset.key });
    }
    if (record.original === null && record.output === null) delete state.files[rel];
  }

  // 4. State.
  state.assets[asset.key] = {
    type: asset.type,
    files: [...files].filter((rel) => state.files[rel] !== undefined).sort(),
    fingerprint: asset.fingerprint,
    rules: asset.rules,
    engines: asset.engines,
  };
  await saveState(root, state);
  return changed;
}
