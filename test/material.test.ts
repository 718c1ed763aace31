/**
 * Two-shot material capture (plugin/ops/material): the capture model's renderer, recovery of the known
 * synthetic material of fixtures/material, the CLI's outputs (sizes, unit normals, ranges,
 * validator-clean material.glb) and its refusals of bad photo pairs (nothing written).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { captureMaterial } from '../plugin/ops/material/capture';
import { FIXTURE } from '../plugin/ops/material/fixture';
import { focalLength35mm, fovFrom35mm } from '../plugin/ops/material/exif-fov';
import { readPhoto } from '../plugin/ops/material/read-photo';
import { seededRandom as prng } from '../plugin/metrics/texture-stats/seeded-random';
import { renderFlash, renderPointLight } from '../plugin/ops/material/render';
import { score } from '../plugin/ops/material/evaluate';
import { syntheticMaterial, tileMaps } from '../plugin/ops/material/synthetic';
import { emptyMaps } from '../plugin/ops/material/types';
import { validate } from './helpers/validator';

const BIN = path.join(__dirname, '..', 'bin', 'remaster.js');
const FIX = path.join(__dirname, '..', 'fixtures', 'material');

function cli(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
}

describe('capture model renderer', () => {
  const camera = { width: 33, height: 33, fovDeg: 65 };

  it('a white Lambertian sample under the flash reads power/π at the centre and falls off as cos³ toward the edge', () => {
    const m = emptyMaps(33, 33);
    m.baseColor.fill(1);
    m.specular.fill(0);
    const img = renderFlash(m, camera, 2);
    const centre = img.data[(16 * 33 + 16) * 3];
    expect(centre).toBeCloseTo(2 / Math.PI, 5);
    // Edge pixel: n·l = cosθ and 1/r² = cos²θ.
    const edge = img.data[(16 * 33 + 0) * 3];
    const x = ((0.5 - 16.5) * 2 * Math.tan((65 * Math.PI) / 360)) / 33;
    const cos = 1 / Math.hypot(x, 1);
    expect(edge).toBeCloseTo((2 / Math.PI) * cos ** 3, 5);
  });

  it('anisotropy stretches the highlight along its direction, not across it', () => {
    const m = emptyMaps(33, 33);
    m.baseColor.fill(0);
    m.roughness.fill(0.3);
    for (let i = 0; i < 33 * 33; i++) { m.anisotropy[i * 2] = 0.8; m.anisotropy[i * 2 + 1] = 0; }
    const img = renderPointLight(m, camera, [0, 0, 1], 1);
    const along = img.data[(16 * 33 + 4) * 3], across = img.data[(4 * 33 + 16) * 3];
    expect(along).toBeGreaterThan(3 * across);
  });
});

describe('field of view from EXIF', () => {
  it('reads FocalLengthIn35mmFilm from the Exif IFD and converts it on the full-frame diagonal', () => {
    // Little-endian TIFF: IFD0 { ExifIFDPointer → 26 }, Exif IFD { FocalLengthIn35mmFilm = 26 }.
    const b = Buffer.alloc(6 + 44);
    b.write('Exif', 0);
    const t = 6;
    b.write('II', t); b.writeUInt16LE(42, t + 2); b.writeUInt32LE(8, t + 4);
    b.writeUInt16LE(1, t + 8); b.writeUInt16LE(0x8769, t + 10); b.writeUInt16LE(4, t + 12); b.writeUInt32LE(1, t + 14); b.writeUInt32LE(26, t + 18);
    b.writeUInt16LE(1, t + 26); b.writeUInt16LE(0xa405, t + 28); b.writeUInt16LE(3, t + 30); b.writeUInt32LE(1, t + 32); b.writeUInt16LE(26, t + 36);
    expect(focalLength35mm(new Uint8Array(b))).toBe(26);
    expect(fovFrom35mm(26, 4000, 3000)).toBeCloseTo(67.3, 1);
    expect(focalLength35mm(new Uint8Array(10))).toBeUndefined();
  });
});

describe('two-shot fit of the synthetic fixture', () => {
  let result: Awaited<ReturnType<typeof captureMaterial>>;
  const tile = syntheticMaterial({ size: FIXTURE.period });
  const truth = tileMaps(tile, FIXTURE.width, FIXTURE.height, FIXTURE.offset);

  beforeAll(async () => {
    const flash = await readPhoto(path.join(FIX, 'flash.png'));
    const guide = await readPhoto(path.join(FIX, 'guide.png'));
    result = await captureMaterial(flash.photo, guide.photo, { fovDeg: FIXTURE.fovDeg, threads: 1 });
  });

  it('finds the 48-texel period', () => {
    expect(result.lattice.a).toEqual([48, 0]);
    expect(result.lattice.b).toEqual([0, 48]);
  });

  it('recovers normals, roughness, albedo and the brushed plate within tolerances', () => {
    const camera = { width: FIXTURE.width, height: FIXTURE.height, fovDeg: FIXTURE.fovDeg };
    const s = score(result.maps, truth, camera);
    expect(s.normalDeg).toBeLessThan(4);
    expect(s.baseColorRmse).toBeLessThan(0.03);
    // Roughness on the plates (the grooves' very rough, dark lobe is weakly constrained).
    let se = 0, n = 0, anisoIn = 0, nIn = 0, anisoOut = 0, nOut = 0;
    for (let i = 0; i < FIXTURE.width * FIXTURE.height; i++) {
      if (truth.roughness[i] < 0.8) { se += (result.maps.roughness[i] - truth.roughness[i]) ** 2; n++; }
      if (truth.anisotropy[i * 2] > 0) { anisoIn += result.maps.anisotropy[i * 2]; nIn++; } else { anisoOut += result.maps.anisotropy[i * 2]; nOut++; }
    }
    expect(Math.sqrt(se / n)).toBeLessThan(0.08); // a constant 0.5 would score 0.14
    expect(anisoIn / nIn).toBeGreaterThan(0.5);
    expect(anisoOut / nOut).toBeLessThan(0.1);
    expect(result.residual.rms).toBeLessThan(0.02);
  });

  it('normalises the brightest plausible albedo to 0.95', () => {
    const peaks = Array.from({ length: FIXTURE.width * FIXTURE.height }, (_, i) => Math.max(...result.maps.baseColor.subarray(i * 3, i * 3 + 3))).sort((a, b) => a - b);
    expect(peaks[Math.floor(peaks.length * 0.995)]).toBeLessThanOrEqual(0.951);
    expect(peaks[Math.floor(peaks.length * 0.995)]).toBeGreaterThan(0.8);
  });
});

describe('remaster material (CLI)', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'material-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes pixel-aligned maps with unit normals and a validator-clean material.glb', async () => {
    const out = path.join(dir, 'out');
    const r = cli('material', path.join(FIX, 'flash.png'), path.join(FIX, 'guide.png'), '--out', out, '--json', '--tile');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.albedoNote).toMatch(/0\.95/);
    for (const f of ['basecolor', 'normal', 'roughness', 'specular', 'anisotropy', 'height', 'occlusion']) {
      const meta = await sharp(path.join(out, `${f}.png`)).metadata();
      expect([f, meta.width, meta.height]).toEqual([f, FIXTURE.width, FIXTURE.height]);
      expect((await sharp(path.join(out, `tile-${f}.png`)).metadata()).width).toBe(48);
    }
    const { data } = await sharp(path.join(out, 'normal.png')).raw().toBuffer({ resolveWithObject: true });
    let worst = 0, below = 0;
    for (let i = 0; i < data.length; i += 3) {
      const v = [data[i], data[i + 1], data[i + 2]].map((b) => b / 127.5 - 1);
      worst = Math.max(worst, Math.abs(Math.hypot(...v) - 1));
      if (v[2] <= 0) below++;
    }
    expect(worst).toBeLessThan(0.02);
    expect(below).toBe(0);
    const report2 = await validate(path.join(out, 'material.glb'));
    expect(report2.issues.messages.filter((m) => m.severity === 0)).toEqual([]);
    const json = JSON.parse(Buffer.from(fs.readFileSync(path.join(out, 'material.glb'))).subarray(20, 20 + fs.readFileSync(path.join(out, 'material.glb')).readUInt32LE(12)).toString());
    expect(json.extensionsUsed).toEqual(expect.arrayContaining(['KHR_materials_specular', 'KHR_materials_anisotropy']));
    expect(json.materials[0].pbrMetallicRoughness.metallicFactor).toBe(0);
  });

  it('one photo: base colour, normal, roughness, height, occlusion and a validator-clean glb, same size', async () => {
    const out = path.join(dir, 'one');
    const r = cli('material', path.join(FIX, 'guide.png'), '--out', out, '--json');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.files.map((f: string) => path.basename(f)).sort()).toEqual(['basecolor.png', 'height.png', 'material.glb', 'normal.png', 'occlusion.png', 'roughness.png']);
    for (const f of ['basecolor', 'normal', 'roughness', 'height', 'occlusion']) {
      const meta = await sharp(path.join(out, `${f}.png`)).metadata();
      expect([meta.width, meta.height]).toEqual([FIXTURE.width, FIXTURE.height]);
    }
    const v = await validate(path.join(out, 'material.glb'));
    expect(v.issues.messages.filter((m) => m.severity === 0)).toEqual([]);
  });

  async function writePng(file: string, width: number, height: number, fn: (x: number, y: number) => number) {
    const data = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.fill(fn(x, y), (y * width + x) * 3, (y * width + x) * 3 + 3);
    await sharp(data, { raw: { width, height, channels: 3 } }).png().toFile(file);
  }

  it.each([
    ['different sizes', 'smaller', /differs from the flash photo's 384x288/],
    ['swapped photos', 'swapped', /swapped/],
    ['no repeating pattern', 'noise', /no repeating pattern|repeats/],
    ['clipped flash', 'clipped', /clipped/],
  ])('%s: one-line error, exit 2, nothing written', async (_label, kind, message) => {
    let flash = path.join(FIX, 'flash.png'), guide = path.join(FIX, 'guide.png');
    if (kind === 'smaller') { guide = path.join(dir, 'small.png'); await sharp(path.join(FIX, 'guide.png')).resize(200, 150).toFile(guide); }
    if (kind === 'swapped') [flash, guide] = [guide, flash];
    if (kind === 'noise') {
      const rnd = (() => { const r = prng(7); return () => Math.floor(r() * 256); })();
      flash = path.join(dir, 'nflash.png'); guide = path.join(dir, 'nguide.png');
      await writePng(flash, 256, 192, () => 120 + (rnd() & 63));
      await writePng(guide, 256, 192, () => 40 + (rnd() & 63));
    }
    if (kind === 'clipped') { flash = path.join(dir, 'white.png'); await writePng(flash, 384, 288, () => 255); }
    const out = path.join(dir, `bad-${kind}`);
    const r = cli('material', flash, guide, '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
