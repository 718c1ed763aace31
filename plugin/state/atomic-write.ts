/**
 * Crash-safe file replacement: write a temp file in the target's own folder (same filesystem), fsync
 * it, rename it over the target, fsync the folder. A reader sees either the old or the new file, never
 * a half-written one; a failure leaves the old file untouched and removes the temp file.
 */
import { randomBytes } from 'node:crypto';
import { fchmodSync, promises as fs, writeSync } from 'node:fs';
import path from 'node:path';
import { SMALL_FILE_BYTES } from '../safety/regular-file';
import { fileMode } from './file-stat';

/**
 * Name of the temp file beside `target`: a marker no user picks (`.remaster-<pid>-`), the writer's pid
 * and a random part so two writers never share one. The leftover sweep deletes only names of this form.
 */
function tempName(target: string): string {
  const suffix = `.remaster-${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  // A legal name near the 255-byte limit would not take the suffix (ENAMETOOLONG): shorten the copy of
  // the name in the temp file only; the marker, pid and random part stay, so the sweep still knows it.
  return `.${truncateUtf8(path.basename(target), NAME_MAX - 1 - Buffer.byteLength(suffix))}${suffix}`;
}

/** Longest file name (bytes) on the filesystems Remaster runs on (ext4, APFS, NTFS in UTF-8 terms). */
const NAME_MAX = 255;

/** The longest prefix of `name` that fits in `maxBytes` of UTF-8, never splitting a character. */
function truncateUtf8(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  let out = '';
  let used = 0;
  for (const ch of name) {
    const size = Buffer.byteLength(ch);
    if (used + size > maxBytes) break;
    out += ch;
    used += size;
  }
  return out;
}

/** Whether a file name is one of writeFileAtomic's temp files (left behind only by a killed process). */
export function isAtomicTempName(name: string): boolean {
  return /^\..+\.remaster-\d+-[0-9a-f]{12}\.tmp$/.test(name);
}

export interface WriteOptions {
  /**
   * Permission bits of the written file. Default: those of the file being replaced (a 0600 texture stays
   * 0600), or the process default (0666 less the umask) for a new file.
   */
  mode?: number;
  /**
   * Default true: fsync the file before the rename and the folder after, so the new content survives a
   * power loss. False only where losing or tearing the file is detected on read and costs nothing but a
   * redo (result cache entries carry a hash of every output): the rename still makes it all-or-nothing
   * for readers while the machine stays up.
   */
  durable?: boolean;
  /**
   * Default true: fsync the folder after the rename (with `durable`). False: the caller fsyncs it
   * itself with `syncFolder` before anything depends on the rename being durable; a group commit
   * writes many files into one folder and syncs it once.
   */
  syncFolder?: boolean;
}

export async function writeFileAtomic(file: string, data: Uint8Array | string, options: WriteOptions = {}): Promise<void> {
  const staged = await stageFileAtomic(file, data, options);
  await staged.commit();
}

/**
 * writeFileAtomic with the content written by `write` into the open temp file: an encoder can stream
 * into it, so the whole encoded file is never held in memory (a PNG of a 16384² output is hundreds of
 * MB). `write` must not close the handle.
 *
 * @example
 * await writeFileAtomicFrom('out.png', async (h) => { for await (const chunk of encoder) await h.write(chunk); });
 */
export async function writeFileAtomicFrom(file: string, write: (handle: fs.FileHandle) => Promise<void>, options: WriteOptions = {}): Promise<void> {
  const staged = await stageFileFrom(file, write, options);
  await staged.commit();
}

/**
 * A temp file written (and fsync'd, with `durable`) beside its target, not yet renamed over it. A group
 * commit stages its outputs while it keeps the originals, so their fsyncs share one round, and renames
 * them only once the intent is on disk. Exactly one of `commit` and `discard` is to be called.
 */
export interface StagedWrite {
  readonly file: string;
  /** Renames the temp file over the target (and syncs the folder unless `syncFolder` is false); on failure the temp file is removed. */
  commit(): Promise<void>;
  /** Removes the temp file, leaving the target as it was. */
  discard(): Promise<void>;
}

/** writeFileAtomic up to the rename: see {@link StagedWrite}. */
export async function stageFileAtomic(file: string, data: Uint8Array | string, options: WriteOptions = {}): Promise<StagedWrite> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return stageFileFrom(file, async (handle) => {
    if (bytes.byteLength > SMALL_FILE_BYTES) return handle.writeFile(bytes); // the threshold reads use too
    // A small file in one local write: no thread-pool round trip (the fsync after it is one still).
    for (let done = 0; done < bytes.byteLength;) done += writeSync(handle.fd, bytes, done, bytes.byteLength - done);
  }, options);
}

async function stageFileFrom(file: string, write: (handle: fs.FileHandle) => Promise<void>, options: WriteOptions): Promise<StagedWrite> {
  const dir = path.dirname(file);
  const mode = options.mode ?? fileMode(file); // one local stat: the mode of the file being replaced
  const tmp = path.join(dir, tempName(file));
  let handle: fs.FileHandle | undefined;
  try {
    // The folder is made only when missing (most writes replace a file in a folder that exists).
    handle = await fs.open(tmp, 'wx').catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      await fs.mkdir(dir, { recursive: true });
      return fs.open(tmp, 'wx');
    });
    if (mode !== undefined) fchmodSync(handle.fd, mode & 0o7777); // a local metadata call: no pool round trip
    await write(handle);
    if (options.durable !== false) await handle.sync();
    await handle.close();
    handle = undefined;
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await removeTemp(tmp);
    throw err;
  }
  let settled = false;
  return {
    file,
    async commit() {
      if (settled) throw new Error(`${file}: staged write already settled`);
      settled = true;
      try {
        await fs.rename(tmp, file);
      } catch (err) {
        await removeTemp(tmp);
        throw err;
      }
      if (options.durable !== false && options.syncFolder !== false) await syncFolder(dir);
    },
    async discard() {
      if (settled) return;
      settled = true;
      await removeTemp(tmp);
    },
  };
}

function removeTemp(tmp: string): Promise<void> {
  return fs.rm(tmp, { force: true }).catch(() => undefined);
}

/** Makes the renames into `dir` durable; not supported on every platform (Windows), where it is a no-op. */
export async function syncFolder(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Directory fsync is best effort.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
