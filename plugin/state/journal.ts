/**
 * `.remaster/state.journal`: the state's changes since the last snapshot (`state.json`), one fsync'd
 * line per save, so committing an asset costs the same in a project of ten assets or a hundred
 * thousand (rewriting the whole state.json per asset grew with the square of the asset count).
 *
 * Layout: a header line naming the snapshot it follows, then records:
 *
 *   {"journal":1,"snapshot":"<id>"}
 *   <16 hex: sha256 of the JSON> {"f":{"<path>":<FileRecord|null>},"a":{"<key>":<AssetRecord|null>}}
 *
 * A record holds whole entries (null = deleted), so replaying a record twice is harmless. Replay stops
 * at the first line that is incomplete or fails its checksum: a kill mid-append leaves a torn last
 * line, which is dropped (that save never returned, so nothing after it was written either) and cut
 * off before the next append. A journal whose header names another snapshot is ignored: compaction
 * writes the new snapshot (which contains every record) before it starts a new journal, so a kill in
 * between leaves a complete snapshot and a stale journal.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError, firstLine } from '../errors';
import { readRegularFile } from '../safety/regular-file';
import { writeFileAtomic } from './atomic-write';
import type { AssetRecord, FileRecord, StateData } from './types';

export const JOURNAL_FILE = 'state.journal';
const HEADER_VERSION = 1;

/** Entries changed by one save; a missing entry in the state is written as a deletion. */
export interface StateChanges {
  files?: Iterable<string>;
  assets?: Iterable<string>;
}

/** One journal record as stored: whole entries, null = deleted. */
interface JournalRecord {
  f?: Record<string, FileRecord | null>;
  a?: Record<string, AssetRecord | null>;
}

/** What a loaded journal left to know for the next append. */
export interface JournalHandle {
  /** Snapshot id the journal follows (state.json's `journal` field). */
  snapshot: string;
  /** Bytes of the journal that are good (header and complete records). */
  bytes: number;
  /** Bytes after them (a torn last record) to cut off before appending; 0 when clean. */
  tornBytes: number;
  /** Whether the file exists with its header (else the next append writes it). */
  exists: boolean;
}

export function journalPath(dir: string): string {
  return path.join(dir, JOURNAL_FILE);
}

function checksum(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

function headerLine(snapshot: string): string {
  return JSON.stringify({ journal: HEADER_VERSION, snapshot }) + '\n';
}

/**
 * Applies the journal that follows snapshot `snapshot` to `state` (in place). Returns the handle for
 * later appends and how many records were replayed; a torn tail is reported through `torn`.
 */
export async function replayJournal(dir: string, snapshot: string, state: StateData): Promise<{ handle: JournalHandle; records: number; torn: boolean }> {
  let bytes: Buffer | null;
  try {
    bytes = await readRegularFile(journalPath(dir)); // a FIFO planted there must not hang the run
  } catch (err) {
    throw new ConfigError(`.remaster/${JOURNAL_FILE}: ${firstLine(err)}; remove it (the records it held are lost; outputs it named are then taken as new originals)`, { cause: err });
  }
  if (!bytes) return { handle: { snapshot, bytes: 0, tornBytes: 0, exists: false }, records: 0, torn: false };
  const text = bytes.toString('utf8');
  const header = headerLine(snapshot);
  if (!text.startsWith(header)) {
    // Another snapshot's journal (a kill during compaction), or garbage: everything it held is in the snapshot.
    return { handle: { snapshot, bytes: 0, tornBytes: 0, exists: false }, records: 0, torn: false };
  }
  let offset = header.length;
  let records = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    if (end < 0) break;
    const line = text.slice(offset, end);
    const json = line.slice(17);
    if (line[16] !== ' ' || checksum(json) !== line.slice(0, 16)) break;
    let record: JournalRecord;
    try {
      record = JSON.parse(json) as JournalRecord;
    } catch {
      break;
    }
    applyRecord(state, record);
    records++;
    offset = end + 1;
  }
  const good = Buffer.byteLength(text.slice(0, offset));
  const total = Buffer.byteLength(text);
  return { handle: { snapshot, bytes: good, tornBytes: total - good, exists: true }, records, torn: total > good };
}

function applyRecord(state: StateData, record: JournalRecord): void {
  for (const [rel, value] of Object.entries(record.f ?? {})) {
    if (value === null) delete state.files[rel];
    else state.files[rel] = value;
  }
  for (const [key, value] of Object.entries(record.a ?? {})) {
    if (value === null) delete state.assets[key];
    else state.assets[key] = value;
  }
}

/** Appends the current value of the changed entries as one record, fsync'd before it returns. */
export async function appendJournal(dir: string, handle: JournalHandle, state: StateData, changes: StateChanges): Promise<void> {
  const record: JournalRecord = {};
  for (const rel of changes.files ?? []) (record.f ??= {})[rel] = state.files[rel] ?? null;
  for (const key of changes.assets ?? []) (record.a ??= {})[key] = state.assets[key] ?? null;
  if (!record.f && !record.a) return;
  const json = JSON.stringify(record);
  const line = `${checksum(json)} ${json}\n`;
  const file = journalPath(dir);
  if (!handle.exists) {
    // A fresh journal appears whole (header included) or not at all.
    await writeFileAtomic(file, headerLine(handle.snapshot) + line);
    handle.exists = true;
    handle.bytes = Buffer.byteLength(headerLine(handle.snapshot) + line);
    handle.tornBytes = 0;
    return;
  }
  const fh = await fs.open(file, 'r+');
  try {
    if (handle.tornBytes) {
      // Cut the torn record left by a kill, or every later record would sit behind it, unread.
      await fh.truncate(handle.bytes);
      handle.tornBytes = 0;
    }
    const bytes = Buffer.from(line);
    await fh.write(bytes, 0, bytes.length, handle.bytes);
    await fh.datasync();
    handle.bytes += bytes.length;
  } finally {
    await fh.close();
  }
}

/** Starts an empty journal for a new snapshot (the old one's records are all in it); removes the old file. */
export async function resetJournal(dir: string, snapshot: string): Promise<JournalHandle> {
  await fs.rm(journalPath(dir), { force: true });
  return { snapshot, bytes: 0, tornBytes: 0, exists: false };
}
