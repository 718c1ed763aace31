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

/** The projection of RGB planes (0..1, made once per image: not once per direction) onto `dir`, sorted. */
function sortedProjection([r, g, b]: Float64Array[], dir: number[]): Float64Array {
  const out = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) out[i] = r[i] * dir[0] + g[i] * dir[1] + b[i] * dir[2];
  return out.sort();
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < sorted.length ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
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
    const pa = sortedProjection(planesA, dir);
    const pb = sortedProjection(planesB, dir);
    let sum = 0;
    for (let q = 0; q < quantiles; q++) {
      const t = (q + 0.5) / quantiles;
      sum += Math.abs(quantile(pa, t) - quantile(pb, t));
    }
    total += sum / quantiles;
  }
  return total / directions;
}
