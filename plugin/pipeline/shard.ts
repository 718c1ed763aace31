/**
 * `remaster run --shard i/n`: the plan split across n CI jobs by asset. Assets that touch a common file
 * (a model and its resources, two models sharing a texture, a texture and the .webp it became, names
 * that differ only in case) form one group; a group goes to shard `1 + (first 8 hex digits of sha256 of
 * its smallest asset key) mod n`. The split depends only on the project's files and state, never on the
 * machine or the order files were listed, so `--shard 1/n` … `--shard n/n` together cover every asset
 * exactly once, and their outputs (project files, kept originals) never overlap.
 *
 * @example
 * const mine = assetsOfShard(planned, parseShard('2/4'));
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ConfigError } from '../errors';
import { formatOfExtension } from '../image-formats';
import type { PlannedAsset } from './plan';

export interface ShardSpec {
  /** 1-based. */
  index: number;
  count: number;
}

/** `"i/n"` with 1 ≤ i ≤ n; a one-line config error otherwise. */
export function parseShard(text: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count || count > 100_000) {
    throw new ConfigError(`--shard ${text}: expected i/n with 1 ≤ i ≤ n (e.g. 2/4)`);
  }
  return { index, count };
}

/** What two assets must share to be one group: a file, compared as the scheduler does (see project.ts). */
function fileKey(rel: string): string {
  const ext = path.posix.extname(rel);
  return (formatOfExtension(ext) ? rel.slice(0, -ext.length) : rel).toLowerCase();
}

/** Groups of assets joined by common files (union-find), each group as its asset keys. */
export function assetGroups(assets: PlannedAsset[]): string[][] {
  const parent = assets.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const owner = new Map<string, number>();
  assets.forEach((asset, i) => {
    for (const rel of asset.files) {
      const key = fileKey(rel);
      const other = owner.get(key);
      if (other === undefined) owner.set(key, i);
      else parent[find(i)] = find(other);
    }
  });
  const groups = new Map<number, string[]>();
  assets.forEach((asset, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), asset.key]);
  });
  return [...groups.values()];
}

/** 1-based shard of a group. */
export function shardOfGroup(keys: string[], count: number): number {
  const first = keys.reduce((a, b) => (b < a ? b : a));
  return 1 + (parseInt(createHash('sha256').update(first).digest('hex').slice(0, 8), 16) % count);
}

/** The assets of the plan that shard `spec` remasters, in plan order. */
export function assetsOfShard(assets: PlannedAsset[], spec: ShardSpec): PlannedAsset[] {
  const mine = new Set<string>();
  for (const group of assetGroups(assets)) {
    if (shardOfGroup(group, spec.count) === spec.index) for (const key of group) mine.add(key);
  }
  return assets.filter((a) => mine.has(a.key));
}
