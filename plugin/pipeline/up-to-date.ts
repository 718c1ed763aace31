import { lstatSync } from 'node:fs';
import path from 'node:path';
import { rulesForAsset } from '../config/resolve';
import type { SourcedRule } from '../config/types';
import { STATE_DIR, toAbsolute } from '../safety/project-paths';
import { gatedHashSync } from '../state/file-stat';
import { ORIGINALS_DIR, originalPath } from '../state/originals';
import { assetFingerprint, type RunContext } from './context';
import { inspectFile } from './file-source';
import { operationInputHashes } from './operation-inputs';

/** Every file the asset's record lists is still exactly what Remaster left there. */
export async function isUpToDate(ctx: RunContext, key: string): Promise<boolean> {
  for (const rel of ctx.state.assets[key]?.files ?? []) {
    if (!(await inspectFile(ctx.root, ctx.state, rel)).derived) return false;
  }
  return true;
}

/**
 * The no-op path: true when the change gate alone shows the asset up to date — every file its record
 * lists is, by one lstat each, what Remaster left there (the stamp it took after writing, or still
 * absent where it removed the file), and the fingerprint made from the recorded originals equals the
 * record's. Nothing is read, parsed or hashed. False means "look closer" (the full path reads the
 * originals), never "out of date".
 *
 * Why the recorded originals are the inputs: an asset's inputs (the texture, or the model and what its
 * original JSON references) are all among its record's files with an original kept; while the gate
 * vouches for each, the originals, and so the input list read from the model's original, are what
 * they were at the commit that wrote the fingerprint. Inputs outside the record (a texture's map
 * siblings, read by file operations) cannot be vouched for: callers take the full path for those.
 */
export function upToDateByStamps(ctx: RunContext, key: string, rules: SourcedRule[]): boolean {
  const record = ctx.state.assets[key];
  if (!record?.fingerprint) return false; // never committed, or a commit cut short (blank fingerprint)
  const originals: Record<string, string | null> = {};
  // State paths are checked project paths (normalised, no `..`): on POSIX joining them is concatenation.
  const prefix = path.sep === '/' ? (ctx.root.endsWith('/') ? ctx.root : ctx.root + '/') : null;
  const toFile = (rel: string) => (prefix === null ? toAbsolute(ctx.root, rel) : prefix + rel);
  const toKept = (rel: string) => (prefix === null ? originalPath(ctx.root, rel) : `${prefix}${STATE_DIR}/${ORIGINALS_DIR}/${rel}`);
  for (const rel of record.files) {
    const file = ctx.state.files[rel];
    if (!file || file.pending !== undefined) return false;
    if (file.output === null) {
      // Removed by Remaster (a format change): it must still be absent.
      if (lstatSync(toFile(rel), { throwIfNoEntry: false }) !== undefined) return false;
    } else if (gatedHashSync(toFile(rel), file) === null) {
      return false;
    }
    if (file.original !== null) {
      // The kept original must still be there (one more lstat, not a read): a missing one is reported
      // by the full path, as it was before this gate existed, instead of surfacing only at restore.
      if (!lstatSync(toKept(rel), { throwIfNoEntry: false })?.isFile()) return false;
      originals[rel] = file.original;
    }
  }
  const assetRules = rulesForAsset(rules, key);
  Object.assign(originals, operationInputHashes(ctx.root, assetRules)); // as processAsset keys the fingerprint
  return assetFingerprint(originals, assetRules) === record.fingerprint;
}
