/**
 * Turns a batch of settled file events into work. Content hashes decide, never timing: a file whose
 * bytes are exactly what the state records as Remaster's output is Remaster's own write (or an event
 * for content already handled) and is ignored, so writing outputs never triggers another pass. Any other
 * content — a new file, or an output the user edited by hand — is new input.
 */
import { SIDECAR_SUFFIX } from '../config/defaults';
import { firstLine } from '../config/errors';
import { isSidecar } from '../config/load';
import { toAbsolute } from '../discovery/safe-path';
import { readIfExists } from '../pipeline/file-source';
import { hashBytes } from '../state/hash';
import type { StateData } from '../state/store';
import { toRel } from './ignore';

export interface BatchChanges {
  /** The project config file changed: every asset is re-planned. */
  configChanged: boolean;
  /** Project-relative files with new content (or removed), and assets whose sidecar changed. */
  wanted: Set<string>;
  /** Files that need no work, and why. */
  ignored: { path: string; reason: string }[];
}

export async function classifyChanges(root: string, state: StateData, configFile: string | null, files: string[]): Promise<BatchChanges> {
  const out: BatchChanges = { configChanged: false, wanted: new Set(), ignored: [] };
  for (const file of files) {
    if (file === configFile) {
      out.configChanged = true;
      continue;
    }
    const rel = toRel(root, file);
    if (rel === null) continue;
    if (isSidecar(rel)) {
      out.wanted.add(rel.slice(0, -SIDECAR_SUFFIX.length)); // its asset: only that one is re-planned
      continue;
    }
    let bytes: Uint8Array | null;
    try {
      bytes = await readIfExists(toAbsolute(root, rel));
    } catch (err) {
      out.ignored.push({ path: rel, reason: firstLine(err) }); // a FIFO or device: never read, never waited on
      continue;
    }
    const record = state.files[rel];
    if (record && record.output === (bytes ? hashBytes(bytes) : null)) {
      out.ignored.push({ path: rel, reason: bytes ? 'Remaster output' : 'removed by Remaster' });
      continue;
    }
    out.wanted.add(rel);
  }
  return out;
}
