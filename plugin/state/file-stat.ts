/**
 * The change gate: a file whose size, mtime, ctime (all in ns) and inode are what they were right
 * after Remaster wrote it still holds what Remaster wrote, so a no-op run reads and hashes nothing.
 *
 * What it trusts: that content does not change while all four stay equal. Editors, `cp`, `git
 * checkout`, `rsync` and `touch -d` all move ctime (only the kernel sets it, to "now", on any write,
 * chmod or rename), and a copy to another disk or machine gets new inodes; so a stale gate needs a
 * clock set back or raw block writes. Any difference, or a stat that fails, falls back to hashing.
 */
import { lstatSync, promises as fs, statSync, type BigIntStats } from 'node:fs';
import type { FileRecord, FileStamp } from './types';

export function stampOf(st: BigIntStats): FileStamp {
  return { size: String(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs), ino: String(st.ino) };
}

/** The stamp of a file now; null when it cannot be stat'ed or is not a regular file (a symlink is not followed). */
export async function stampFile(file: string): Promise<FileStamp | null> {
  const st = await fs.lstat(file, { bigint: true }).catch(() => null);
  return st?.isFile() ? stampOf(st) : null;
}

/** stampFile with one synchronous lstat (a local stat takes microseconds; a thread-pool round trip, tens). */
export function stampFileSync(file: string): FileStamp | null {
  let st: BigIntStats | undefined;
  try {
    st = lstatSync(file, { bigint: true, throwIfNoEntry: false });
  } catch {
    return null;
  }
  return st?.isFile() ? stampOf(st) : null;
}

/**
 * A file's permission bits (stat, following links), undefined when it cannot be stat'ed. One synchronous
 * call: a local stat takes microseconds, a thread-pool round trip tens, and commits ask several per asset.
 */
export function fileMode(file: string): number | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false })?.mode;
  } catch {
    return undefined;
  }
}

/** The hash the gate vouches for: the record's output when the file's stamp is the one seen after writing it. */
export async function gatedHash(file: string, record: FileRecord | undefined): Promise<string | null> {
  if (!record?.seen || record.output === null || record.pending !== undefined) return null;
  return sameStamp(await stampFile(file), record.seen) ? record.output : null;
}

/**
 * `gatedHash` with one synchronous lstat: the no-op path asks it for every file of every asset, and a
 * local stat costs a few microseconds where a round trip through libuv's thread pool costs tens.
 */
export function gatedHashSync(file: string, record: FileRecord | undefined): string | null {
  if (!record?.seen || record.output === null || record.pending !== undefined) return null;
  let st: BigIntStats | undefined;
  try {
    st = lstatSync(file, { bigint: true, throwIfNoEntry: false });
  } catch {
    return null;
  }
  const seen = record.seen;
  // Compared field by field, cheapest first, without building a stamp object (100k calls in a no-op run).
  return st?.isFile() && String(st.ino) === seen.ino && String(st.size) === seen.size && String(st.ctimeNs) === seen.ctimeNs && String(st.mtimeNs) === seen.mtimeNs ? record.output : null;
}

function sameStamp(now: FileStamp | null, seen: FileStamp): boolean {
  return now !== null && now.size === seen.size && now.mtimeNs === seen.mtimeNs && now.ctimeNs === seen.ctimeNs && now.ino === seen.ino;
}
