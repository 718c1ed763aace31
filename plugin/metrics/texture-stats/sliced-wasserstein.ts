/**
 * Distance between the colour distributions of two textures: the sliced Wasserstein-1 distance of
 * their RGB values (0..1), averaged over fixed random directions. Position-free: it sees palette and
 * contrast, not layout. Images of different sizes are compared at the same quantiles.
 */

import type { RawImage } from '../../types';
import { rgbPlanes } from './planes';
import { gaussian, seededRandom } from './seeded-random';

export interface SlicedWassersteinOptions {
  /** Random unit directions in RGB. Default 32. */
  directions?: number;
  /** Quantiles compared per direction. Default 256. */
  quantiles?: number;
  /** Seed of the directions. Default 1. */
  seed?: number;
}

/** The projection of RGB planes (0..1, made once per image: not once per direction) onto `dir`. */
function projection([r, g, b]: Float64Array[], dir: number[]): Float64Array {
  const out = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) out[i] = r[i] * dir[0] + g[i] * dir[1] + b[i] * dir[2];
  return out;
}

/**
 * The `quantiles` evenly spaced quantiles (midpoints (q + 0.5) / quantiles, linear between order
 * statistics) of `values` — exactly what sorting all of them and interpolating gives, without the full
 * sort: the values are spread into ~n/8 buckets by value (a monotone map, so bucket order is value
 * order), and only the buckets holding a wanted rank are sorted. The sort was most of the run-time
 * self-check's cost (self-check.ts).
 */
function quantilesOf(values: Float64Array, quantiles: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(quantiles);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const buckets = Math.max(1, n >> 3);
  const scale = max > min ? buckets / (max - min) : 0;
  const bucket = new Int32Array(n);
  const start = new Int32Array(buckets + 1);
  for (let i = 0; i < n; i++) {
    const b = Math.min(buckets - 1, Math.floor((values[i] - min) * scale));
    bucket[i] = b;
    start[b + 1]++;
  }
  for (let k = 0; k < buckets; k++) start[k + 1] += start[k];
  const fill = start.slice(0, buckets);
  const grouped = new Float64Array(n);
  for (let i = 0; i < n; i++) grouped[fill[bucket[i]]++] = values[i];
  const sorted = new Uint8Array(buckets);
  let k = 0;
  // The value of rank r in sorted order (ranks asked in increasing order: the bucket index only moves on).
  const rank = (r: number): number => {
    while (start[k + 1] <= r) k++;
    if (!sorted[k]) {
      grouped.subarray(start[k], start[k + 1]).sort();
      sorted[k] = 1;
    }
    return grouped[r];
  };
  for (let q = 0; q < quantiles; q++) {
    const pos = ((q + 0.5) / quantiles) * (n - 1);
    const i = Math.floor(pos);
    const f = pos - i;
    out[q] = i + 1 < n ? rank(i) * (1 - f) + rank(i + 1) * f : rank(i);
  }
  return out;
}

/**
 * @example slicedWasserstein(variant, exemplar) // 0 for the same palette; ~0.1-0.3 for different materials
 */
export function slicedWasserstein(a: RawImage, b: RawImage, options: SlicedWassersteinOptions = {}): number {
  const directions = options.directions ?? 32;
  const quantiles = options.quantiles ?? 256;
  const random = seededRandom(options.seed ?? 1);
  const planesA = rgbPlanes(a).map((p) => p.data);
  const planesB = rgbPlanes(b).map((p) => p.data);
  let total = 0;
  for (let d = 0; d < directions; d++) {
    const v = [gaussian(random), gaussian(random), gaussian(random)];
    const len = Math.hypot(v[0], v[1], v[2]) || 1;
    const dir = v.map((x) => x / len);
    const qa = quantilesOf(projection(planesA, dir), quantiles);
    const qb = quantilesOf(projection(planesB, dir), quantiles);
    let sum = 0;
    for (let q = 0; q < quantiles; q++) sum += Math.abs(qa[q] - qb[q]);
    total += sum / quantiles;
  }
  return total / directions;
}
