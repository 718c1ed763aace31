/**
 * estimatePbrFromColor: valid maps from both methods (unit normals in the glTF convention, 0..1
 * ranges, input size), the height integrator, photo de-lighting, and heuristic vs CNN on the
 * committed held-out fixture (fixtures/pbr-heldout: Nexuiz materials neither method was trained
 * or tuned on).
 */
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import {
  DEFAULT_PBR_METHOD,
  encodeNormalMap,
  encodeOrm,
  estimatePbrFromColor,
  evaluatePbrFolder,
  loadPbrModel,
  type PbrMaps,
  type PbrModel,
  shippedPbrModel,
} from '../plugin/ops/pbr';
import { integrateSlopes } from '../plugin/ops/pbr/integrate';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'pbr-heldout');

let model: PbrModel;
beforeAll(async () => {
  model = await loadPbrModel({ device: 'cpu' });
});
afterAll(() => model.release());

async function rgbaOf(file: string) {
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

/** A dark image with a bright round bump in the middle. */
function bump(size: number): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const r2 = ((x - size / 2) ** 2 + (y - size / 2) ** 2) / (size / 6) ** 2;
      const v = Math.round(40 + 180 * Math.exp(-r2));
      out.set([v, v, v, 255], (y * size + x) * 4);
    }
  }
  return out;
}

function expectValid(maps: PbrMaps, width: number, height: number) {
  expect([maps.width, maps.height]).toEqual([width, height]);
  const n = width * height;
  expect(maps.normal.length).toBe(3 * n);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const [x, y, z] = [maps.normal[3 * i], maps.normal[3 * i + 1], maps.normal[3 * i + 2]];
    worst = Math.max(worst, Math.abs(Math.hypot(x, y, z) - 1));
    expect(z).toBeGreaterThan(0);
  }
  expect(worst).toBeLessThan(1e-5);
  for (const plane of [maps.roughness, maps.heightMap, maps.occlusion]) {
    expect(plane.length).toBe(n);
    expect(Math.min(...plane)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...plane)).toBeLessThanOrEqual(1);
  }
}

describe.each(['heuristic', 'cnn'] as const)('%s', (method) => {
  test('maps are valid and the size of a non-square held-out texture', async () => {
    const { data } = await rgbaOf(path.join(FIXTURE, 'textures_hookgun_color.png'));
    // A 96x64 window: non-square, not a multiple of the network's 4x downsampling in every level.
    const w = 96;
    const h = 64;
    const win = new Uint8Array(w * h * 4);
    for (let y = 0; y < h; y++) win.set(data.subarray(y * 128 * 4, y * 128 * 4 + w * 4), y * w * 4);
    const maps = await estimatePbrFromColor(win, w, h, { method, model });
    expectValid(maps, w, h);
    expect(maps.method).toBe(method);
    expect(maps.engine).toBe(method === 'cnn' ? 'remaster-pbr@cpu' : 'heuristic');
    const normalImage = encodeNormalMap(maps);
    expect([normalImage.width, normalImage.height, normalImage.channels]).toEqual([w, h, 3]);
  });

  test('a bright bump reads as raised: its top side faces +Y (glTF), its left side -X', async () => {
    const size = 64;
    const maps = await estimatePbrFromColor(bump(size), size, size, { method, model, seamless: false });
    const at = (x: number, y: number) => maps.normal.subarray(3 * (y * size + x), 3 * (y * size + x) + 3);
    expect(at(32, 32 - 9)[1]).toBeGreaterThan(0.05); // above the centre in the image: faces up
    expect(at(32, 32 + 9)[1]).toBeLessThan(-0.05);
    expect(at(32 - 9, 32)[0]).toBeLessThan(-0.05);
    expect(at(32 + 9, 32)[0]).toBeGreaterThan(0.05);
    expect(maps.heightMap[32 * size + 32]).toBeGreaterThan(maps.heightMap[4 * size + 4] + 0.5);
  });
});

test('integrateSlopes recovers a periodic height field from its gradient', () => {
  const w = 48;
  const h = 40;
  const truth = new Float32Array(w * h);
  const gx = new Float32Array(w * h);
  const gy = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const a = (2 * Math.PI * x) / w;
      const b = (4 * Math.PI * y) / h;
      truth[y * w + x] = 5 * Math.sin(a) * Math.cos(b);
      gx[y * w + x] = 5 * ((2 * Math.PI) / w) * Math.cos(a) * Math.cos(b);
      gy[y * w + x] = -5 * ((4 * Math.PI) / h) * Math.sin(a) * Math.sin(b);
    }
  }
  const got = integrateSlopes(gx, gy, w, h, { wrap: true });
  let err = 0;
  for (let i = 0; i < truth.length; i++) err = Math.max(err, Math.abs(got[i] - truth[i]));
  expect(err).toBeLessThan(0.25); // of an amplitude of 5
});

test('photo mode returns a de-lit base colour: a light gradient across the photo is mostly removed', async () => {
  const w = 96;
  const h = 64;
  const rgba = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const light = 0.3 + 0.7 * (x / (w - 1)); // lit from the right
      const albedo = (x >> 3) % 2 ? 0.5 : 0.35; // stripes
      const v = Math.round(255 * Math.pow(albedo * light, 1 / 2.2));
      rgba.set([v, v, v, 200], (y * w + x) * 4);
    }
  }
  const maps = await estimatePbrFromColor(rgba, w, h, { method: 'heuristic', mode: 'photo' });
  const base = maps.baseColor!;
  expect(base.length).toBe(w * h * 4);
  const meanCols = (img: Uint8Array, x0: number, x1: number) => {
    let s = 0;
    for (let y = 0; y < h; y++) for (let x = x0; x < x1; x++) s += img[(y * w + x) * 4];
    return s / (h * (x1 - x0));
  };
  const before = meanCols(rgba, w - 16, w) / meanCols(rgba, 0, 16);
  const after = meanCols(base, w - 16, w) / meanCols(base, 0, 16);
  expect(before).toBeGreaterThan(1.5);
  // At least two thirds of the light gradient is gone.
  expect(after - 1).toBeLessThan((before - 1) / 3);
  expect(after).toBeGreaterThan(0.9);
  expect(base[3]).toBe(200); // alpha copied
});

test('encodeOrm packs occlusion, roughness and a constant metallic', async () => {
  const maps = await estimatePbrFromColor(bump(16), 16, 16, { method: 'heuristic' });
  const orm = encodeOrm(maps, { metallic: 0.4 });
  expect(orm.channels).toBe(3);
  expect(orm.data[2]).toBe(102);
  expect(orm.data[1]).toBe(Math.round(maps.roughness[0] * 255));
  expect(orm.data[0]).toBe(Math.round(maps.occlusion[0] * 255));
});

test('a buffer that does not match the size is a one-line error', async () => {
  await expect(estimatePbrFromColor(new Uint8Array(10), 4, 4)).rejects.toThrow(/^estimatePbrFromColor: buffer holds 10 bytes, expected 4x4x4 \(RGBA\)$/);
});

test('held-out fixture: both methods beat flat normals, and the network beats the heuristic', async () => {
  const report = await evaluatePbrFolder(FIXTURE, { model });
  const s = report.summary;
  expect(report.images.length).toBe(6);
  expect(report.engines.cnn).toBe('remaster-pbr@cpu');
  // Measured when v2 was shipped: flat 21.71, heuristic 20.78, cnn 19.40 degrees (v1: 20.15).
  expect(s.heuristic!.normalAngle).toBeLessThan(s.flat!.normalAngle - 0.5);
  expect(s.cnn!.normalAngle).toBeLessThan(s.flat!.normalAngle - 1.5);
  expect(s.cnn!.normalAngle).toBeLessThan(s.heuristic!.normalAngle - 0.7);
  expect(s.cnn!.roughnessRmse!).toBeLessThan(0.25);
  // Clearly better on the 61 held-out materials (9.57 vs 11.44 degrees) at ~8x the CPU: the network is the default.
  expect(DEFAULT_PBR_METHOD).toBe('cnn');
});

test('cnn: a texture larger than one tile (600x400, 3x2 tiles) gives what one pass of the network gives', async () => {
  const W = 600;
  const H = 400;
  const rgba = new Uint8Array(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const v = 128 + 60 * Math.sin(x / 7) * Math.cos(y / 11) + 30 * Math.sin((x + y) / 23);
      rgba.set([v, v * 0.9, v * 0.8, 255], (y * W + x) * 4);
    }
  }
  const tiled = await model.run({ data: rgba, width: W, height: H, channels: 4 }, { wrap: false });
  const session = await ort.InferenceSession.create(shippedPbrModel());
  const input = new Float32Array(3 * W * H);
  for (let i = 0; i < W * H; i++) for (let c = 0; c < 3; c++) input[c * W * H + i] = rgba[4 * i + c] / 255;
  const whole = (await session.run({ input: new ort.Tensor('float32', input, [1, 3, H, W]) })).output.data as Float32Array;
  await session.release();
  let worst = 0;
  [tiled.sx, tiled.sy, tiled.roughness].forEach((plane, c) => {
    for (let i = 0; i < W * H; i++) worst = Math.max(worst, Math.abs(plane[i] - whole[c * W * H + i]));
  });
  // Measured 2.2e-3 with v2 (5e-4 with v1): its learned prior weighs the sigma-32 blur (reach 96 texels)
  // beyond the tiles' 48 texels of context; 2.2e-3 in slope is ~0.13 degrees (slopes have std ~0.2).
  expect(worst).toBeLessThan(4e-3);
});
