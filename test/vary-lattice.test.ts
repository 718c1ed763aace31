/**
 * Texture Multiplier on perfectly periodic exemplars (plugin/ops/vary/period-cell.ts): a texture made of
 * 2x2 copies of one tile used to give only shifted copies (every lattice step of a periodic image is the
 * image again). Its variants must keep the period and the tile's grid (grout at the same place in every
 * cell) and yet not be a cyclic shift of the exemplar, nor of each other.
 */
import { maxCyclicNcc, wrapEdgeRatio } from '../plugin/metrics/texture-stats';
import { detectLattice, varyTexture } from '../plugin/ops/vary';
import { hashRandom } from '../plugin/ops/vary/hash-random';
import type { RawImage } from '../plugin/types';

const CELL = 64;

/** 2x2 copies of one 64² tile: dark grout across the tile's middle row and column, grey noise elsewhere. */
function tiledExemplar(): RawImage {
  const w = 2 * CELL;
  const data = new Uint8Array(w * w * 3);
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < w; x++) {
      const cx = x % CELL;
      const cy = y % CELL;
      const grout = Math.abs(cx - 32) < 2 || Math.abs(cy - 32) < 2;
      const n = Math.floor(hashRandom(5, 0, cx, cy) * 80);
      const v = grout ? 30 : 110 + n;
      data.set([v, v, grout ? 40 : v - 10], (y * w + x) * 3);
    }
  }
  return { data, width: w, height: w, channels: 3 };
}

describe('varyTexture on a perfectly periodic exemplar', () => {
  const exemplar = tiledExemplar();
  const { variants, lattice } = varyTexture([{ slot: 'color', kind: 'color', image: exemplar }], { count: 2, seed: 4 });

  it('finds the tile as the lattice', () => {
    expect(lattice).toBeDefined();
    expect(detectLattice(exemplar)).toEqual(lattice);
    const periods = [lattice!.a, lattice!.b].map(([x, y]) => Math.hypot(x, y)).sort();
    expect(periods).toEqual([CELL, CELL]);
  });

  it('keeps the period and the grout grid: the same cell repeats and the grout lines stay straight', () => {
    const w = exemplar.width;
    for (const v of variants) {
      const img = v.maps[0].image;
      for (let y = 0; y < w; y++) {
        for (let x = 0; x < w; x++) {
          const i = (y * w + x) * 3;
          const j = (((y + CELL) % w) * w + ((x + CELL) % w)) * 3;
          expect(img.data[i]).toBe(img.data[j]);
        }
      }
      // The output may be rolled as a whole (the wrap goes on its most coherent line): find the grid's offset.
      const isDark = (x: number, y: number) => img.data[(y * w + x) * 3] < 70;
      const inBand = (v: number, o: number) => Math.abs(((v + o) % CELL) - 32) < 2;
      const bestOffset = (vertical: boolean) => {
        let best = 0;
        let bestDark = -1;
        for (let o = 0; o < CELL; o++) {
          let d = 0;
          for (let u = 0; u < w; u++) for (let t = 0; t < w; t++) if (inBand(u, o) && (vertical ? isDark(u, t) : isDark(t, u))) d++;
          if (d > bestDark) { bestDark = d; best = o; }
        }
        return best;
      };
      const ox = bestOffset(true);
      const oy = bestOffset(false);
      let grout = 0;
      let dark = 0;
      for (let y = 0; y < w; y++) {
        for (let x = 0; x < w; x++) {
          if (!inBand(x, ox) && !inBand(y, oy)) continue;
          grout++;
          if (isDark(x, y)) dark++;
        }
      }
      expect(dark / grout).toBeGreaterThan(0.85);
      expect(wrapEdgeRatio(img)).toBeLessThanOrEqual(1.2);
    }
  });

  // A shifted copy scores 1 (what lattice steps alone gave); white noise inside a kept grid cannot go far
  // below the grid's share of the variance.
  it('is not a cyclic shift of the exemplar nor of another variant', () => {
    for (const v of variants) expect(maxCyclicNcc(v.maps[0].image, exemplar).max).toBeLessThan(0.8);
    expect(maxCyclicNcc(variants[0].maps[0].image, variants[1].maps[0].image).max).toBeLessThan(0.8);
  });

  it('is reproducible by seed', () => {
    const again = varyTexture([{ slot: 'color', kind: 'color', image: exemplar }], { count: 2, seed: 4 });
    expect(Buffer.from(again.variants[1].maps[0].image.data).equals(Buffer.from(variants[1].maps[0].image.data))).toBe(true);
  });
});

describe('varyTexture with lockBands on a banded panel', () => {
  it('keeps every band in place (one vertical roll for the whole output) and varies along the bands', () => {
    const w = 128;
    const data = new Uint8Array(w * w * 3);
    for (let y = 0; y < w; y++) {
      // bands of different heights and tones, fine noise along them
      const band = y < 20 ? 40 : y < 30 ? 200 : y < 90 ? 110 : y < 100 ? 230 : 70;
      for (let x = 0; x < w; x++) {
        const v = band + Math.floor(hashRandom(8, 1, x, y) * 30);
        data.set([v, v, v], (y * w + x) * 3);
      }
    }
    const image: RawImage = { data, width: w, height: w, channels: 3 };
    const free = varyTexture([{ slot: 'color', kind: 'color', image }], { count: 1, seed: 2 }).variants[0].coords;
    const locked = varyTexture([{ slot: 'color', kind: 'color', image }], { count: 1, seed: 2, lockBands: true }).variants[0].coords;
    const rowShifts = (c: typeof free) => new Set(Array.from(c.y, (sy, i) => (sy - Math.floor(i / w) + w) % w));
    expect(rowShifts(locked).size).toBe(1);
    expect(rowShifts(free).size).toBeGreaterThan(1);
    // along the bands the content is new: not one horizontal shift
    expect(new Set(Array.from(locked.x, (sx, i) => (sx - (i % w) + w) % w)).size).toBeGreaterThan(1);
  });
});
