/**
 * A content-addressed result cache shared between projects and machines (`remaster run --cache DIR`):
 * key = the asset's fingerprint (its inputs' content hashes, the rules that apply, operation defaults,
 * pipeline version) + the content hash of every model file those rules name + the engine's versions;
 * value = the asset's output files. A hit skips the engine entirely.
 *
 * The directory is the one place Remaster writes outside the project, because the user named it. Inside
 * it nothing is followed: an entry or a fan-out folder that is a symlink is ignored (never read, never
 * written through). Entries are written to a temp file and renamed (atomic; concurrent writers of one
 * key write the same bytes and the last rename wins); each blob's sha256 is checked on read, so a
 * damaged entry is a miss (and removed), never a wrong output. A hit refreshes the entry's mtime; `trim`
 * deletes least recently used entries until the folder is under its size cap.
 *
 * Entry layout: `<dir>/<key[0..2]>/<key>.entry` = one JSON line (meta), then the blobs in meta order.
 *
 * @example
 * const cache = await openResultCache('/ci-cache/remaster', { maxBytes: 10 << 30 });
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic, isAtomicTempName } from '../state/atomic-write';
import { hashBytes } from '../state/hash';

/** Bumped when the entry layout changes: old entries are then misses. */
const ENTRY_VERSION = 1;

export interface CacheOptions {
  /** Size cap in bytes (default 10 GiB); least recently used entries go first. */
  maxBytes?: number;
}

/** What an entry keeps besides the files: what the run report needs to tell the hit like a fresh result. */
export interface CachedResult {
  outputs: Map<string, Uint8Array | null>;
  /** JSON-able details (texture reports, warnings) stored with the entry. */
  meta: unknown;
}

interface EntryHeader {
  v: number;
  key: string;
  files: { rel: string; size: number; sha256: string | null }[];
  meta: unknown;
}

export interface CacheStats {
  hits: number;
  misses: number;
  writes: number;
  /** Entries found damaged (checksum, truncation) and removed. */
  corrupt: number;
  evicted: number;
}

export interface ResultCache {
  readonly dir: string;
  readonly stats: CacheStats;
  get(key: string): Promise<CachedResult | null>;
  put(key: string, result: CachedResult): Promise<void>;
  /** Evicts least recently used entries past the size cap; returns how many. */
  trim(): Promise<number>;
}

export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 ** 3;

export async function openResultCache(dir: string, options: CacheOptions = {}): Promise<ResultCache> {
  dir = path.resolve(dir);
  await fs.mkdir(dir, { recursive: true });
  const maxBytes = options.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
  const stats: CacheStats = { hits: 0, misses: 0, writes: 0, corrupt: 0, evicted: 0 };

  const entryPath = (key: string) => path.join(dir, key.slice(0, 2), `${key}.entry`);
  /**
   * Fan-out folders found to be real folders: not checked again by this process (at most 256; a run
   * looks one up per asset, twice on a miss). What the check guards against is a cache that arrives
   * with a symlink in it (restored by a CI cache action), not one swapped in during the run.
   */
  const checked = new Set<string>();
  /** The fan-out folder, created if missing; null when it is anything but a real folder (a symlink). */
  async function realFolder(key: string, create: boolean): Promise<string | null> {
    const folder = path.join(dir, key.slice(0, 2));
    if (checked.has(folder)) return folder;
    let st = await fs.lstat(folder).catch(() => null);
    if (!st && create) {
      await fs.mkdir(folder).catch((err) => (err.code === 'EEXIST' ? undefined : Promise.reject(err)));
      st = await fs.lstat(folder).catch(() => null);
    }
    if (!st?.isDirectory() || st.isSymbolicLink()) return null;
    checked.add(folder);
    return folder;
  }

  async function get(key: string): Promise<CachedResult | null> {
    assertKey(key);
    const file = entryPath(key);
    const st = (await realFolder(key, false)) ? await fs.lstat(file).catch(() => null) : null;
    if (!st?.isFile()) {
      stats.misses++;
      return null;
    }
    const bytes = await fs.readFile(file).catch(() => null);
    const result = bytes ? parseEntry(bytes, key) : null;
    if (!result) {
      stats.corrupt++;
      stats.misses++;
      await fs.rm(file, { force: true }).catch(() => undefined);
      return null;
    }
    stats.hits++;
    const now = new Date();
    await fs.utimes(file, now, now).catch(() => undefined); // recently used
    return result;
  }

  async function put(key: string, result: CachedResult): Promise<void> {
    assertKey(key);
    if (!(await realFolder(key, true))) return; // a symlink where the folder should be: not written through
    const files: EntryHeader['files'] = [];
    const blobs: Uint8Array[] = [];
    for (const [rel, bytes] of result.outputs) {
      files.push({ rel, size: bytes?.length ?? 0, sha256: bytes ? hashBytes(bytes) : null });
      if (bytes) blobs.push(bytes);
    }
    const header: EntryHeader = { v: ENTRY_VERSION, key, files, meta: result.meta };
    // Not fsync'd: an entry torn by a power loss fails its hashes on read and is a miss (parseEntry).
    await writeFileAtomic(entryPath(key), Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), ...blobs]), { durable: false });
    stats.writes++;
  }

  async function trim(): Promise<number> {
    const entries: { file: string; size: number; used: number }[] = [];
    for (const sub of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (!sub.isDirectory()) continue; // symlinks included: not ours to walk
      for (const e of await fs.readdir(path.join(dir, sub.name), { withFileTypes: true }).catch(() => [])) {
        const file = path.join(dir, sub.name, e.name);
        if (!e.isFile()) continue;
        const st = await fs.lstat(file).catch(() => null);
        if (!st) continue;
        // A writer's temp file left by a killed process (an hour old): swept like an entry.
        if (isAtomicTempName(e.name) && Date.now() - st.mtimeMs < 3600_000) continue;
        if (!e.name.endsWith('.entry') && !isAtomicTempName(e.name)) continue;
        entries.push({ file, size: st.size, used: st.mtimeMs });
      }
    }
    let total = entries.reduce((n, e) => n + e.size, 0);
    let evicted = 0;
    for (const e of entries.sort((a, b) => a.used - b.used)) {
      if (total <= maxBytes) break;
      await fs.rm(e.file, { force: true }).catch(() => undefined);
      total -= e.size;
      evicted++;
    }
    stats.evicted += evicted;
    return evicted;
  }

  return { dir, stats, get, put, trim };
}

function assertKey(key: string): void {
  if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`bad cache key ${key.slice(0, 80)}`);
}

/** The entry's result, or null when anything about it is off (version, key, sizes, a blob's hash). */
function parseEntry(bytes: Buffer, key: string): CachedResult | null {
  const nl = bytes.indexOf(0x0a);
  if (nl < 0) return null;
  let header: EntryHeader;
  try {
    header = JSON.parse(bytes.subarray(0, nl).toString('utf8'));
  } catch {
    return null;
  }
  if (header?.v !== ENTRY_VERSION || header.key !== key || !Array.isArray(header.files)) return null;
  const outputs = new Map<string, Uint8Array | null>();
  let offset = nl + 1;
  for (const f of header.files) {
    if (typeof f?.rel !== 'string') return null;
    if (f.sha256 === null) {
      outputs.set(f.rel, null);
      continue;
    }
    const blob = bytes.subarray(offset, offset + f.size);
    if (blob.length !== f.size || createHash('sha256').update(blob).digest('hex') !== f.sha256) return null;
    outputs.set(f.rel, new Uint8Array(blob));
    offset += f.size;
  }
  if (offset !== bytes.length) return null;
  return { outputs, meta: header.meta };
}
