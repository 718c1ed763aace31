/**
 * `remaster run --shard i/n`: every asset in exactly one shard, assets sharing a file in the same one;
 * shards run on separate copies (CI machines) touch disjoint files, and their trees copied into one
 * project equal one unsharded run byte for byte, with a state the next run takes as up to date.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { remasterProject } from '../plugin/pipeline/project';
import type { PlannedAsset } from '../plugin/pipeline/plan';
import { assetGroups, assetsOfShard, parseShard } from '../plugin/pipeline/shard';
import { cli, gltfJSON, hashTree, noisePNG, write } from './reliability/helpers';

describe('partition', () => {
  const assets: PlannedAsset[] = [
    { key: 'a/m1.gltf', type: 'gltf', files: ['a/m1.gltf', 'a/shared.png', 'a/m1.bin'] },
    { key: 'a/m2.gltf', type: 'gltf', files: ['a/m2.gltf', 'a/shared.png'] },
    { key: 'b/m3.glb', type: 'glb', files: ['b/m3.glb'] },
    { key: 'c/wall.png', type: 'texture', files: ['c/wall.png', 'c/wall.webp'] },
    { key: 'c/WALL.jpg', type: 'texture', files: ['c/WALL.jpg'] }, // same stem, other case: one group
    ...Array.from({ length: 40 }, (_, i): PlannedAsset => ({ key: `t/${i}.png`, type: 'texture', files: [`t/${i}.png`] })),
  ];

  test.each([1, 2, 3, 4, 7])('n = %i: every asset in exactly one shard; sharers together', (n) => {
    const seen = new Map<string, number>();
    for (let i = 1; i <= n; i++) for (const a of assetsOfShard(assets, { index: i, count: n })) seen.set(a.key, (seen.get(a.key) ?? 0) + 1 + i * 1000);
    expect([...seen.keys()].sort()).toEqual(assets.map((a) => a.key).sort());
    for (const v of seen.values()) expect(v % 1000).toBe(1); // once each
    const shardOf = (key: string) => Math.floor(seen.get(key)! / 1000);
    expect(shardOf('a/m1.gltf')).toBe(shardOf('a/m2.gltf'));
    expect(shardOf('c/wall.png')).toBe(shardOf('c/WALL.jpg'));
  });

  test('groups join through any common file; the split does not depend on listing order', () => {
    expect(assetGroups(assets).find((g) => g.includes('a/m1.gltf'))!.sort()).toEqual(['a/m1.gltf', 'a/m2.gltf']);
    const reversed = [...assets].reverse();
    for (let i = 1; i <= 4; i++) {
      expect(assetsOfShard(reversed, { index: i, count: 4 }).map((a) => a.key).sort()).toEqual(assetsOfShard(assets, { index: i, count: 4 }).map((a) => a.key).sort());
    }
    // 40 independent textures spread over 4 shards (none empty).
    for (let i = 1; i <= 4; i++) expect(assetsOfShard(assets, { index: i, count: 4 }).length).toBeGreaterThan(3);
  });

  test('a bad --shard is a one-line usage error (exit 2, nothing written)', () => {
    for (const bad of ['0/4', '5/4', '1/0', 'x', '1/2/3']) expect(() => parseShard(bad)).toThrow(/--shard .*: expected i\/n/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remaster-shard-cli-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.png'), '');
      const r = cli(['run', dir, '--shard', '5/4']);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/--shard 5\/4: expected i\/n/);
      expect(fs.existsSync(path.join(dir, '.remaster'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('four shards on four machines = one run', () => {
  let base: string;
  beforeAll(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'remaster-shard-'));
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  async function buildProject(dir: string): Promise<void> {
    for (let i = 0; i < 10; i++) write(path.join(dir, `tex/t${i}.png`), await noisePNG(8, 8, i + 1));
    write(path.join(dir, 'tex/t0_norm.png'), await noisePNG(8, 8, 77));
    write(path.join(dir, 'models/shared.png'), await noisePNG(8, 8, 50));
    for (const m of ['a', 'b']) write(path.join(dir, `models/${m}.gltf`), JSON.stringify((await gltfJSON({ uri: 'shared.png' })).json));
    write(path.join(dir, 'models/own/own.png'), await noisePNG(8, 8, 51));
    write(path.join(dir, 'models/own/own.gltf'), JSON.stringify((await gltfJSON({ uri: 'own.png' })).json));
    write(path.join(dir, 'remaster.config.json'), JSON.stringify({ rules: [{ match: '**/*', upscale: { scale: 2, model: 'lanczos' } }, { match: 'tex/t1*', format: 'webp' }] }));
  }

  const projectOnly = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).filter(([rel]) => !rel.startsWith('.remaster/')));
  const originals = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).filter(([rel]) => rel.startsWith('.remaster/originals/')));

  test('outputs byte for byte, disjoint shards, merged state up to date', async () => {
    const template = path.join(base, 'template');
    await buildProject(template);
    const before = hashTree(template);

    const single = path.join(base, 'single');
    fs.cpSync(template, single, { recursive: true });
    const one = await remasterProject(single);
    expect(one.failed).toEqual([]);

    const changedBy: Set<string>[] = [];
    let processed = 0;
    for (let i = 1; i <= 4; i++) {
      const dir = path.join(base, `shard${i}`);
      fs.cpSync(template, dir, { recursive: true });
      const r = await remasterProject(dir, { shard: `${i}/4` });
      expect(r.failed).toEqual([]);
      processed += r.processed.length;
      const tree = projectOnly(hashTree(dir));
      changedBy.push(new Set(Object.keys({ ...tree, ...projectOnly(before) }).filter((rel) => tree[rel] !== before[rel])));
      expect(fs.existsSync(path.join(dir, '.remaster', `state.shard-${i}-of-4.json`))).toBe(true);
    }
    expect(processed).toBe(one.processed.length);
    // Disjoint: no file changed by two shards.
    const all = changedBy.flatMap((s) => [...s]);
    expect(new Set(all).size).toBe(all.length);

    // Merge, as the README's CI recipe: copy the files each shard lists (tar -T), delete those it removed.
    const merged = path.join(base, 'merged');
    fs.cpSync(template, merged, { recursive: true });
    for (let i = 1; i <= 4; i++) {
      const dir = path.join(base, `shard${i}`);
      const list = (kind: string) => fs.readFileSync(path.join(dir, `.remaster/state.shard-${i}-of-4.${kind}`), 'utf8').split('\n').filter(Boolean);
      for (const rel of list('files')) fs.cpSync(path.join(dir, rel), path.join(merged, rel));
      for (const rel of list('removed')) fs.rmSync(path.join(merged, rel), { force: true });
      // What a shard lists is what it changed (and nothing another shard changed).
      for (const rel of changedBy[i - 1]) expect([...list('files'), ...list('removed')]).toContain(rel);
    }
    const singleTree = hashTree(single);
    const mergedTree = hashTree(merged);
    expect(projectOnly(mergedTree)).toEqual(projectOnly(singleTree));
    expect(originals(mergedTree)).toEqual(originals(singleTree));

    // The merged state: everything up to date (nothing re-done), shard files folded into state.json.
    const again = await remasterProject(merged);
    expect(again.processed).toEqual([]);
    expect(again.failed).toEqual([]);
    expect(again.skipped.every((s) => s.reason === 'unchanged')).toBe(true);
    expect(fs.readdirSync(path.join(merged, '.remaster')).filter((n) => n.startsWith('state.shard-'))).toEqual([]);
    const state = (dir: string) => {
      const s = JSON.parse(fs.readFileSync(path.join(dir, '.remaster/state.json'), 'utf8'));
      return { assets: s.assets, files: Object.fromEntries(Object.entries(s.files as Record<string, { original: string; output: string }>).map(([k, v]) => [k, [v.original, v.output]])) };
    };
    expect(state(merged)).toEqual(state(single));
  });
});
