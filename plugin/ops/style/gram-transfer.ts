/**
 * Style by Gram matching of random-filter features (method "gram"): Gatys et al.'s texture loss with
 * the pretrained VGG replaced by random 3x3 filters at five dilations (Ustyuzhaninov et al. 2017),
 * minimised by Adam from the input itself, plus a content term that holds the input's coarse
 * luminance. The loss and its gradient run as one ONNX graph (gram-session.ts); everything here is
 * wrap-around when the texture tiles.
 *
 * Cost grows with texels x iterations, so the optimisation runs on a grid of at most WORK_SIZE texels
 * a side (area-averaged), and the change it makes is enlarged back onto the full texture: detail finer
 * than the work grid stays the input's.
 */

import { smoothDilated } from './band-stack';
import { evaluateGram, GRAM_DILATIONS, type RandomFilters } from './gram-session';
import type { ColourPlanes } from './planes';
import { gaussian, type Random } from './random';
import { enlarge, shrink } from './resize';

export interface GramTransferOptions {
  wrap: boolean;
  mask?: Uint8Array;
  referenceMask?: Uint8Array;
  /** Adam steps. Default 60. */
  iterations?: number;
  /** Largest side of the optimisation grid. Default 256. */
  workSize?: number;
  /** Weight of the coarse-luminance content term (relative to the variance-normalised error). Default 0.5. */
  contentWeight?: number;
}

const FILTERS = 24;
/** Smallest side the graph's widest dilation (16, wrap-padded) can take. */
const MIN_SIDE = 17;
const LUMA = [0.299, 0.587, 0.114];

export async function gramTransfer(input: ColourPlanes, reference: ColourPlanes, random: Random, options: GramTransferOptions): Promise<ColourPlanes> {
  const workSize = options.workSize ?? 256;
  const iterations = options.iterations ?? 60;
  const contentWeight = options.contentWeight ?? 0.5;
  const f = Math.max(1, Math.ceil(Math.max(input.width, input.height) / workSize));
  const small = shrink(input, f, options.wrap);
  const rf = Math.max(1, Math.ceil(Math.max(reference.width, reference.height) / workSize));
  const ref = shrink(reference, rf, true);
  for (const [what, p] of [['texture', small], ['reference', ref]] as const) {
    if (Math.min(p.width, p.height) < MIN_SIDE) throw new Error(`${what} is too small for the gram method (${p.width}x${p.height} at the work size; use method "stats")`);
  }
  const filters = randomFilters(random);
  // Both images are centred on the reference's mean colour so the ReLUs cut at the same place.
  const mean = ref.planes.map((p) => p.reduce((s, v) => s + v, 0) / p.length);
  const refX = chw(ref, mean);
  const targets = (await evaluateGram(refX, ref.width, ref.height, filters, new Float32Array(GRAM_DILATIONS * FILTERS * FILTERS))).grams;

  const x0 = chw(small, mean);
  const x = x0.slice();
  const n = small.width * small.height;
  const content = coarseLuma(x0, small.width, small.height, options.wrap);
  let variance = 0;
  const cMean = content.reduce((s, v) => s + v, 0) / n;
  for (let i = 0; i < n; i++) variance += (content[i] - cMean) ** 2;
  variance = Math.max(variance / n, 1e-4);

  // Adam on the texels (lr in 0..1 colour units per step).
  const lr = 0.03;
  const m = new Float32Array(x.length);
  const v = new Float32Array(x.length);
  const b1 = 0.9;
  const b2 = 0.999;
  for (let t = 1; t <= iterations; t++) {
    const { grad } = await evaluateGram(x, small.width, small.height, filters, targets);
    addContentGradient(grad, x, content, small.width, small.height, (contentWeight * 2) / (n * variance), options.wrap);
    const c1 = 1 - b1 ** t;
    const c2 = 1 - b2 ** t;
    for (let i = 0; i < x.length; i++) {
      const g = grad[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      x[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + 1e-8);
      const lo = -mean[Math.floor(i / n)];
      if (x[i] < lo) x[i] = lo;
      else if (x[i] > lo + 1) x[i] = lo + 1;
    }
  }

  // The change, enlarged onto the full texture.
  const delta: ColourPlanes = { width: small.width, height: small.height, planes: [0, 1, 2].map((c) => x.subarray(c * n, (c + 1) * n).map((val, i) => val - x0[c * n + i])) };
  const up = enlarge(delta, f, input.width, input.height, options.wrap);
  return { width: input.width, height: input.height, planes: input.planes.map((p, c) => p.map((val, i) => val + up.planes[c][i])) };
}

/** Random unit-norm 3x3 RGB filters per dilation, zero bias, and their flipped transposes. */
function randomFilters(random: Random): RandomFilters {
  const D = GRAM_DILATIONS;
  const C = FILTERS;
  const w = new Float32Array(D * C * 27);
  for (let k = 0; k < D * C; k++) {
    let norm = 0;
    for (let j = 0; j < 27; j++) norm += (w[k * 27 + j] = gaussian(random)) ** 2;
    norm = Math.sqrt(norm);
    for (let j = 0; j < 27; j++) w[k * 27 + j] /= norm;
  }
  const wt = new Float32Array(w.length);
  for (let d = 0; d < D; d++) {
    for (let o = 0; o < C; o++) {
      for (let i = 0; i < 3; i++) {
        for (let ky = 0; ky < 3; ky++) {
          for (let kx = 0; kx < 3; kx++) {
            wt[((((d * 3 + i) * C + o) * 3 + ky) * 3) + kx] = w[((((d * C + o) * 3 + i) * 3 + (2 - ky)) * 3) + (2 - kx)];
          }
        }
      }
    }
  }
  return { count: C, w, wt, b: new Float32Array(D * C) };
}

/** [3, H, W] floats, each channel minus `mean`. */
function chw(p: ColourPlanes, mean: number[]): Float32Array {
  const n = p.width * p.height;
  const out = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) for (let i = 0; i < n; i++) out[c * n + i] = p.planes[c][i] - mean[c];
  return out;
}

/** Luma smoothed by three à-trous steps (structure above ~8 texels at the work grid). */
function coarseLuma(x: Float32Array, width: number, height: number, wrap: boolean): Float32Array {
  const n = width * height;
  let y: Float32Array = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = LUMA[0] * x[i] + LUMA[1] * x[n + i] + LUMA[2] * x[2 * n + i];
  for (const step of [1, 2, 4]) y = smoothDilated(y, width, height, step, wrap);
  return y;
}

/** grad += scale * dS^T (S(luma x) - content), spread over RGB by the luma weights (S is symmetric). */
function addContentGradient(grad: Float32Array, x: Float32Array, content: Float32Array, width: number, height: number, scale: number, wrap: boolean): void {
  const n = width * height;
  const now = coarseLuma(x, width, height, wrap);
  let r: Float32Array = new Float32Array(n);
  for (let i = 0; i < n; i++) r[i] = now[i] - content[i];
  for (const step of [4, 2, 1]) r = smoothDilated(r, width, height, step, wrap);
  for (let c = 0; c < 3; c++) for (let i = 0; i < n; i++) grad[c * n + i] += scale * LUMA[c] * r[i];
}
