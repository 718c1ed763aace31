/**
 * Which assets may have a sidecar (`<asset>.remaster.json`), from one listing per folder: a project of
 * 100k assets and a handful of sidecars then opens a handful of files instead of trying 100k names.
 * Names are compared without case (a case-insensitive file system opens `A.png.remaster.json` for
 * `a.png`), and a folder that cannot be listed answers "maybe" for all its assets: the answer only
 * decides whether loadSidecarRules is asked, never what it finds.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { toAbsolute } from '../safety/project-paths';
import { SIDECAR_SUFFIX } from './defaults';

export async function sidecarCandidates(root: string, keys: Iterable<string>): Promise<(key: string) => boolean> {
  const suffix = SIDECAR_SUFFIX.toLowerCase();
  const names = new Set<string>();
  const unlisted = new Set<string>();
  const dirs = new Set<string>();
  for (const key of keys) dirs.add(path.posix.dirname(key));
  for (const dir of dirs) {
    try {
      for (const name of await fs.readdir(toAbsolute(root, dir === '.' ? '' : dir))) {
        const lower = name.toLowerCase();
        if (lower.endsWith(suffix)) names.add(dir === '.' ? lower : `${dir.toLowerCase()}/${lower}`);
      }
    } catch {
      unlisted.add(dir);
    }
  }
  return (key) => unlisted.has(path.posix.dirname(key)) || names.has((key + SIDECAR_SUFFIX).toLowerCase());
}
