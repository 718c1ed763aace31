/**
 * The default style method writes colours back keeping luma exact (plugin/ops/style/opponent.ts
 * `opponentToRgbInGamut`): a transported colour that cannot be shown at a texel's luma loses saturation,
 * not brightness. Clamping channels one by one lifted near-black textures under a saturated reference
 * (nexuiz evil4_metals/mtltekfloor_fx2: mean luma 5 -> 25 at no shift, SSIM¼ 0.29).
 */
import { luma } from '../plugin/metrics/image-planes';
import { slicedWasserstein } from '../plugin/metrics/texture-stats';
import { styleTexture } from '../plugin/ops/style';
import { opponentToRgbInGamut } from '../plugin/ops/style/opponent';
import { quarterLumaSsim } from '../plugin/ops/style/structure';
import type { RawImage } from '../plugin/types';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => ((a = (Math.imul(a, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/** Near-black tiling texture (faint noise, luma ~3) with six bright wrap-around spots. */
function darkSpots(w: number, h: number): RawImage {
  const rnd = rng(7);
  const spots = Array.from({ length: 6 }, () => [rnd() * w, rnd() * h]);
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 2 + 3 * rnd();
      for (const [sx, sy] of spots) {
        const dx = Math.min(Math.abs(x - sx), w - Math.abs(x - sx));
        const dy = Math.min(Math.abs(y - sy), h - Math.abs(y - sy));
        v += 160 * Math.exp(-(dx * dx + dy * dy) / 8);
      }
      data.set([v, v * 0.9, v * 1.1].map((c) => Math.min(255, Math.round(c))), (y * w + x) * 3);
    }
  }
  return { data, width: w, height: h, channels: 3 };
}

/** A saturated warm reference: deep red (luma ~30) to yellow, in wavy strokes. */
function saturatedReference(size = 128): RawImage {
  const data = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = ((((x + 12 * Math.sin(y / 5)) % size) + size) % size) / (size - 1);
      data.set([Math.round(90 + 165 * t), Math.round(220 * t * t), Math.round(20 * t)], (y * size + x) * 3);
    }
  }
  return { data, width: size, height: size, channels: 3 };
}

const meanLuma = (image: RawImage) => {
  const l = luma(image).data;
  return l.reduce((s, v) => s + v, 0) / l.length;
};

test('back to RGB keeps luma exactly and every channel in 0..1, whatever the colour difference', () => {
  const rnd = rng(3);
  const n = 2000;
  const planes = [0, 1, 2].map(() => new Float32Array(n));
  for (let i = 0; i < n; i++) {
    planes[0][i] = rnd() * 1.2 - 0.1; // a little outside 0..1 too
    planes[1][i] = (rnd() - 0.5) * 1.2;
    planes[2][i] = (rnd() - 0.5) * 1.2;
  }
  const [r, g, b] = opponentToRgbInGamut({ width: n, height: 1, planes }).planes;
  for (let i = 0; i < n; i++) {
    for (const c of [r[i], g[i], b[i]]) {
      expect(c).toBeGreaterThanOrEqual(-1e-6);
      expect(c).toBeLessThanOrEqual(1 + 1e-6);
    }
    expect(0.299 * r[i] + 0.587 * g[i] + 0.114 * b[i]).toBeCloseTo(Math.min(1, Math.max(0, planes[0][i])), 5);
  }
});

test('a near-black texture under a saturated reference keeps its darkness and its layout (SSIM¼ ≥ 0.7)', async () => {
  const input = darkSpots(96, 96);
  const reference = saturatedReference();
  const out = await styleTexture(input, reference, { seamless: true });
  // Per-channel clamping lifted it from luma 5.8 to 22 and SSIM¼ to 0.31 (the code before this change).
  expect(meanLuma(out) - meanLuma(input)).toBeLessThan(6);
  expect(quarterLumaSsim(input, out)).toBeGreaterThanOrEqual(0.7);
  expect(slicedWasserstein(out, reference)).toBeLessThan(slicedWasserstein(input, reference)); // it still took colour
});
