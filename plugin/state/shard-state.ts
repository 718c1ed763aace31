/**
 * A shard's part of the state: `.remaster/state.shard-<i>-of-<n>.json`, written at the end of a
 * `remaster run --shard i/n`, holding the records of that shard's assets and the list of what it owns.
 * Shards own disjoint assets and files (plugin/pipeline/shard.ts), so merging CI shards is copying their
 * trees into one: whichever shard's state.json lands last, every load lays each shard file over it —
 * owned entries dropped, then the shard's records put in — and gets the union. The first save of the
 * next run folds them into state.json and deletes them (before any journal record, so a journal is
 * never overruled by a shard file laid over it after a kill).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors';
import { readRegularFile } from '../safety/regular-file';
import { writeFileAtomic } from './atomic-write';
import type { AssetRecord, FileRecord, StateData } from './types';

const SHARD_FILE = /^state\.shard-(\d+)-of-(\d+)\.json$/;

export function shardStateName(index: number, count: number): string {
  return `state.shard-${index}-of-${count}.json`;
}

interface ShardStateFile {
  shard: string;
  owns: { assets: string[]; files: string[] };
  assets: Record<string, AssetRecord>;
  files: Record<string, FileRecord>;
}

/** Shard state files in `.remaster/`, by name; regular files only (a symlink could point anywhere). */
export async function listShardStates(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && SHARD_FILE.test(e.name)).map((e) => e.name).sort();
}

/** Lays every shard file over `state` (in place); returns their names. A malformed one is a one-line error. */
export async function overlayShardStates(dir: string, state: StateData): Promise<string[]> {
  const names = await listShardStates(dir);
  for (const name of names) {
    let data: ShardStateFile;
    try {
      data = JSON.parse((await readRegularFile(path.join(dir, name)))?.toString('utf8') ?? 'null');
      if (!data?.owns || !Array.isArray(data.owns.assets) || !Array.isArray(data.owns.files) || typeof data.assets !== 'object' || typeof data.files !== 'object') throw new Error('not a shard state');
    } catch (err) {
      throw new ConfigError(`.remaster/${name}: unreadable (${(err as Error).message}); delete it and re-run that shard`, { cause: err });
    }
    for (const key of data.owns.assets) delete state.assets[key];
    for (const rel of data.owns.files) delete state.files[rel];
    Object.assign(state.assets, data.assets);
    Object.assign(state.files, data.files);
  }
  return names;
}

/**
 * Writes shard `index/count`'s records — the assets it owns (`keys`) and every file they span or may
 * write (`files`) — and, for copying the shard's work elsewhere, two lists of project-relative paths:
 * `state.shard-<i>-of-<n>.files` (its files that exist, their kept originals, the shard state and the
 * lists themselves: `tar -T` input) and `.removed` (its files that do not exist: delete them there).
 */
export async function writeShardState(root: string, dir: string, state: StateData, index: number, count: number, keys: string[], files: string[]): Promise<void> {
  const owned = new Set(files);
  for (const key of keys) for (const rel of state.assets[key]?.files ?? []) owned.add(rel);
  const data: ShardStateFile = { shard: `${index}/${count}`, owns: { assets: [...keys].sort(), files: [...owned].sort() }, assets: {}, files: {} };
  for (const key of data.owns.assets) if (state.assets[key]) data.assets[key] = state.assets[key];
  for (const rel of data.owns.files) {
    if (!state.files[rel]) continue;
    const { seen: _machineSpecific, ...record } = state.files[rel]; // change-gate stamps mean nothing on another machine
    data.files[rel] = record;
  }
  const name = shardStateName(index, count);
  const stateRel = path.relative(root, dir).split(path.sep).join('/');
  const present: string[] = [];
  const removed: string[] = [];
  for (const rel of data.owns.files) {
    const isFile = (await fs.lstat(path.join(root, ...rel.split('/'))).catch(() => null))?.isFile();
    (isFile ? present : removed).push(rel);
    if (await fs.lstat(path.join(dir, 'originals', ...rel.split('/'))).catch(() => null)) present.push(`${stateRel}/originals/${rel}`);
  }
  const lists = [name, listName(name, 'files'), listName(name, 'removed')].map((n) => `${stateRel}/${n}`);
  await writeFileAtomic(path.join(dir, name), JSON.stringify(data, null, 1) + '\n');
  await writeFileAtomic(path.join(dir, listName(name, 'files')), [...present, ...lists].map((l) => l + '\n').join(''));
  await writeFileAtomic(path.join(dir, listName(name, 'removed')), removed.map((l) => l + '\n').join(''));
}

/** `state.shard-1-of-4.json` → `state.shard-1-of-4.files` / `.removed`. */
export function listName(shardState: string, kind: 'files' | 'removed'): string {
  return shardState.replace(/\.json$/, `.${kind}`);
}

/** Deletes a shard state and its two lists. */
export async function removeShardState(dir: string, name: string): Promise<void> {
  for (const n of [name, listName(name, 'files'), listName(name, 'removed')]) await fs.rm(path.join(dir, n), { force: true });
}
