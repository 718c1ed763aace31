/**
 * The result cache as one run uses it (plugin/pipeline/asset.ts): look an asset up by its result key
 * before remastering it, and store what was made after. A cache problem (full disk, unreadable
 * folder) never fails an asset: the asset is remastered as without a cache, with a warning.
 */
import type { SourcedRule } from '../config/types';
import { firstLine } from '../errors';
import type { TextureReport } from '../pipeline/report';
import type { ResultCache } from './result-cache';
import { resultKey, type ModelHashes } from './result-key';

export interface RunCache {
  cache: ResultCache;
  models: ModelHashes;
}

/** What an entry keeps besides the files. */
interface EntryMeta {
  textures: TextureReport[];
  warnings: string[];
}

export interface CacheLookup {
  key: string;
  hit?: { outputs: Map<string, Uint8Array | null>; textures: TextureReport[]; warnings: string[] };
  /** A note for the asset's warnings (a cache that could not be read). */
  problem?: string;
}

export async function lookUp(run: RunCache, root: string, asset: { key: string; type: string; fingerprint: string }, rules: SourcedRule[]): Promise<CacheLookup | null> {
  let key: string;
  try {
    key = await resultKey(root, asset, rules, run.models);
  } catch (err) {
    return null; // a model file that cannot be read: no key, no caching (pre-flight tells why)
  }
  try {
    const found = await run.cache.get(key);
    if (!found) return { key };
    const meta = found.meta as EntryMeta;
    return { key, hit: { outputs: found.outputs, textures: Array.isArray(meta?.textures) ? meta.textures : [], warnings: Array.isArray(meta?.warnings) ? meta.warnings : [] } };
  } catch (err) {
    return { key, problem: `result cache not read (${firstLine(err)})` };
  }
}

/** Stores a fresh result; returns a warning when it could not. */
export async function store(run: RunCache, key: string, outputs: Map<string, Uint8Array | null>, meta: EntryMeta): Promise<string | null> {
  try {
    await run.cache.put(key, { outputs, meta });
    return null;
  } catch (err) {
    return `result cache not written (${firstLine(err)})`;
  }
}
