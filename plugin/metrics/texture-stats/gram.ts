/**
 * Gram-matrix distance of multi-scale random-filter features: the CNN-free stand-in for Gatys' VGG
 * Gram loss, after Ustyuzhaninov et al. 2017 (random single-layer filters at several scales already
 * capture much of what a texture "is"). Per scale of a 2x box pyramid: FILTERS fixed random 5x5x3
 * zero-mean filters (seeded), ReLU, Gram matrix over valid (unpadded) positions; distance is the
 * relative Frobenius error ||G_a - G_b|| / ||G_b|| averaged over scales (b is the reference).
 *
 * `wrap` (tiling images, eval-vary): the default is not shift-invariant, for two reasons. Its windows are
 * 'valid' (unpadded), so texels near the image edge are seen by fewer windows — a panel whose frame lies on
 * the edge loses most of the frame's features (at scale 3 a window spans 40 texels), while a cyclic shift
 * of the same image, with the frame moved inside, counts them fully. And the 2x box pyramid reads one
 * phase of 2^s: a shift by an odd number of texels groups other texel pairs. With `wrap` the image is read
 * as the torus a tiling texture is: windows wrap around the edges (every texel seen equally often), and
 * every scale averages all 2^s x 2^s phases of the pyramid — a Gaussian-free "stack": the 2^s box mean at
 * every texel, filter taps 2^s apart — which is the average of the decimated pyramid's Gram over its
 * phases. A cyclic shift of the image then gives the same Gram matrices (exactly, when the shift is a
 * multiple of the position stride: 1 up to 256² texels, 2 up to 512², ...). Without wrap, `phases: 'all'`
 * gives the same all-phase stack with valid windows only (for crops, which do not tile).
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
  /**
   * The image tiles: windows wrap around its edges, and every pyramid phase is read (implies
   * `phases: 'all'`). Default false (valid windows; style's figures).
   */
  wrap?: boolean;
  /**
   * 'one': the decimated 2x box pyramid at phase 0 (default); 'all': every phase (the box stack, taps 2^s
   * apart), the Gram matrix averaged over them.
   */
  phases?: 'one' | 'all';
  /**
   * Most window positions read per scale (a regular grid of them; the Gram matrix is an average over
   * positions). Default 65536: every position of a 256² image. Fewer is a cheaper estimate (vary's run-time
   * check reads 8192, about a ninth of the work on a 256² image); given, each position is drawn at a hashed place
   * in its grid cell (stratified), not the cell's corner.
   */
  positions?: number;
  /** With `positions`: another draw of the hashed places (default 0). */
  salt?: number;
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

/**
 * The next level of the box stack: the mean of four texels `d` apart, at every texel (level s holds the
 * 2^s x 2^s box mean of the image at every position). Cyclic with `wrap`; else it shrinks by d.
 */
function boxStack(p: Planes3, d: number, wrap: boolean): Planes3 {
  const width = wrap ? p.width : Math.max(0, p.width - d);
  const height = wrap ? p.height : Math.max(0, p.height - d);
  const data = p.data.map((src) => {
    const out = new Float64Array(width * height);
    for (let y = 0; y < height; y++) {
      const r0 = y * p.width;
      const r1 = ((y + d) % p.height) * p.width;
      for (let x = 0; x < width; x++) {
        const x1 = (x + d) % p.width;
        out[y * width + x] = (src[r0 + x] + src[r0 + x1] + src[r1 + x] + src[r1 + x1]) / 4;
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
  const wrap = options.wrap ?? false;
  const stack = wrap || options.phases === 'all';
  let level: Planes3 = { data: rgbPlanes(image).map((p) => p.data), width: image.width, height: image.height };
  const grams: Float64Array[] = [];
  const patch = new Float64Array(TAPS);
  for (let s = 0; s < scales; s++) {
    if (s > 0) level = stack ? boxStack(level, 2 ** (s - 1), wrap) : half(level);
    const bank = filterBank(seed, s);
    // Taps `step` texels apart: 1 on the decimated pyramid, 2^s on the stack (the same texels as one phase
    // of the pyramid). With wrap every texel is a window's corner.
    const step = stack ? 2 ** s : 1;
    const vw = wrap ? level.width : level.width - (K - 1) * step;
    const vh = wrap ? level.height : level.height - (K - 1) * step;
    const plain = !wrap && step === 1;
    const g = new Float64Array(GRAM_FILTERS * GRAM_FILTERS);
    if (vw < 1 || vh < 1) { grams.push(g); continue; }
    const feat = new Float64Array(GRAM_FILTERS);
    const { width } = level;
    const [r, gr, b] = level.data;
    // A regular grid of at most ~MAX_POSITIONS positions: the Gram matrix is an average, and this keeps
    // a 2048² texture from costing 16x a 512² one.
    const stride = Math.max(1, Math.ceil(Math.sqrt((vw * vh) / (options.positions ?? MAX_POSITIONS))));
    // With `positions`: one position per stride x stride cell at a hashed place in it (stratified), not the cell's
    // corner: a regular grid aliases with a lattice whose period shares a factor with the stride (a window grid's
    // shifted copy read 3.8x the all-positions distance).
    const jitter = options.positions !== undefined && stride > 1;
    let n = 0;
    for (let y0 = 0; y0 < vh; y0 += stride) {
      for (let x0 = 0; x0 < vw; x0 += stride) {
        n++;
        let x = x0;
        let y = y0;
        if (jitter) {
          const h = Math.imul(x0 + 1, 73856093) ^ Math.imul(y0 + 1, 19349663) ^ Math.imul(s + 1, 83492791) ^ Math.imul(options.salt ?? 0, 2654435761);
          const u = (h >>> 0) % (stride * stride);
          x = Math.min(vw - 1, x0 + (u % stride));
          y = Math.min(vh - 1, y0 + Math.floor(u / stride));
        }
        // The window read once into `patch` (plane, row, column), then each filter summed over it in that
        // same order: the same sums, term for term, as a filter-by-filter walk over the planes, at about
        // half the time (one read of the image per position instead of one per filter).
        if (plain) {
          gather(r, width, x, y, patch, 0);
          gather(gr, width, x, y, patch, K * K);
          gather(b, width, x, y, patch, 2 * K * K);
        } else {
          gatherSpaced(r, level, x, y, step, patch, 0);
          gatherSpaced(gr, level, x, y, step, patch, K * K);
          gatherSpaced(b, level, x, y, step, patch, 2 * K * K);
        }
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

/** The K x K taps `step` apart from (x, y), row by row, into `patch` from `at`; indices wrap around the level. */
function gatherSpaced(src: Float64Array, level: Planes3, x: number, y: number, step: number, patch: Float64Array, at: number): void {
  const { width, height } = level;
  for (let dy = 0, t = at; dy < K; dy++) {
    const row = ((y + dy * step) % height) * width;
    for (let dx = 0; dx < K; dx++, t++) patch[t] = src[row + ((x + dx * step) % width)];
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
