/**
 * `stats`' luminance moves (statistics-transfer.ts, step 2-3): the coarse luminance raised by a share s of
 * the gap to the transported mean along a tone curve, the finest detail re-made by alternating histogram
 * matching with putting the coarse luminance back, and the bisections that find, per curve, the largest
 * share (and, with room left, contrast gain) whose result keeps the layout (layout-guard.ts).
 *
 * Everything a move reads is plain data (`MoveBasis`), so a worker thread (style-worker.ts) can run one
 * curve's bisection on a copy with the same code and get the same bytes as this thread.
 *
 * @example
 * const moves = lumaMoves(basis);
 * const offset = moves.largest('offset'); // { luma, move: { shift, curve, contrast } }
 */

import { smoothDilated } from './band-stack';
import { layoutGuard } from './layout-guard';
import { opponentToRgbInGamut } from './opponent';
import type { ColourPlanes } from './planes';
import { matchToQuantiles } from './quantiles';

export type ToneCurve = 'offset' | 'ratio';
export interface Move { shift: number; curve: ToneCurve; contrast: number }
export interface Candidate { luma: Float32Array; move: Move }

/** What the moves of one texture are made from (statistics-transfer.ts builds it). */
export interface MoveBasis {
  width: number;
  height: number;
  /** The texture tiles: every filter wraps around. */
  wrap: boolean;
  /** Alternations of histogram matching and putting the coarse luminance back. */
  iterations: number;
  /** The input's coarse luminance under the reference's grain (the unshifted start). */
  start: Float32Array;
  /** The input's luminance above ~2 texels (the coarse part kept). */
  kept: Float32Array;
  /** Quantile functions of the input's luma, the reference's luma and `kept`. */
  qIn: Float32Array;
  qRef: Float32Array;
  qKept: Float32Array;
  /** The transported luma's mean minus the input's. */
  gap: number;
  /** Texels a transparent colour does not reach (they shape the histograms and the layout estimate). */
  bandMask?: Uint8Array;
  /** The colour differences (Cb, Cr) every luma is written under while the moves are sought. */
  chroma: Float32Array[];
  /** The input (RGB planes): the layout the moves keep. */
  input: ColourPlanes;
  /** The layout bound (SSIM¼ and its frame's, against the input). */
  floor: number;
  /** The most of the way a move may go (0..1). */
  top: number;
}

/** Bisection steps over the shift (1/64 resolution) and over the contrast gain. */
const SHIFT_STEPS = 6;
/** The largest coarse contrast gain tried on a texture with room left at the full shift. */
const MAX_CONTRAST = 3;

export interface LumaMoves {
  /** The luminance of a move. */
  lumaFor(move: Move): Float32Array;
  /** A luminance written under colour differences `colour` (default the basis's), as RGB planes (0..1). */
  result(y: Float32Array, colour?: Float32Array[]): ColourPlanes;
  /** Whether a result keeps the layout (SSIM¼ and its frame's ≥ floor). */
  layoutKept(p: ColourPlanes): boolean;
  /** The largest shift (bisection) along `curve` whose result keeps the layout; unshifted when none does. */
  largest(curve: ToneCurve): Candidate;
  /** At the full shift with the offset curve: the largest coarse contrast gain (bisection) that keeps it. */
  largestContrast(): Candidate | undefined;
}

export function lumaMoves(basis: MoveBasis): LumaMoves {
  const { width, height, wrap, iterations, start, kept, qIn, qRef, qKept, gap, bandMask, chroma, top } = basis;
  // The coarse luminance for a shift s (the mean moves s of the gap) along a curve:
  // - 'offset': every texel raised alike (windows of any brightness by the same codes);
  // - 'ratio': k v / (1 + (k - 1) v), k set so the mean moves the same: dark windows move in proportion to
  //   their brightness (SSIM's luminance term sees ratios), bright ones are compressed toward 1, never clipped;
  // then, optionally, its contrast about the new mean scaled by `contrast`.
  // (Float64, as the offset was added before: the offset path gives the same bytes as the fourth pass.)
  const coarseFor = (s: number, curve: ToneCurve, contrast: number): Float64Array => {
    const d = s * gap;
    const coarse = new Float64Array(kept.length);
    if (curve === 'offset') for (let i = 0; i < kept.length; i++) coarse[i] = kept[i] + d;
    else {
      const k = ratioGain(qKept, mean(qKept) + d);
      for (let i = 0; i < kept.length; i++) coarse[i] = ratioCurve(kept[i], k);
    }
    if (contrast !== 1) {
      const m = mean(qKept) + d;
      for (let i = 0; i < coarse.length; i++) coarse[i] = m + contrast * (coarse[i] - m);
    }
    return coarse;
  };
  // The luminance for a move: that coarse luminance with the finest detail re-made by alternating a match to
  // the distribution s of the way to the reference's (displacement interpolation of the quantile functions)
  // with putting the coarse luminance back.
  const lumaFor = (move: Move): Float32Array => {
    const { shift: s, curve, contrast } = move;
    const coarse = coarseFor(s, curve, contrast);
    const target = qIn.map((v, k) => (1 - s) * v + s * qRef[k]);
    let y: Float32Array = new Float32Array(start.length);
    if (curve === 'offset' && contrast === 1) for (let i = 0; i < y.length; i++) y[i] = start[i] + s * gap;
    else for (let i = 0; i < y.length; i++) y[i] = start[i] + coarse[i] - kept[i];
    for (let it = 0; it < iterations; it++) {
      y = matchToQuantiles(y, target, bandMask); // texels a transparent colour reaches do not shape the CDF
      const smooth = smoothDilated(y, width, height, 1, wrap);
      for (let i = 0; i < y.length; i++) y[i] += coarse[i] - smooth[i];
    }
    return y;
  };
  const result = (y: Float32Array, colour = chroma) => opponentToRgbInGamut({ width, height, planes: [y, colour[0], colour[1]] });
  // Texels whose result depends on a transparent neighbour's colour (within the filters' reach) stay out of
  // the estimate too, so that colour cannot tip the choice.
  // Made on first use: a texture too small for the estimate, or a fixed shift, never asks.
  let guard: ((p: ColourPlanes) => boolean) | undefined;
  const layoutKept = (p: ColourPlanes) => (guard ??= layoutGuard(basis.input, basis.floor, { wrap, mask: bandMask }))(p);
  const keeps = (y: Float32Array) => layoutKept(result(y));
  // The unshifted luminance, every curve's fallback: made once, and only when a bisection finds nothing.
  let unshifted: Float32Array | undefined;
  const none = () => (unshifted ??= lumaFor({ shift: 0, curve: 'offset', contrast: 1 }));
  const largest = (curve: ToneCurve): Candidate => {
    const full = lumaFor({ shift: top, curve, contrast: 1 });
    if (keeps(full)) return { luma: full, move: { shift: top, curve, contrast: 1 } };
    let lo = 0;
    let hi = top;
    let best: Float32Array | undefined;
    for (let step = 0; step < SHIFT_STEPS; step++) {
      const mid = (lo + hi) / 2;
      const y = lumaFor({ shift: mid, curve, contrast: 1 });
      if (keeps(y)) { lo = mid; best = y; } else hi = mid;
    }
    return { luma: best ?? none(), move: { shift: lo, curve, contrast: 1 } };
  };
  const largestContrast = (): Candidate | undefined => {
    let lo = 1;
    let hi = MAX_CONTRAST;
    let best: Candidate | undefined;
    for (let step = 0; step < SHIFT_STEPS; step++) {
      const mid = (lo + hi) / 2;
      const move: Move = { shift: top, curve: 'offset', contrast: mid };
      const y = lumaFor(move);
      if (keeps(y)) { lo = mid; best = { luma: y, move }; } else hi = mid;
    }
    return best;
  };
  return { lumaFor, result, layoutKept, largest, largestContrast };
}

/** k v / (1 + (k - 1) v) on 0..1 (values outside keep their excess): slope k at black, 1/k at white. */
function ratioCurve(v: number, k: number): number {
  const c = v < 0 ? 0 : v > 1 ? 1 : v;
  return v - c + (k * c) / (1 + (k - 1) * c);
}

/** The k of `ratioCurve` whose mean over the quantiles `q` is `want` (bisection on log k, 1/64..64). */
function ratioGain(q: Float32Array, want: number): number {
  let lo = Math.log(1 / 64);
  let hi = Math.log(64);
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    const k = Math.exp(mid);
    let m = 0;
    for (let j = 0; j < q.length; j++) m += ratioCurve(q[j], k);
    if (m / q.length < want) lo = mid; else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

/** Mean of the values `mask` keeps (all without a mask). */
export function mean(p: Float32Array, mask?: Uint8Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < p.length; i++) {
    if (mask && !mask[i]) continue;
    s += p[i];
    n++;
  }
  return n ? s / n : 0;
}
