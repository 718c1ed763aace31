/**
 * Which result cache a run uses: `--cache DIR` / `remasterProject(dir, { cache })` if given, else the
 * project config's `cache` (relative paths from the project directory), with `--cache-max-mb` /
 * `cacheMaxBytes` over `cache.maxMB`.
 *
 * The cache is the one place Remaster writes outside the project, and a config can come with a cloned
 * project: so a configured folder must not be the project itself, a folder that contains it (Remaster
 * would write and trim beside the project's own files), or anything under its `.remaster/`. Inside the
 * cache only `<2 hex>/<64 hex>.entry` files (and their temp files) are ever written or removed, and no
 * symlink is followed (result-cache.ts).
 */
import path from 'node:path';
import { ConfigError } from '../errors';
import type { ProjectConfig } from '../config/types';
import { STATE_DIR } from '../safety/project-paths';

export interface CacheChoice {
  dir: string;
  maxBytes?: number;
}

export function chooseCache(root: string, config: ProjectConfig, given: { cache?: string; cacheMaxBytes?: number }): CacheChoice | undefined {
  const maxBytes = given.cacheMaxBytes ?? (config.cache?.maxMB === undefined ? undefined : config.cache.maxMB * 1024 * 1024);
  if (given.cache !== undefined) return { dir: path.resolve(given.cache), maxBytes };
  if (!config.cache) return undefined;
  const dir = path.resolve(root, config.cache.dir);
  const label = `${config.source}: cache.dir ${JSON.stringify(config.cache.dir)}`;
  const fromRoot = path.relative(root, dir);
  if (fromRoot === '' || !path.relative(dir, root).startsWith('..')) throw new ConfigError(`${label}: is the project directory or contains it; name a folder of its own (e.g. ../remaster-cache)`);
  if (fromRoot === STATE_DIR || fromRoot.startsWith(STATE_DIR + path.sep)) throw new ConfigError(`${label}: is inside ${STATE_DIR}/, which is Remaster's own state; name another folder`);
  return { dir, maxBytes };
}
