/**
 * Texture Multiplier (plugin/ops/vary): the properties a user relies on — variants tile, a seed gives
 * the same bytes, every map of the set gets the same layout, normal maps stay unit length, structured
 * textures keep their lattice, bad input is refused with one line and nothing written; and as a pipeline
 * operation: KHR_materials_variants in a model (validator-clean), -v<k> files beside a standalone set,
 * recorded (second run no-op, restore removes them).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { KHRMaterialsVariants } from '@gltf-transform/extensions';
import { normalLengthError } from '../plugin/engine/normal';
import { wrapEdgeRatio, maxCyclicNcc } from '../plugin/metrics/texture-stats';
import { detectLattice, varyMaterials, varyTexture, type VaryMap } from '../plugin/ops/vary';
import { snapToLattice } from '../plugin/ops/vary/period';
import { remasterProject, restoreProject } from '../plugin/pipeline';
import type { RawImage } from '../plugin/types';
import { readModel } from './helpers/model';
import { watchProject, type WatchEvent } from '../plugin/watch';
import { decode, FIXTURES, makeProject, removeProject, snapshot, writeJSON } from './helpers/project';
import { errorCounts, validate } from './helpers/validator';

const BIN = path.join(__dirname, '..', 'bin', 'remaster.js');
const STONES = path.join(FIXTURES, 'sample-project', 'textures');
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

let colour: RawImage;
let normal: RawImage;
let orm: RawImage;
beforeAll(async () => {
  colour = await decode(path.join(STONES, 'stones.png'));
  normal = await decode(path.join(STONES, 'stones_n.png'));
  orm = await decode(path.join(STONES, 'stones_orm.png'));
});

const set = (): VaryMap[] => [
  { slot: 'color', kind: 'color', image: colour },
  { slot: 'normal', kind: 'normal', image: normal },
  { slot: 'orm', kind: 'data', image: orm },
];

/** A data map whose texels are their own coordinates (R = x, G = y); 128² fits in bytes. */
function coordinateMap(w: number, h: number): RawImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([x, y, 0], (y * w + x) * 3);
  return { data, width: w, height: h, channels: 3 };
}

describe('varyTexture', () => {
  it('variants of a tiling set tile (wrap-edge energy ≤ 1.2x interior) and are not shifted copies', () => {
    const { variants, exemplarTiles, outputTiles } = varyTexture(set(), { count: 2, seed: 3 });
    expect([exemplarTiles, outputTiles]).toEqual([true, true]);
    for (const v of variants) {
      expect(wrapEdgeRatio(v.maps[0].image)).toBeLessThanOrEqual(1.2);
      expect(maxCyclicNcc(v.maps[0].image, colour).max).toBeLessThan(0.9);
    }
    expect(maxCyclicNcc(variants[0].maps[0].image, variants[1].maps[0].image).max).toBeLessThan(0.9);
  });

  it('is byte-identical for a seed and differs for another seed', () => {
    const a = varyTexture(set(), { count: 2, seed: 11, width: 256, height: 128 });
    const b = varyTexture(set(), { count: 2, seed: 11, width: 256, height: 128 });
    const c = varyTexture(set(), { count: 2, seed: 12, width: 256, height: 128 });
    for (let k = 0; k < 2; k++) {
      for (let m = 0; m < 3; m++) expect(Buffer.from(a.variants[k].maps[m].image.data).equals(Buffer.from(b.variants[k].maps[m].image.data))).toBe(true);
      expect(a.variants[k].maps[0].image).toMatchObject({ width: 256, height: 128 });
    }
    expect(Buffer.from(a.variants[0].maps[0].image.data).equals(Buffer.from(c.variants[0].maps[0].image.data))).toBe(false);
    expect(Buffer.from(a.variants[0].maps[0].image.data).equals(Buffer.from(a.variants[1].maps[0].image.data))).toBe(false);
  });

  it('applies one layout to every map: a map of the texture\'s own coordinates comes out as the remapping', () => {
    const coords = coordinateMap(colour.width, colour.height);
    const maps = [...set(), { slot: 'coords', kind: 'data' as const, image: coords }];
    // colourMatch and spectrumMatch false — every colour texel a verbatim copy too; the grading alone — the
    // colour map is a colour grading of that copy (one new colour per source colour), the layout the same.
    // (The default adds the spectrum filter, which changes colour texels by their neighbourhood:
    // vary-spectrum-match.test.ts checks that it leaves the data maps verbatim.)
    const [verbatim] = varyTexture(maps, { count: 1, seed: 5, colourMatch: false, spectrumMatch: false }).variants;
    const [v] = varyTexture(maps, { count: 1, seed: 5, spectrumMatch: false }).variants;
    expect(Buffer.from(v.maps[3].image.data).equals(Buffer.from(verbatim.maps[3].image.data))).toBe(true);
    const out = v.maps[3].image;
    let moved = 0;
    let wrong = 0;
    const grading = new Map<number, number>();
    for (let i = 0; i < out.width * out.height; i++) {
      const sx = out.data[i * 3];
      const sy = out.data[i * 3 + 1];
      if (sx !== v.coords.x[i] || sy !== v.coords.y[i]) wrong++;
      const s = sy * colour.width + sx;
      for (let c = 0; c < 3; c++) {
        if (verbatim.maps[0].image.data[i * 3 + c] !== colour.data[s * 3 + c]) wrong++;
        if (v.maps[2].image.data[i * 3 + c] !== orm.data[s * 3 + c]) wrong++;
      }
      const key = (colour.data[s * 3] << 16) | (colour.data[s * 3 + 1] << 8) | colour.data[s * 3 + 2];
      const graded = (v.maps[0].image.data[i * 3] << 16) | (v.maps[0].image.data[i * 3 + 1] << 8) | v.maps[0].image.data[i * 3 + 2];
      if ((grading.get(key) ?? graded) !== graded) wrong++;
      grading.set(key, graded);
      if (sx !== i % out.width || sy !== Math.floor(i / out.width)) moved++;
    }
    expect(wrong).toBe(0);
    expect(moved / (out.width * out.height)).toBeGreaterThan(0.9);
  });

  it('keeps normal maps unit length and alpha as it was', () => {
    const rgba: RawImage = { data: new Uint8Array(colour.width * colour.height * 4), width: colour.width, height: colour.height, channels: 4 };
    for (let i = 0; i < colour.width * colour.height; i++) rgba.data.set([colour.data[i * 3], colour.data[i * 3 + 1], colour.data[i * 3 + 2], i % 7 === 0 ? 0 : 200], i * 4);
    const [v] = varyTexture([{ slot: 'color', kind: 'color', image: rgba }, { slot: 'normal', kind: 'normal', image: normal }], { count: 1, seed: 2 }).variants;
    const err = normalLengthError(v.maps[1].image);
    expect(err.max).toBeLessThan(0.01);
    expect(v.maps[0].image.channels).toBe(4);
    for (let i = 0; i < v.coords.x.length; i++) {
      const s = v.coords.y[i] * rgba.width + v.coords.x[i];
      expect(v.maps[0].image.data[i * 4 + 3]).toBe(rgba.data[s * 4 + 3]);
    }
  });

  it('detects the lattice of a brick wall (running bond) and keeps whole bricks in step', () => {
    const w = 128;
    const brick: RawImage = { data: new Uint8Array(w * w * 3), width: w, height: w, channels: 3 };
    for (let y = 0; y < w; y++) {
      for (let x = 0; x < w; x++) {
        const row = Math.floor(y / 16);
        const xx = (x + (row % 2) * 16) % 32;
        const mortar = y % 16 < 2 || xx < 2;
        const v = mortar ? 200 : 90 + ((x * 7 + y * 13) % 23);
        brick.data.set([v, mortar ? 200 : 50, mortar ? 190 : 40], (y * w + x) * 3);
      }
    }
    const lattice = detectLattice(brick);
    expect(lattice).toBeDefined();
    // The running-bond lattice: generated by (32, 0) and (16, 16) (any basis of it will do).
    const { a, b } = lattice!;
    expect(Math.abs(a[0] * b[1] - a[1] * b[0])).toBe(32 * 16);
    expect(snapToLattice(32, 0, lattice!)).toEqual([32, 0]);
    expect(snapToLattice(16, 16, lattice!)).toEqual([16, 16]);
    const { variants } = varyTexture([{ slot: 'color', kind: 'color', image: brick }], { count: 1, seed: 9 });
    // Mortar stays on the lattice: every output texel comes from a source texel in the same phase.
    const v = variants[0];
    let inPhase = 0;
    for (let i = 0; i < v.coords.x.length; i++) {
      // the source is the output position moved by whole lattice steps
      const dx = (v.coords.x[i] - (i % w) + w) % w;
      const dy = (v.coords.y[i] - Math.floor(i / w) + w) % w;
      const [sx, sy] = snapToLattice(dx, dy, lattice!);
      if (sx === dx && sy === dy) inPhase++;
    }
    expect(inPhase / v.coords.x.length).toBeGreaterThan(0.9);
  });

  it('refuses bad sets with one-line errors', () => {
    const tiny: RawImage = { data: new Uint8Array(16 * 16 * 3), width: 16, height: 16, channels: 3 };
    expect(() => varyTexture([{ slot: 'color', kind: 'color', image: tiny }])).toThrow(/too small/);
    expect(() => varyTexture([set()[0], { slot: 'n', kind: 'normal', image: coordinateMap(64, 64) }])).toThrow(/does not match/);
    expect(() => varyTexture(set(), { count: 0 })).toThrow(/count must be/);
  });
});

describe('varyMaterials (glTF Transform transform)', () => {
  it('adds the variant materials and KHR_materials_variants to a document, like the pipeline operation', async () => {
    const doc = await readModel(path.join(FIXTURES, 'sample-project', 'models', 'VaryStones.glb'));
    await doc.transform(varyMaterials({ count: 2, seed: 3 }));
    const ext = doc.getRoot().listExtensionsUsed().find((e) => e.extensionName === 'KHR_materials_variants') as KHRMaterialsVariants;
    expect(ext.listVariants().map((v) => v.getName())).toEqual(['vary-1', 'vary-2']);
    const prim = doc.getRoot().listMeshes()[0].listPrimitives()[0];
    const mappings = prim.getExtension<ReturnType<KHRMaterialsVariants['createMappingList']>>('KHR_materials_variants')!.listMappings();
    expect(mappings.map((m) => [m.getMaterial()?.getName(), m.listVariants().map((v) => v.getName())])).toEqual([['Stones v1', ['vary-1']], ['Stones v2', ['vary-2']]]);
  });
});

describe('remaster vary (CLI)', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remaster-vary-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes <stem>-v<k> for the texture and every --with map, the same layout in each', async () => {
    const out = path.join(dir, 'out');
    const r = cli('vary', path.join(STONES, 'stones.png'), '--with', `normal=${path.join(STONES, 'stones_n.png')}`, '--with', `orm=${path.join(STONES, 'stones_orm.png')}`,
      '--count', '2', '--seed', '4', '--out', out, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['stones-v1.png', 'stones-v1_n.png', 'stones-v1_orm.png', 'stones-v2.png', 'stones-v2_n.png', 'stones-v2_orm.png']);
    expect(JSON.parse(r.stdout)).toMatchObject({ outputTiles: true, variants: [{ index: 1 }, { index: 2 }] });
    const n = await decode(path.join(out, 'stones-v2_n.png'));
    expect(normalLengthError(n).max).toBeLessThan(0.01);
  });

  it('--threads changes the cores used, not the bytes (a 256x256 output, where worker threads start)', () => {
    const bytes = (threads: string) => {
      const out = path.join(dir, `t${threads}`);
      const r = cli('vary', path.join(STONES, 'stones.png'), '--count', '1', '--size', '256x256', '--threads', threads, '--out', out);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return fs.readFileSync(path.join(out, 'stones-v1.png'));
    };
    expect(bytes('1').equals(bytes('3'))).toBe(true);
  });

  it.each([
    ['a non-image', async (d: string) => { fs.writeFileSync(path.join(d, 'x.png'), 'not an image'); return [path.join(d, 'x.png')]; }, /x\.png: not a readable image/],
    ['a 16-bit image', async (d: string) => {
      await sharp(Buffer.alloc(64 * 64 * 3 * 2, 7), { raw: { width: 64, height: 64, channels: 3 } }).toColourspace('rgb16').png().toFile(path.join(d, 'x.png'));
      return [path.join(d, 'x.png')];
    }, /16-bit images are not supported/],
    ['a texture under 32 px', async (d: string) => { await sharp({ create: { width: 20, height: 64, channels: 3, background: '#888' } }).png().toFile(path.join(d, 'x.png')); return [path.join(d, 'x.png')]; }, /too small/],
    ['maps of different sizes', async () => [path.join(STONES, 'stones.png'), '--with', `normal=${path.join(FIXTURES, 'sample-project', 'textures', 'panel_n.png')}`], /panel_n\.png: 256x256 does not match/],
    ['--count 0', async () => [path.join(STONES, 'stones.png'), '--count', '0'], /count must be a whole number/],
    ['--threads 0', async () => [path.join(STONES, 'stones.png'), '--threads', '0'], /threads must be a whole number from 1 to 64/],
  ])('refuses %s: one line, exit 2, nothing written', async (_name, make, message) => {
    const args = await make(dir);
    const out = path.join(dir, 'out');
    const r = cli('vary', ...args, '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
  });
});

describe('remaster eval-vary', () => {
  it('prints per-texture and mean rows for the method, both baselines, floor and ceiling, and writes the HTML report', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remaster-eval-vary-'));
    try {
      await sharp(path.join(STONES, 'stones.png')).resize(64, 64).toFile(path.join(dir, 'a.png'));
      await sharp(path.join(STONES, 'stones_n.png')).resize(64, 64).toFile(path.join(dir, 'a_n.png'));
      await sharp(path.join(FIXTURES, 'sample-project', 'textures', 'uv_grid.png')).resize(64, 64).toFile(path.join(dir, 'b.png'));
      const r = cli('eval-vary', dir, '--report', path.join(dir, 'r.html'));
      expect(r.status).toBe(0);
      for (const label of ['a.png 64x64 [color+n]', 'b.png 64x64 [color]', 'MEAN', 'floor (2 crops)', 'ceiling (other tex)', 'remaster vary', 'shuffled tiles', 'Heitz-Neyret blend', 'targets met']) {
        expect(r.stdout).toContain(label);
      }
      const html = fs.readFileSync(path.join(dir, 'r.html'), 'utf8');
      expect(html.match(/<img /g)?.length).toBe(2 * (2 + 3 * 4)); // per texture: exemplar + its 2x2, 3 methods x 2 variants x (variant + 2x2)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('vary as a pipeline operation', () => {
  let dir: string;
  afterEach(() => removeProject(dir));

  it('a glTF material gets N variants via KHR_materials_variants (validator-clean); second run no-op; restore', async () => {
    dir = makeProject({ 'models/VaryStones.glb': 'sample-project/models/VaryStones.glb' });
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: 'models/**', vary: { count: 3, seed: 2 } }] });
    const before = snapshot(dir);
    const run = await remasterProject(dir);
    expect(run.failed).toEqual([]);
    const model = await readModel(path.join(dir, 'models/VaryStones.glb'));
    const ext = model.getRoot().listExtensionsUsed().find((e) => e.extensionName === 'KHR_materials_variants') as KHRMaterialsVariants;
    expect(ext.listVariants().map((v) => v.getName())).toEqual(['vary-1', 'vary-2', 'vary-3']);
    const materials = model.getRoot().listMaterials();
    expect(materials.map((m) => m.getName())).toEqual(['Stones', 'Stones v1', 'Stones v2', 'Stones v3']);
    // Each variant material has its own colour, normal and ORM (ORM shared by occlusion + metallicRoughness, as in the original).
    for (const m of materials.slice(1)) {
      expect(m.getOcclusionTexture()).toBe(m.getMetallicRoughnessTexture());
      expect(new Set([m.getBaseColorTexture(), m.getNormalTexture(), m.getOcclusionTexture()]).size).toBe(3);
      expect(m.getBaseColorTexture()).not.toBe(materials[0].getBaseColorTexture());
    }
    const report = await validate(path.join(dir, 'models/VaryStones.glb'));
    expect(errorCounts(report)).toEqual({});

    const again = await remasterProject(dir);
    expect(again.skipped).toEqual([{ path: 'models/VaryStones.glb', reason: 'unchanged' }]);
    await restoreProject(dir);
    expect(Object.fromEntries(Object.entries(snapshot(dir)).map(([k, v]) => [k, v.hash]))).toEqual(Object.fromEntries(Object.entries(before).map(([k, v]) => [k, v.hash])));
  });

  it('a map sibling that a format rule moves (wall_n.png -> wall_n.webp) still varies with the texture; second run no-op', async () => {
    dir = makeProject({ 'wall.png': 'sample-project/textures/stones.png', 'wall_n.png': 'sample-project/textures/stones_n.png' });
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: 'wall*', vary: { count: 1, seed: 1 } }, { match: '*_n.png', format: 'webp' }] });
    const run = await remasterProject(dir, { concurrency: 1 });
    expect(run.failed).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'wall_n.webp'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'wall-v1_n.webp'))).toBe(true);
    const again = await remasterProject(dir, { concurrency: 1 });
    expect(again.processed).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'wall-v1_n.webp'))).toBe(true);
  });

  it('a standalone texture gets -v<k> files with its map siblings; recorded, no-op twice, restore removes them', async () => {
    dir = makeProject({ 'wall.png': 'sample-project/textures/stones.png', 'wall_n.png': 'sample-project/textures/stones_n.png', 'wall_orm.png': 'sample-project/textures/stones_orm.png' });
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: 'wall*', vary: { count: 2, seed: 1 } }] });
    const before = snapshot(dir);
    const run = await remasterProject(dir);
    expect(run.failed).toEqual([]);
    const made = ['wall-v1.png', 'wall-v1_n.png', 'wall-v1_orm.png', 'wall-v2.png', 'wall-v2_n.png', 'wall-v2_orm.png'];
    for (const f of made) expect(fs.existsSync(path.join(dir, f))).toBe(true);
    // Same layout in colour and ORM of a variant, as the API gives.
    const api = varyTexture([{ slot: 'color', kind: 'color', image: colour }, { slot: '_n', kind: 'normal', image: normal }, { slot: '_orm', kind: 'data', image: orm }], { count: 2, seed: 1 });
    expect(Buffer.from((await decode(path.join(dir, 'wall-v2_orm.png'))).data).equals(Buffer.from(api.variants[1].maps[2].image.data))).toBe(true);
    const again = await remasterProject(dir);
    expect(again.processed).toEqual([]);
    await restoreProject(dir);
    for (const f of made) expect(fs.existsSync(path.join(dir, f))).toBe(false);
    expect(Object.keys(snapshot(dir)).sort()).toEqual(Object.keys(before).sort());
  });

  it('watch knows the variants as its own writes (no second job)', async () => {
    dir = makeProject({ 'wall.png': 'sample-project/textures/stones.png', 'wall_n.png': 'sample-project/textures/stones_n.png' });
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: 'wall.png', vary: { count: 1 } }] });
    const watcher = watchProject(dir, { stabilityMs: 200 });
    const events: WatchEvent[] = [];
    watcher.on('event', (e) => events.push(e));
    try {
      await watcher.ready;
      expect(fs.existsSync(path.join(dir, 'wall-v1.png')) && fs.existsSync(path.join(dir, 'wall-v1_n.png'))).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(events.filter((e) => e.type === 'job')).toHaveLength(1); // the startup pass only
      expect(events.filter((e) => e.type === 'ignored').map((e) => (e as { path: string }).path)).toEqual(expect.arrayContaining(['wall-v1.png', 'wall-v1_n.png']));
    } finally {
      await watcher.close();
    }
  }, 30000);
});
