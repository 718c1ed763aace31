/**
 * The result cache (`--cache DIR`): hits and misses, a damaged entry detected and ignored, LRU eviction
 * under the size cap, no write through a symlink inside the folder, two processes writing at once, and
 * a second copy of a project remastered from a warm cache with zero engine calls, byte for byte.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openResultCache } from '../plugin/cache/result-cache';
import { remasterProject } from '../plugin/pipeline/project';
import { isAtomicTempName } from '../plugin/state/atomic-write';
import { countingEngine } from './helpers/counting-engine';
import { hashTree, noisePNG, REPO, gltfJSON, write } from './reliability/helpers';

let base: string;
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'remaster-cache-'));
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

const key = (n: number) => n.toString(16).padStart(64, 'a');
const entries = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).filter((n) => n.endsWith('.entry'));

test('a put is a hit with the same bytes; an unknown key is a miss', async () => {
  const cache = await openResultCache(path.join(base, 'c'));
  const outputs = new Map<string, Uint8Array | null>([['a.png', new Uint8Array([1, 2, 3])], ['b.png', null]]);
  expect(await cache.get(key(1))).toBeNull();
  await cache.put(key(1), { outputs, meta: { textures: [{ name: 'a.png' }] } });
  const hit = await cache.get(key(1));
  expect(hit!.outputs).toEqual(outputs);
  expect(hit!.meta).toEqual({ textures: [{ name: 'a.png' }] });
  expect(cache.stats).toMatchObject({ hits: 1, misses: 1, writes: 1 });
});

test('a damaged entry (one byte flipped, or cut short) is a miss and is removed', async () => {
  const cache = await openResultCache(path.join(base, 'c'));
  for (const n of [1, 2]) await cache.put(key(n), { outputs: new Map([['a.png', new Uint8Array(100).fill(n)]]), meta: null });
  const [one, two] = [1, 2].map((n) => path.join(base, 'c', key(n).slice(0, 2), `${key(n)}.entry`));
  const bytes = fs.readFileSync(one);
  bytes[bytes.length - 10] ^= 1;
  fs.writeFileSync(one, bytes);
  fs.truncateSync(two, fs.statSync(two).size - 1);
  expect(await cache.get(key(1))).toBeNull();
  expect(await cache.get(key(2))).toBeNull();
  expect(cache.stats.corrupt).toBe(2);
  expect(fs.existsSync(one) || fs.existsSync(two)).toBe(false);
});

test('over the size cap, the least recently used entries go first', async () => {
  const cache = await openResultCache(path.join(base, 'c'), { maxBytes: 2500 });
  const t = Date.now() / 1000;
  for (const n of [1, 2, 3]) {
    await cache.put(key(n), { outputs: new Map([['a.png', new Uint8Array(1000).fill(n)]]), meta: null });
    const file = path.join(base, 'c', key(n).slice(0, 2), `${key(n)}.entry`);
    fs.utimesSync(file, t - 100 + n, t - 100 + n); // written in order 1, 2, 3
  }
  await cache.get(key(1)); // used now: the most recent
  expect(await cache.trim()).toBe(1); // 3 × ~1.1 KB > 2.5 KB: one goes
  expect(await cache.get(key(2))).toBeNull(); // the least recently used
  expect(await cache.get(key(1))).not.toBeNull();
  expect(await cache.get(key(3))).not.toBeNull();
});

test('a symlink inside the cache folder is never written through', async () => {
  const dir = path.join(base, 'c');
  const elsewhere = path.join(base, 'elsewhere');
  fs.mkdirSync(dir);
  fs.mkdirSync(elsewhere);
  fs.symlinkSync(elsewhere, path.join(dir, key(1).slice(0, 2)));
  const cache = await openResultCache(dir);
  await cache.put(key(1), { outputs: new Map([['a.png', new Uint8Array(10)]]), meta: null });
  expect(fs.readdirSync(elsewhere)).toEqual([]);
  // An entry placed there by someone else is not read either.
  fs.writeFileSync(path.join(elsewhere, `${key(1)}.entry`), 'x');
  expect(await cache.get(key(1))).toBeNull();
  expect(fs.readdirSync(elsewhere)).toEqual([`${key(1)}.entry`]);
});

test('two processes writing the same and different keys at once leave only whole entries', async () => {
  const dir = path.join(base, 'c');
  const writer = (id: number) => `
    const { openResultCache } = require(${JSON.stringify(path.join(REPO, 'dist/plugin/cache/result-cache.js'))});
    (async () => {
      const cache = await openResultCache(${JSON.stringify(dir)});
      for (let i = 0; i < 30; i++) {
        const shared = (i % 20).toString(16).padStart(64, 'b'); // both processes write these keys
        const own = (${id} * 1000 + i).toString(16).padStart(64, 'c');
        const bytes = new Uint8Array(20000).fill(i % 20);
        await cache.put(shared, { outputs: new Map([['t.png', bytes]]), meta: { i: i % 20 } });
        await cache.put(own, { outputs: new Map([['t.png', bytes]]), meta: null });
      }
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const run = (id: number) => new Promise<number | null>((resolve) => spawn(process.execPath, ['-e', writer(id)], { stdio: 'inherit' }).on('exit', resolve));
  expect(await Promise.all([run(1), run(2)])).toEqual([0, 0]);
  const cache = await openResultCache(dir);
  for (let i = 0; i < 20; i++) {
    const hit = await cache.get(i.toString(16).padStart(64, 'b'));
    expect(hit!.outputs.get('t.png')).toEqual(new Uint8Array(20000).fill(i));
  }
  expect(cache.stats.corrupt).toBe(0);
  expect(entries(dir)).toHaveLength(20 + 60);
  expect(fs.readdirSync(dir, { recursive: true }).map(String).filter((n) => isAtomicTempName(path.basename(n)))).toEqual([]);
});

describe('projects sharing a cache', () => {
  async function buildProject(dir: string): Promise<void> {
    for (let i = 0; i < 4; i++) write(path.join(dir, `tex/t${i}.png`), await noisePNG(8, 8, i + 1));
    write(path.join(dir, 'models/own.png'), await noisePNG(8, 8, 51));
    write(path.join(dir, 'models/own.gltf'), JSON.stringify((await gltfJSON({ uri: 'own.png' })).json));
    write(path.join(dir, 'remaster.config.json'), JSON.stringify({ rules: [{ match: '**/*', upscale: { scale: 2, model: 'remaster-x2-fast' } }, { match: 'tex/t1*', format: 'webp' }] }));
  }

  test('a second copy with a warm cache: zero engine calls, the same bytes, state up to date', async () => {
    const cacheDir = path.join(base, 'shared-cache'); // outside both projects
    const template = path.join(base, 'template');
    await buildProject(template);
    const [a, b] = ['a', 'b'].map((n) => path.join(base, n));
    fs.cpSync(template, a, { recursive: true });
    fs.cpSync(template, b, { recursive: true });

    const cold = countingEngine();
    const ra = await remasterProject(a, { cache: cacheDir, engine: cold });
    await cold.close();
    expect(ra.failed).toEqual([]);
    expect(cold.calls).toBeGreaterThan(0);
    expect(entries(cacheDir)).toHaveLength(ra.processed.length);

    const warm = countingEngine();
    const rb = await remasterProject(b, { cache: cacheDir, engine: warm });
    await warm.close();
    expect(rb.failed).toEqual([]);
    expect(warm.calls).toBe(0);
    expect(rb.processed.map((p) => p.path)).toEqual(ra.processed.map((p) => p.path));
    for (const p of rb.processed) expect(p.warnings).toContain('from the result cache');
    const tree = (dir: string) => Object.fromEntries(Object.entries(hashTree(dir)).filter(([rel]) => !rel.startsWith('.remaster/state') && rel !== '.remaster/lock'));
    expect(tree(b)).toEqual(tree(a)); // outputs and kept originals
    // And B's state knows its outputs: the next run (no cache) re-does nothing.
    const again = countingEngine();
    const r2 = await remasterProject(b, { engine: again });
    await again.close();
    expect(again.calls).toBe(0);
    expect(r2.skipped.every((s) => s.reason === 'unchanged')).toBe(true);
  });

  test('other rules are another key: a miss, then the engine runs', async () => {
    const cacheDir = path.join(base, 'shared-cache');
    const a = path.join(base, 'a');
    await buildProject(a);
    const b = path.join(base, 'b');
    fs.cpSync(a, b, { recursive: true });
    await remasterProject(a, { cache: cacheDir, engine: countingEngine() });
    write(path.join(b, 'remaster.config.json'), JSON.stringify({ rules: [{ match: '**/*', upscale: { scale: 2, model: 'lanczos' } }] }));
    const engine = countingEngine();
    await remasterProject(b, { cache: cacheDir, engine });
    expect(engine.calls).toBeGreaterThan(0);
  });
});
