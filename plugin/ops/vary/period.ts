/**
 * Lattice detection for structured textures (bricks, tiles, planks): peaks of the luma
 * autocorrelation (computed cyclically by FFT). A peak is a shift at which the texture resembles
 * itself strongly (normalised autocorrelation ≥ MIN_PEAK) and which beats its surroundings; the
 * shortest peak vector is the first period, the shortest one not parallel to it the second (a running
 * bond gives (w, 0) and (w/2, h)). One period only (planks) leaves the other direction free.
 */

import { fft2d, lumaSpectrum } from '../../metrics/texture-stats';
import type { RawImage } from '../../types';
import { CELL_SHARE, mod } from './period-cell';
import type { Lattice } from './types';

/** Autocorrelation a lattice peak must reach (1 = the texture repeats exactly). */
export const MIN_PEAK = 0.35;
/** Shortest period considered, in texels (shorter "periods" are fine grain, not structure). */
const MIN_PERIOD = 2;
/** Fewest repeats of a period across the exemplar for it to count as a lattice. */
const MIN_REPEATS = 2;
/** Share of the strongest peak's autocorrelation a lattice vector needs. */
const STRONG_SHARE = 0.8;

/** Normalised cyclic autocorrelation of the luma, shift (0,0) = 1. */
export function autocorrelation(image: RawImage): { data: Float64Array; width: number; height: number } {
  const { re, im, width, height } = lumaSpectrum(image);
  for (let i = 0; i < re.length; i++) {
    re[i] = re[i] * re[i] + im[i] * im[i];
    im[i] = 0;
  }
  fft2d({ re, im }, width, height, true);
  const zero = re[0] || 1;
  for (let i = 0; i < re.length; i++) re[i] /= zero;
  return { data: re, width, height };
}

/** The texture's lattice, or undefined for an organic texture. */
export function detectLattice(image: RawImage): Lattice | undefined {
  const { data, width, height } = autocorrelation(image);
  const peaks: { x: number; y: number; r: number; len: number }[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r = data[y * width + x];
      if (r < MIN_PEAK) continue;
      const sx = x > width / 2 ? x - width : x;
      const sy = y > height / 2 ? y - height : y;
      const len = Math.hypot(sx, sy);
      // At least MIN_REPEATS periods across the exemplar along the vector's axis: a texture made of
      // 2x2 copies of one tile is varied inside the tile, not shuffled as whole tiles.
      if (len < MIN_PERIOD || Math.abs(sx) * MIN_REPEATS > width || Math.abs(sy) * MIN_REPEATS > height) continue;
      let isMax = true;
      for (let dy = -1; dy <= 1 && isMax; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          if (!dx && !dy) continue;
          if (data[((y + dy + height) % height) * width + ((x + dx + width) % width)] > r) { isMax = false; break; }
        }
      }
      // A peak must stand out from the valley halfway to it: otherwise it is the flank of the
      // central lobe (smooth organic texture), not a repeat.
      const valley = data[((Math.round(sy / 2) + height) % height) * width + ((Math.round(sx / 2) + width) % width)];
      if (isMax && r - valley > 0.15) peaks.push({ x: sx, y: sy, r, len });
    }
  }
  if (!peaks.length) return undefined;
  // Only the strong repeats define the lattice: a running bond also correlates at one course down
  // (the horizontal mortar lines align), but less than at the true period (16,16).
  const strongest = Math.max(...peaks.map((p) => p.r));
  const strong = peaks.filter((p) => p.r >= STRONG_SHARE * strongest);
  strong.sort((p, q) => p.len - q.len || q.r - p.r);
  const a = strong[0];
  const b = strong.find((p) => Math.abs(a.x * p.y - a.y * p.x) >= 0.5 * a.len * p.len);
  const norm = (p: { x: number; y: number }): [number, number] => (p.x < 0 || (p.x === 0 && p.y < 0) ? [-p.x, -p.y] : [p.x, p.y]);
  if (b) {
    const stripes = ridgeLattice(data, width, height, a, b);
    if (stripes) return stripes;
  }
  return {
    a: norm(a),
    b: b ? norm(b) : [0, 0],
    strength: b ? Math.min(a.r, b.r) : a.r,
  };
}

/**
 * Stripes (ribs, a ribbed roof): the autocorrelation is a ridge, (nearly) constant along the stripes, and
 * two points on it (128,1) and (128,-75) read as a skewed lattice with long steps, in which every layout
 * was one translate of the exemplar (set 10). When the texture resembles itself all along the shift b - a
 * (every texel of the segment from 0 to b - a at STRONG_SHARE of the lattice's strength or more), it is
 * one period across the stripes: the component of a perpendicular to them, with the direction along the
 * stripes free (snapToLattice), so content moves along the stripes and the stripes stay straight.
 */
function ridgeLattice(data: Float64Array, width: number, height: number, a: { x: number; y: number; r: number; len: number }, b: { x: number; y: number; r: number }): Lattice | undefined {
  // Coarse stripes only (a step across them of CELL_SHARE of the exemplar or more), where the lattice's
  // long steps left no layout but a translate. Finer stripes already vary in lattice mode (tuning: 16-51 px
  // grooves and ribs at NCC 0.32-0.80), and a one-period lattice on an exemplar that does not tile is
  // dropped (vary-texture.ts): 16-px ribs grown freely were wavy.
  if (a.len < CELL_SHARE * Math.min(width, height)) return undefined;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const n = Math.round(Math.hypot(dx, dy));
  const strength = Math.min(a.r, b.r);
  for (let t = 1; t <= n; t++) {
    const x = Math.round((dx * t) / n);
    const y = Math.round((dy * t) / n);
    if (data[mod(y, height) * width + mod(x, width)] < STRONG_SHARE * strength) return undefined;
  }
  // a's component across the stripes
  const along = (a.x * dx + a.y * dy) / (dx * dx + dy * dy);
  let px = Math.round(a.x - along * dx);
  let py = Math.round(a.y - along * dy);
  if (px < 0 || (px === 0 && py < 0)) { px = -px; py = -py; }
  if (Math.hypot(px, py) < MIN_PERIOD) return undefined;
  // Stripes whose spacing is no period of the exemplar (113 px on 256: the stripes are 113 and 143 px
  // apart) move by whole exemplars across, so a shifted block never puts a stripe where none is. Within
  // 2 % of one (51 px, 5 x 51 = 255 on 256) the spacing stands: a jog of a texel or so.
  const offPeriod = (step: number, size: number) => Math.abs(Math.round(size / step) * step - size) > 0.02 * size;
  if (py === 0 && offPeriod(px, width)) px = width;
  if (px === 0 && offPeriod(py, height)) py = height;
  return { a: [px, py], b: [0, 0], strength: a.r, stripes: true };
}

/**
 * The lattice step nearest to offset (x, y): i·a + j·b with whole i, j. A one-period lattice (b = 0,
 * planks) snaps only along a; the perpendicular component stays free.
 */
export function snapToLattice(x: number, y: number, lattice: Lattice): [number, number] {
  const { a, b } = lattice;
  if (b[0] === 0 && b[1] === 0) {
    const len2 = a[0] * a[0] + a[1] * a[1];
    const t = Math.round((x * a[0] + y * a[1]) / len2);
    const along = (x * a[0] + y * a[1]) / len2;
    // keep the perpendicular part, replace the along part by whole steps
    return [Math.round(x + (t - along) * a[0]), Math.round(y + (t - along) * a[1])];
  }
  const det = a[0] * b[1] - a[1] * b[0];
  const i = Math.round((x * b[1] - y * b[0]) / det);
  const j = Math.round((a[0] * y - a[1] * x) / det);
  return [i * a[0] + j * b[0], i * a[1] + j * b[1]];
}

/** Length of the lattice's shortest non-zero period. */
export function shortestPeriod(lattice: Lattice): number {
  const la = Math.hypot(lattice.a[0], lattice.a[1]);
  const lb = Math.hypot(lattice.b[0], lattice.b[1]);
  return lb > 0 ? Math.min(la, lb) : la;
}
