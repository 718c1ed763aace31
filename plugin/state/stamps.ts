/**
 * `.remaster/state.stamps.json`: the change gate's stamps (file-stat.ts) kept beside the snapshot, not in
 * it — inodes and times differ between two copies of one project, and state.json is the same for the
 * same state. Each stamp names the output hash it vouches for and is used only while the record's output
 * is still that hash, so a stale or lost stamps file costs at most a re-hash, never a wrong answer.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readRegularFile } from '../safety/regular-file';
import { writeFileAtomic } from './atomic-write';
import type { FileRecord, FileStamp } from './types';

export const STAMPS_FILE = 'state.stamps.json';

/** Per file: [size, mtimeNs, ctimeNs, inode, output hash]. */
type StoredStamps = Record<string, [string, string, string, string, string]>;

/** Records without their stamps (sorted by path), and the stamps apart. */
export function splitStamps(records: Record<string, FileRecord>): { files: Record<string, FileRecord>; stamps: StoredStamps } {
  const files: Record<string, FileRecord> = {};
  const stamps: StoredStamps = {};
  for (const rel of Object.keys(records).sort()) {
    const { seen, ...record } = records[rel];
    files[rel] = record;
    if (seen && record.output !== null && record.pending === undefined) stamps[rel] = [seen.size, seen.mtimeNs, seen.ctimeNs, seen.ino, record.output];
  }
  return { files, stamps };
}

/** Best effort: without the file the next run hashes what it would have trusted. */
export async function writeStamps(dir: string, stamps: StoredStamps): Promise<void> {
  await writeFileAtomic(path.join(dir, STAMPS_FILE), JSON.stringify(stamps) + '\n').catch(() => undefined);
}

/** Puts each stamp back on its record while the record's output is the hash it vouches for. */
export async function attachStamps(dir: string, records: Record<string, FileRecord>): Promise<void> {
  const st = await fs.lstat(path.join(dir, STAMPS_FILE)).catch(() => null);
  if (!st?.isFile()) return; // none, or a symlink: not followed
  let stamps: StoredStamps;
  try {
    stamps = JSON.parse((await readRegularFile(path.join(dir, STAMPS_FILE)))?.toString('utf8') ?? 'null');
  } catch {
    return; // unreadable or not a regular file: every file is hashed instead
  }
  if (!stamps || typeof stamps !== 'object') return;
  for (const [rel, stamp] of Object.entries(stamps)) {
    const record = records[rel];
    if (!record || !Array.isArray(stamp) || stamp.length !== 5 || record.output !== stamp[4] || record.pending !== undefined) continue;
    record.seen = { size: String(stamp[0]), mtimeNs: String(stamp[1]), ctimeNs: String(stamp[2]), ino: String(stamp[3]) } satisfies FileStamp;
  }
}
