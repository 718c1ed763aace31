/**
 * Gram-matrix distance of multi-scale random-filter features: the CNN-free stand-in for Gatys' VGG
 * Gram loss, after Ustyuzhaninov et al. 2017 (random single-layer filters at several scales already
 * capture much of what a texture "is"). Per scale of a 2x box pyramid: FILTERS fixed random 5x5x3
 * zero-mean filters (seeded), ReLU, Gram matrix over valid (unpadded) positions; distance is the
 * relative Frobenius error ||G_a - G_b|| / ||G_b|| averaged over scales (b is the reference).
 */

import type { RawImage } from '../../types';
import { rgbPlanes } from './planes';
import { gaussian, seededRandom } from './seeded-random';

export const GRAM_SCALES = 4;
export const GRAM_FILTERS = 16;
const K = 5;
const MAX_POSITIONS = 65536;

export interface GramOptions {
  /** Pyramid levels. Default GRAM_SCALES (4: 5x5 filters see 5, 10, 20, 40 texels). */
  scales?: number;
  /** Seed of the filters. Default 7. */
  seed?: number;
}

type Planes3 = { data: Float64Array[]; width: number; height: number };

function half(p: Planes3): Planes3 {
  const width = Math.floor(p.width / 2);
  const height = Math.floor(p.height / 2);
  const data = p.data.map((src) => {
    const out = new Float64Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const s = 2 * y * p.width + 2 * x;
        out[y * width + x] = (src[s] + src[s + 1] + src[s + p.width] + src[s + p.width + 1]) / 4;
      }
    }
    return out;
  });
  return { data, width, height };
}

/** Taps per filter: 3 colour planes x K x K. */
const TAPS = 3 * K * K;

/**
 * The scale's FILTERS random zero-mean unit filters, one after another (filter f at f * TAPS), each in
 * the order its taps are summed: plane, row, column.
 */
function filterBank(seed: number, scale: number): Float64Array {
  const random = seededRandom(seed * 1000 + scale);
  const bank = new Float64Array(GRAM_FILTERS * TAPS);
  for (let f = 0; f < GRAM_FILTERS; f++) {
    const w = new Float64Array(TAPS);
    let mean = 0;
    for (let i = 0; i < w.length; i++) { w[i] = gaussian(random); mean += w[i]; }
    mean /= w.length;
    let norm = 0;
    for (let i = 0; i < w.length; i++) { w[i] -= mean; norm += w[i] * w[i]; }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < w.length; i++) bank[f * TAPS + i] = w[i] / norm;
  }
  return bank;
}

/** Gram matrices (FILTERS² each, row-major) per scale. */
export function gramMatrices(image: RawImage, options: GramOptions = {}): Float64Array[] {
  const scales = options.scales ?? GRAM_SCALES;
  const seed = options.seed ?? 7;
  let level: Planes3 = { data: rgbPlanes(image).map((p) => p.data), width: image.width, height: image.height };
  const grams: Float64Array[] = [];
  const patch = new Float64Array(TAPS);
  for (let s = 0; s < scales; s++) {
    if (s > 0) level = half(level);
    const bank = filterBank(seed, s);
    const vw = level.width - K + 1;
    const vh = level.height - K + 1;
    const g = new Float64Array(GRAM_FILTERS * GRAM_FILTERS);
    if (vw < 1 || vh < 1) { grams.push(g); continue; }
    const feat = new Float64Array(GRAM_FILTERS);
    const { width } = level;
    const [r, gr, b] = level.data;
    // A regular grid of at most ~MAX_POSITIONS positions: the Gram matrix is an average, and this keeps
    // a 2048² texture from costing 16x a 512² one.
    const stride = Math.max(1, Math.ceil(Math.sqrt((vw * vh) / MAX_POSITIONS)));
    let n = 0;
    for (let y = 0; y < vh; y += stride) {
      for (let x = 0; x < vw; x += stride) {
        n++;
        // The window read once into `patch` (plane, row, column), then each filter summed over it in that
        // same order: the same sums, term for term, as a filter-by-filter walk over the planes, at about
        // half the time (one read of the image per position instead of one per filter).
        gather(r, width, x, y, patch, 0);
        gather(gr, width, x, y, patch, K * K);
        gather(b, width, x, y, patch, 2 * K * K);
        for (let f = 0, o = 0; f < GRAM_FILTERS; f++) {
          let acc = 0;
          for (let t = 0; t < TAPS; t += 5, o += 5) {
            acc += bank[o] * patch[t];
            acc += bank[o + 1] * patch[t + 1];
            acc += bank[o + 2] * patch[t + 2];
            acc += bank[o + 3] * patch[t + 3];
            acc += bank[o + 4] * patch[t + 4];
          }
          feat[f] = acc > 0 ? acc : 0;
        }
        for (let i = 0; i < GRAM_FILTERS; i++) {
          const fi = feat[i];
          if (fi === 0) continue;
          const row = i * GRAM_FILTERS;
          for (let j = i; j < GRAM_FILTERS; j++) g[row + j] += fi * feat[j];
        }
      }
    }
    for (let i = 0; i < GRAM_FILTERS; i++) {
      for (let j = i; j < GRAM_FILTERS; j++) {
        g[i * GRAM_FILTERS + j] /= n;
        g[j * GRAM_FILTERS + i] = g[i * GRAM_FILTERS + j];
      }
    }
    grams.push(g);
  }
  return grams;
}

/** The K x K window of `src` at (x, y), row by row, into `patch` from `at`. */
function gather(src: Float64Array, width: number, x: number, y: number, patch: Float64Array, at: number): void {
  for (let dy = 0, t = at; dy < K; dy++, t += K) {
    const row = (y + dy) * width + x;
    patch[t] = src[row];
    patch[t + 1] = src[row + 1];
    patch[t + 2] = src[row + 2];
    patch[t + 3] = src[row + 3];
    patch[t + 4] = src[row + 4];
  }
}

/** Distance between precomputed Gram matrices (b the reference). */
export function gramDistanceOf(ga: Float64Array[], gb: Float64Array[]): number {
  let total = 0;
  for (let s = 0; s < ga.length; s++) {
    let diff = 0;
    let ref = 0;
    for (let i = 0; i < ga[s].length; i++) {
      diff += (ga[s][i] - gb[s][i]) ** 2;
      ref += gb[s][i] ** 2;
    }
    total += Math.sqrt(diff) / (Math.sqrt(ref) || 1);
  }
  return total / ga.length;
}

/**
 * @example gramDistance(variant, exemplar) // 0 = same feature statistics; ~1 = unrelated material
 */
export function gramDistance(a: RawImage, b: RawImage, options: GramOptions = {}): number {
  return gramDistanceOf(gramMatrices(a, options), gramMatrices(b, options));
}
