/**
 * state.json names the files Remaster restores, deletes and re-derives. It is data from disk, so a
 * tampered or corrupt one must not be able to aim those operations outside the project (`../x`,
 * `/etc/x`, or into .remaster/ itself, where `originals/<path>` with `..` escapes too).
 */
import path from 'node:path';
import { ConfigError } from '../config/errors';
import { STATE_DIR } from '../discovery/walk';

/** The one safe step when the state cannot be used: the originals are untouched under .remaster/originals/. */
export const NO_STATE_ADVICE = `nothing was changed; the untouched originals are in ${STATE_DIR}/originals/<same path>: copy back those you want (cp -a ${STATE_DIR}/originals/. ./ puts back all of them), then move ${STATE_DIR}/ aside`;

/** A normalised, relative POSIX path inside the project and outside .remaster/. */
export function isProjectPath(rel: unknown): rel is string {
  if (typeof rel !== 'string' || rel === '' || rel.includes('\0')) return false;
  // A backslash is an ordinary file-name character on POSIX (`back\slash.png` is legal and Remaster
  // writes such names into state itself); only where it separates folders (Windows) is it a way out.
  if (path.sep === '\\' && rel.includes('\\')) return false;
  if (path.posix.isAbsolute(rel) || path.posix.normalize(rel) !== rel) return false;
  if (rel === '..' || rel.startsWith('../') || rel === '.') return false;
  return rel !== STATE_DIR && !rel.startsWith(`${STATE_DIR}/`);
}

interface StateShape {
  files: Record<string, unknown>;
  assets: Record<string, { files?: unknown }>;
}

/** Throws a one-line error naming the first path in the state that is not a project path. */
export function assertStatePaths(state: StateShape, label: string): void {
  const paths: unknown[] = [...Object.keys(state.files), ...Object.keys(state.assets)];
  for (const record of Object.values(state.assets)) {
    if (!Array.isArray(record?.files)) throw new ConfigError(`${label}: corrupt state (an asset has no file list); ${NO_STATE_ADVICE}`);
    paths.push(...record.files);
  }
  const bad = paths.find((rel) => !isProjectPath(rel));
  if (bad !== undefined) {
    throw new ConfigError(`${label}: ${JSON.stringify(bad)} is outside the project (tampered or corrupt state); ${NO_STATE_ADVICE}`);
  }
}
