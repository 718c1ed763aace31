/**
 * A project can ship its own `.remaster/` (a git checkout, an unzipped mod): its state.json may name
 * `linked/x.png` where `linked` is a symlinked folder, and its originals/ may hold symlinked folders.
 * Restore and "nothing applies → put the original back" would then write, read and delete through
 * them, outside the project. Every path Remaster reaches through its state, in the project and under
 * .remaster/originals/, must therefore be made of real folders: no symlink anywhere on the way.
 */
import { lstatSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/errors';
import { STATE_DIR } from '../discovery/walk';

/**
 * The first existing symlink on the way from `base` down to `base/<rel>` (the file itself included),
 * as a path relative to `base`; null when every existing part is a real folder or file.
 */
export function symlinkOnTheWay(base: string, rel: string): string | null {
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const stat = lstatSync(path.join(base, ...parts.slice(0, i)), { throwIfNoEntry: false });
    if (!stat) return null; // nothing below a missing part exists yet
    if (stat.isSymbolicLink()) return parts.slice(0, i).join('/');
  }
  return null;
}

/**
 * Throws (exit 2) when a project path named by state, or its kept original, is reached through a
 * symlink. `label` is the file that named it (state.json).
 */
export function assertStateTargetSafe(root: string, rel: string, label = `${STATE_DIR}/state.json`): void {
  const inProject = symlinkOnTheWay(root, rel);
  const inOriginals = symlinkOnTheWay(path.join(root, STATE_DIR), `originals/${rel}`);
  const link = inProject ?? (inOriginals && `${STATE_DIR}/${inOriginals}`);
  if (link) {
    throw new ConfigError(`${label}: ${JSON.stringify(rel)} is reached through the symlink ${link}; Remaster follows no link from its state, nothing was changed (remove the link, or the .remaster/ that came with the project)`);
  }
}

/** Checks every path of the state before anything is touched, so a refusal leaves the project as it was. */
export function assertStateTargetsSafe(root: string, state: { files: Record<string, unknown>; assets: Record<string, { files: string[] }> }): void {
  const paths = new Set([...Object.keys(state.files), ...Object.keys(state.assets), ...Object.values(state.assets).flatMap((a) => a.files)]);
  for (const rel of paths) assertStateTargetSafe(root, rel);
}
