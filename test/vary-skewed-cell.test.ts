/**
 * Period cells on a skewed lattice (plugin/ops/vary/skewed-cell.ts): an organic ground laid out as a two-tile
 * checkerboard [[A, B], [B, A]] of 128-px tiles, which repeats exactly under (128, 128) and (128, −128) — held-out
 * set 9's Scorched 3D grounds. Lattice mode moved it in lattice steps, which map the image onto itself, so its
 * variants came out close to shifted copies; they must be new, keep the repeat and tile.
 */
import { maxCyclicNcc, wrapEdgeRatio } from '../plugin/metrics/texture-stats';
import { detectLattice, varyTexture } from '../plugin/ops/vary';
import { hashRandom } from '../plugin/ops/vary/hash-random';
import { skewedCell, torusLattice } from '../plugin/ops/vary/skewed-cell';
import type { RawImage } from '../plugin/types';

const SIDE = 256;
const TILE = 128;

/**
 * Random-phase waves whose wave vectors (m, n) / SIDE have m + n even (so the field repeats under (128, 128)),
 * amplitude ∝ 1 / |k|: broad organic shapes; plus a per-texel grain keyed to the position in the fundamental
 * domain. Three channels, slightly different.
 */
function checkerboardGround(): RawImage {
  const field = new Float64Array(SIDE * SIDE);
  const K = 12;
  for (let m = -K; m <= K; m++) {
    for (let n = 0; n <= K; n++) {
      if ((m + n) % 2 !== 0 || (n === 0 && m <= 0)) continue;
      const amp = 1 / Math.hypot(m, n);
      const phase = 2 * Math.PI * hashRandom(11, m + K, n, 0);
      const cx = Array.from({ length: SIDE }, (_, x) => (2 * Math.PI * m * x) / SIDE);
      for (let y = 0; y < SIDE; y++) {
        const py = (2 * Math.PI * n * y) / SIDE + phase;
        for (let x = 0; x < SIDE; x++) field[y * SIDE + x] += amp * Math.cos(cx[x] + py);
      }
    }
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of field) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const data = new Uint8Array(SIDE * SIDE * 3);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      // the texel's place in the fundamental domain (rows 0..127, any column): the grain repeats with the field
      const fx = y >= TILE ? (x + TILE) % SIDE : x;
      const fy = y % TILE;
      const v = 40 + (170 * (field[y * SIDE + x] - lo)) / (hi - lo) + 30 * (hashRandom(12, fx, fy, 0) - 0.5);
      data.set([v, v * 0.95 + 8, v * 0.8 + 20].map((c) => Math.max(0, Math.min(255, Math.round(c)))), (y * SIDE + x) * 3);
    }
  }
  return { data, width: SIDE, height: SIDE, channels: 3 };
}

/** Mean absolute difference of an image and itself moved by (dx, dy), cyclically. */
function repeatError(image: RawImage, dx: number, dy: number): number {
  const { width, height, channels, data } = image;
  let s = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) s += Math.abs(data[(y * width + x) * channels + c] - data[(((y + dy) % height) * width + ((x + dx) % width)) * channels + c]);
    }
  }
  return s / (width * height * 3);
}

describe('varyTexture on a two-tile checkerboard (an exact repeat on a skewed lattice)', () => {
  const exemplar = checkerboardGround();
  const result = varyTexture([{ slot: 'color', kind: 'color', image: exemplar }], { count: 2, seed: 1 });
  const images = result.variants.map((v) => v.maps[0].image);

  it('the exemplar is the case: it repeats under (128, 128) and not along the axes', () => {
    expect(repeatError(exemplar, TILE, TILE)).toBeLessThan(0.5);
    expect(repeatError(exemplar, TILE, 0)).toBeGreaterThan(5);
    const lattice = detectLattice(exemplar)!;
    expect(lattice.a).toEqual([TILE, TILE]);
    expect(torusLattice(lattice, SIDE, SIDE)).toEqual({ p: SIDE, s: TILE, q: TILE });
    expect(skewedCell(lattice, exemplar, SIDE, SIDE)).toEqual({ width: SIDE, height: TILE, shear: 1 });
  });

  it('variants are not shifted copies of the exemplar, nor of each other', () => {
    for (const img of images) expect(maxCyclicNcc(img, exemplar).max).toBeLessThanOrEqual(0.6);
    expect(maxCyclicNcc(images[0], images[1]).max).toBeLessThanOrEqual(0.6);
  });

  it('variants keep the repeat and tile', () => {
    for (const img of images) {
      expect(repeatError(img, TILE, TILE)).toBeLessThan(0.5);
      expect(wrapEdgeRatio(img)).toBeLessThanOrEqual(1.2);
    }
  });

  it('an output size the sheared cell cannot tile falls back to the lattice (no error)', () => {
    const lattice = detectLattice(exemplar)!;
    expect(skewedCell(lattice, exemplar, SIDE, 3 * TILE)).toBeUndefined();
  });
});
