/**
 * Style transfer (plugin/ops/style), through the public API: tiling kept, alpha carried, determinism,
 * strength, the style really moving toward the reference, grey images, bad options.
 */
import path from 'node:path';
import { readImageFile } from '../plugin/engine';
import { gramDistance, slicedWasserstein } from '../plugin/metrics/texture-stats';
import { wrapEdgeRank } from '../plugin/ops/style/wrap-rank';
import { quarterLumaSsim } from '../plugin/ops/style/structure';
import { blend, styleFrames, styleFull, styleTexture } from '../plugin/ops/style';
import type { RawImage } from '../plugin/types';
import { gradientRGBA } from './helpers/project';
import { rgbPlanesOf, toRawImage } from '../plugin/ops/style/planes';
import { seededRandom } from '../plugin/ops/style/random';
import { statisticsTransfer } from '../plugin/ops/style/statistics-transfer';
import { coolReference, maxAbsDiff, roll, tilingTexture } from './helpers/style-images';

function meanAbsDiff(a: RawImage, b: RawImage): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += Math.abs(a.data[i] - b.data[i]);
  return s / a.data.length;
}

let reference: RawImage;
beforeAll(async () => {
  reference = await coolReference();
});

describe.each(['stats', 'stats-bands', 'gram'] as const)('method %s', (method) => {
  const input = tilingTexture(64, 48);

  test('a tiling input stays tiling: styling commutes with a cyclic shift, and the wrap edge is no seam', async () => {
    const out = await styleTexture(input, reference, { method, seamless: true, seed: 3 });
    const shifted = await styleTexture(roll(input, 21, 17), reference, { method, seamless: true, seed: 3 });
    // Identical up to float rounding: every filter wraps, so texels at the edge see what tiled neighbours would.
    // (stats: its per-texture move comes from a bisection on SSIM¼, whose 4x4 grid and 'valid' windows see a
    // rolled texture differently, so the two may stop one bisection step (1/64 of the brightness gap) apart:
    // here ~1.5 codes on average. Exact at a fixed move: checked below.)
    if (method === 'stats') expect(meanAbsDiff(shifted, roll(out, 21, 17))).toBeLessThan(2.5);
    else expect(maxAbsDiff(shifted, roll(out, 21, 17))).toBeLessThanOrEqual(2);
    // And the wrap edge is no outlier among the column/row boundaries (a seam ranks near 1). The single-line
    // wrap ratio is no test here: interior lines of this seamless texture alone spread past 1.2x their mean.
    expect(wrapEdgeRank(out)).toBeLessThan(0.9);
    // Without wrap-around the edge texels see mirrored neighbours instead, and the shift shows.
    if (method !== 'gram') {
      const plain = await styleTexture(input, reference, { method, seamless: false, seed: 3 });
      const plainShifted = await styleTexture(roll(input, 21, 17), reference, { method, seamless: false, seed: 3 });
      expect(maxAbsDiff(plainShifted, roll(plain, 21, 17))).toBeGreaterThan(2);
    }
  });

  if (method === 'stats') {
    test('at a fixed move, styling commutes exactly with a cyclic shift (colour grain included: anchored to the content)', () => {
      const run = (image: RawImage) =>
        toRawImage(statisticsTransfer(rgbPlanesOf(image), rgbPlanesOf(reference), seededRandom(3), { wrap: true, lumaShift: 0.75 }), image);
      expect(maxAbsDiff(run(roll(input, 21, 17)), roll(run(input), 21, 17))).toBeLessThanOrEqual(1);
    });
  }

  test('same seed, same bytes', async () => {
    const a = await styleTexture(input, reference, { method, seed: 5 });
    const b = await styleTexture(input, reference, { method, seed: 5 });
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
  });

  test('moves the colour distribution toward the reference', async () => {
    const out = await styleTexture(input, reference, { method, seamless: true });
    expect(slicedWasserstein(out, reference)).toBeLessThan(0.7 * slicedWasserstein(input, reference));
  });
});

describe('stats (default)', () => {
  const input = tilingTexture(96, 96, 7);

  test('at strength 1 on a real texture, the colour distance to the reference halves while the layout is kept', async () => {
    const helmet = await readImageFile(path.join(__dirname, '..', 'fixtures', 'textures', 'helmet-basecolor-128.png'));
    const out = await styleTexture(helmet, reference);
    expect(slicedWasserstein(out, reference)).toBeLessThan(0.55 * slicedWasserstein(helmet, reference));
    expect(gramDistance(out, reference)).toBeLessThan(gramDistance(helmet, reference));
    // The layout: luminance at 1/4 resolution stays close to the input's (issue 12's bar: SSIM¼ ≥ 0.7) ...
    expect(quarterLumaSsim(helmet, out)).toBeGreaterThanOrEqual(0.7);
    // ... where the band transfer ("stats-bands") gives it up for a stronger texture change (below 0.72,
    // the floor stats keeps; since the sixth pass stats spends room left above it on contrast, so the two
    // SSIM¼ are no longer ordered on this texture).
    const bands = await styleTexture(helmet, reference, { method: 'stats-bands' });
    expect(quarterLumaSsim(helmet, out)).toBeGreaterThanOrEqual(0.7);
    expect(gramDistance(bands, reference)).toBeLessThan(0.8 * gramDistance(helmet, reference));
  });

  test('strength 0 is the input; strengths in between blend; a flipbook rises from the input to the target', async () => {
    expect(maxAbsDiff(await styleTexture(input, reference, { strength: 0 }), input)).toBe(0);
    const styled = await styleFull(input, reference, { seed: 1 });
    const half = blend(styled, 0.5);
    for (let i = 0; i < input.data.length; i += 97) {
      const lo = Math.min(input.data[i], styled.full.data[i]);
      const hi = Math.max(input.data[i], styled.full.data[i]);
      expect(half.data[i]).toBeGreaterThanOrEqual(lo);
      expect(half.data[i]).toBeLessThanOrEqual(hi);
    }
    const frames = styleFrames(styled, 0.8, 5);
    expect(frames).toHaveLength(5);
    expect(maxAbsDiff(frames[0], input)).toBe(0);
    expect(maxAbsDiff(frames[4], blend(styled, 0.8))).toBe(0);
    const dist = frames.map((f) => slicedWasserstein(f, reference));
    for (let i = 1; i < dist.length; i++) expect(dist[i]).toBeLessThan(dist[i - 1]);
  });

  test('alpha is carried unchanged and the channel layout kept', async () => {
    const rgba = gradientRGBA(64, 64);
    const out = await styleTexture(rgba, reference, { seed: 2 });
    expect(out.channels).toBe(4);
    for (let i = 3; i < rgba.data.length; i += 4) expect(out.data[i]).toBe(rgba.data[i]);
    expect(maxAbsDiff(out, rgba)).toBeGreaterThan(20); // the colours did change
  });

  test('transparent texels do not count: their colour changes nothing in the opaque ones', async () => {
    // A textured RGBA image whose first 8 columns are transparent; b paints them magenta.
    const rgb = tilingTexture(64, 64, 11);
    const withAlpha = (paint: boolean): RawImage => {
      const data = new Uint8Array(64 * 64 * 4);
      for (let i = 0; i < 64 * 64; i++) {
        const hidden = i % 64 < 8;
        data.set(hidden && paint ? [255, 0, 255] : rgb.data.subarray(i * 3, i * 3 + 3), i * 4);
        data[i * 4 + 3] = hidden ? 0 : 255;
      }
      return { data, width: 64, height: 64, channels: 4 };
    };
    const oa = await styleTexture(withAlpha(false), reference, { seed: 2 });
    const ob = await styleTexture(withAlpha(true), reference, { seed: 2 });
    // Texels beyond the filters' reach of the hidden columns come out the same.
    let worst = 0;
    for (let y = 0; y < 64; y++) for (let x = 24; x < 64; x++) for (let c = 0; c < 4; c++) {
      const i = (y * 64 + x) * 4 + c;
      worst = Math.max(worst, Math.abs(oa.data[i] - ob.data[i]));
    }
    expect(worst).toBeLessThanOrEqual(3);
  });

  test('a grey texture stays one grey channel', async () => {
    const grey: RawImage = { data: Uint8Array.from({ length: 48 * 48 }, (_, i) => (i * 7) % 256), width: 48, height: 48, channels: 1 };
    const out = await styleTexture(grey, reference);
    expect(out.channels).toBe(1);
    expect(out.data.length).toBe(grey.data.length);
  });

  test('strength outside 0..1 and unknown methods are refused', async () => {
    await expect(styleTexture(input, reference, { strength: 1.5 })).rejects.toThrow('strength must be a number from 0 to 1, got 1.5');
    await expect(styleTexture(input, reference, { strength: -0.1 })).rejects.toThrow('strength');
    await expect(styleTexture(input, reference, { method: 'vgg' as never })).rejects.toThrow('unknown style method "vgg"');
  });
});
