/**
 * Where a file's original content lives. A file whose current hash equals the output Remaster recorded
 * is Remaster's own work: its original is under .remaster/originals. Any other content (new file, or
 * one the user replaced) is itself the original.
 */
import { firstLine, showName } from '../config/errors';
import { toAbsolute } from '../safety/project-paths';
import { gatedHash } from '../state/file-stat';
import { readRegularFile } from '../safety/regular-file';
import { hashBytes } from '../state/hash';
import { readOriginal } from '../state/originals';
import { isRemasterContent, type StateData } from '../state/store';

export interface FileSource {
  rel: string;
  /** Current bytes in the project tree; null when the file is absent, or derived and not read (the change gate vouched for it). */
  current: Uint8Array | null;
  currentHash: string | null;
  /** The current file (or its absence) is exactly what Remaster left: the original is kept aside. */
  derived: boolean;
  /** Hash of the original; null = no original (a file Remaster created). */
  originalHash: string | null;
}

export async function inspectFile(root: string, state: StateData, rel: string): Promise<FileSource> {
  const record = state.files[rel];
  // Unchanged since Remaster wrote it (size, times, inode): its own output, not read nor hashed.
  const gated = await gatedHash(toAbsolute(root, rel), record);
  if (gated !== null) return { rel, current: null, currentHash: gated, derived: true, originalHash: record!.original };
  let current: Uint8Array | null;
  try {
    current = await readIfExists(toAbsolute(root, rel));
  } catch (err) {
    throw new Error(`${showName(rel)}: ${firstLine(err)}`); // the model that refers to it fails, naming it
  }
  const currentHash = current ? hashBytes(current) : null;
  const derived = isRemasterContent(record, currentHash);
  return { rel, current, currentHash, derived, originalHash: derived ? record.original : currentHash };
}

/** The original bytes of a file, or null if it has none (created by Remaster / absent). */
export async function originalBytes(root: string, source: FileSource): Promise<Uint8Array | null> {
  if (!source.derived) return source.current;
  return source.originalHash === null ? null : readOriginal(root, source.rel);
}

/** A regular file's bytes, null when absent; a FIFO, device or socket is refused (see safety/regular-file.ts). */
export async function readIfExists(file: string): Promise<Uint8Array | null> {
  return readRegularFile(file);
}
