/**
 * Style by statistics transfer, keeping the layout (the default method, "stats"):
 * 1. palette: the input's RGB distribution moved onto the reference's by sliced optimal transport; its
 *    two colour-difference planes are kept above ~4 texels, and below that their grain follows the
 *    luminance grain by the reference's own colour-on-luma coupling;
 * 2. luminance: the input's own luminance above ~2 texels is kept, raised by a share s of the gap between
 *    its mean and the transported one's; the finest detail is re-made by alternating two projections
 *    (Heeger & Bergen 1995 style): match the luminance histogram to the distribution s of the way from the
 *    input's to the reference's (displacement interpolation of the quantile functions), then put the kept
 *    coarse luminance back;
 * 3. the share s per texture: the largest (bisection over 0..maxShift, default 1) whose result keeps SSIM of luma at 1/4
 *    resolution against the input ≥ `minStructure` (0.72), estimated on the 8-bit result itself.
 * Why: the layout a player reads (and SSIM¼ measures) is the luminance above a few texels; a fixed shift
 * moved too little where a texture could take more and broke the layout of dark textures under a bright
 * reference. With the shift chosen per texture, structure is a guarantee and the colour goes as far as it
 * allows. Tuning set (12 openarena-081-textures, warm-strokes / cool-strokes references): colour distance
 * -70 % / -71 %, SSIM¼ 0.81 / 0.76 (each ≥ 0.72), vs -52 % / -58 % and 0.85 / 0.79 (2 and 3 below 0.7) with
 * the fixed half shift. Every step is per texel, a global map, or a wrap-around filter, so tiling inputs
 * stay tiling.
 */

import type { Plane } from '../../metrics/image-planes';
import { ssim } from '../../metrics/ssim';
import { erode } from './band-statistics-transfer';
import { decompose, levelsFor, reconstruct, smoothDilated } from './band-stack';
import { opponentToRgbInGamut, rgbToOpponent } from './opponent';
import type { ColourPlanes } from './planes';
import { matchToQuantiles, matchToQuantilesByRank, quantileFunction } from './quantiles';
import type { Random } from './random';
import { slicedOtColour } from './sliced-ot';

export interface StatisticsTransferOptions {
  /** Detail bands whose statistics are the reference's (band k: 2^k..2^(k+1) texels). Default 2. */
  bands?: number;
  /**
   * Share of the way the luminance mean and distribution move toward the reference's, 0..1. Default:
   * chosen per texture, the largest that keeps `minStructure` (see there); a number here fixes it.
   */
  lumaShift?: number;
  /**
   * The layout the result must keep: SSIM of luma at 1/4 resolution against the input (issue 12's
   * structure measure), at least this much. The luminance shift is the largest (bisection over 0..1)
   * whose result still scores it; a texture that cannot (it drops below even unshifted) gets shift 0.
   * Default 0.72 (0.7 plus a margin for the colour-grain steps the estimate already includes: it is
   * computed on the final 8-bit colours, so the margin is for other seeds and blends only).
   */
  minStructure?: number;
  /**
   * The most of the way (0..1) the luminance may move toward the reference's, for every texture alike:
   * the shift is the largest up to this that keeps `minStructure`. Default 1 (each texture as far as its
   * layout allows). A set-level tone: one value for a level's textures makes them move together (the same
   * share of their own gap) instead of each to its own limit, at the cost of colour distance.
   */
  maxShift?: number;
  /** Alternations of histogram matching and putting the coarse luminance back. Default 3. */
  iterations?: number;
  /** The texture tiles: every filter wraps around. */
  wrap: boolean;
  mask?: Uint8Array;
  referenceMask?: Uint8Array;
}

/** Bisection steps over the shift (1/64 resolution). */
const SHIFT_STEPS = 6;

export function statisticsTransfer(input: ColourPlanes, reference: ColourPlanes, random: Random, options: StatisticsTransferOptions): ColourPlanes {
  const iterations = options.iterations ?? 3;
  const { mask, referenceMask, wrap } = options;
  const coloured = slicedOtColour(input, reference, random, { mask, referenceMask });
  const x = rgbToOpponent(coloured);
  const r = rgbToOpponent(reference);
  const own = rgbToOpponent(input).planes[0];
  const levels = Math.min(levelsFor(input.width, input.height, options.bands ?? 2), levelsFor(reference.width, reference.height, options.bands ?? 2));
  const { width, height } = x;
  if (levels === 0) return coloured; // too small for a band: the palette alone
  // Band coefficients next to a transparent texel mix in its (meaningless) colour: leave them out of the
  // statistics too, as far as the band filters reach (2 + 4 + ... texels).
  const bandMask = mask && erode(mask, width, height, 2 * ((1 << levels) - 1), wrap);
  const refBands = r.planes.map((p) => decompose(p, r.width, r.height, levels, true).bands);
  // Luminance starts from the input's coarse luminance under the reference's grain (band coefficients of the
  // transported luminance matched by rank to the reference's); it is raised per shift below.
  const lumaBands = decompose(x.planes[0], width, height, levels, wrap).bands
    .map((band, k) => matchToQuantilesByRank(band, quantileFunction(refBands[0][k], referenceMask), bandMask));
  const start = reconstruct({ bands: lumaBands, residual: decompose(own, width, height, levels, wrap).residual });
  // Colour differences: the transported ones above ~4 texels; below, a grain that follows the luminance grain
  // by the reference's own coupling (per band, the regression of its colour-difference on its luminance
  // coefficients). Not the input's own fine colour differences re-scaled: in JPEG-sourced textures those are
  // mostly chroma-subsampling blocks, strongest across the wrap edge (9-10x the mean column in openarena
  // organics/dirt2), and stretching them to a colourful reference's grain made that edge a visible seam.
  const chroma = [1, 2].map((c) => {
    const stack = decompose(x.planes[c], width, height, levels, wrap);
    stack.bands = lumaBands.map((band, k) => {
      const beta = regression(refBands[c][k], refBands[0][k], referenceMask);
      return band.map((v) => beta * v);
    });
    return reconstruct(stack);
  });
  const kept = smoothDilated(own, width, height, 1, wrap);
  const qIn = quantileFunction(own, mask);
  const qRef = quantileFunction(r.planes[0], referenceMask);
  const gap = mean(x.planes[0], mask) - mean(own, mask);
  // The luminance for a shift s: the input's above ~2 texels raised by s times the mean gap, the finest
  // detail re-made by alternating a match to the distribution s of the way to the reference's (displacement
  // interpolation of the quantile functions) with putting the kept coarse luminance back.
  const lumaFor = (s: number): Float32Array => {
    const d = s * gap;
    const target = qIn.map((v, k) => (1 - s) * v + s * qRef[k]);
    let y: Float32Array = start.map((v) => v + d);
    for (let it = 0; it < iterations; it++) {
      y = matchToQuantiles(y, target, bandMask); // texels a transparent colour reaches do not shape the CDF
      const smooth = smoothDilated(y, width, height, 1, wrap);
      for (let i = 0; i < y.length; i++) y[i] += kept[i] + d - smooth[i];
    }
    return y;
  };
  const result = (y: Float32Array) => opponentToRgbInGamut({ width, height, planes: [y, chroma[0], chroma[1]] });
  const top = Math.min(1, Math.max(0, options.maxShift ?? 1));
  if (options.lumaShift !== undefined || width < 44 || height < 44) return result(lumaFor(options.lumaShift ?? Math.min(0.5, top)));
  if (top === 0) return result(lumaFor(0));
  // Per texture: the largest shift that keeps the layout (SSIM¼ against the input ≥ minStructure).
  const floor = options.minStructure ?? 0.72;
  // Texels whose result depends on a transparent neighbour's colour (within the filters' reach) stay out of
  // the estimate too, so that colour cannot tip the choice.
  const original = quarterLuma(input, bandMask);
  const keeps = (y: Float32Array) => ssim(original, quarterLuma(result(y), bandMask)) >= floor;
  let best = lumaFor(top);
  if (keeps(best)) return result(best);
  let lo = 0;
  let hi = top;
  best = lumaFor(0);
  for (let step = 0; step < SHIFT_STEPS; step++) {
    const mid = (lo + hi) / 2;
    const y = lumaFor(mid);
    if (keeps(y)) { lo = mid; best = y; } else hi = mid;
  }
  return result(best);
}

/**
 * BT.601 luma on 0..255 of the planes as they will be written (rounded, clamped), 4x4 box-averaged, as
 * eval-style's SSIM¼ sees it; texels outside `mask` count as black in both images.
 */
function quarterLuma(p: ColourPlanes, mask?: Uint8Array): Plane {
  const w = Math.floor(p.width / 4);
  const h = Math.floor(p.height / 4);
  const data = new Float64Array(w * h);
  const byte = (v: number) => Math.min(255, Math.max(0, Math.round(v * 255)));
  const [r, g, b] = p.planes;
  for (let y = 0; y < h * 4; y++) {
    for (let x = 0; x < w * 4; x++) {
      const i = y * p.width + x;
      if (mask && !mask[i]) continue;
      data[(y >> 2) * w + (x >> 2)] += (0.299 * byte(r[i]) + 0.587 * byte(g[i]) + 0.114 * byte(b[i])) / 16;
    }
  }
  return { data, width: w, height: h };
}

function mean(p: Float32Array, mask?: Uint8Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < p.length; i++) {
    if (mask && !mask[i]) continue;
    s += p[i];
    n++;
  }
  return n ? s / n : 0;
}

/** Least-squares slope of `y` on `x` (coefficients where the mask is 0 left out). */
function regression(y: Float32Array, x: Float32Array, mask?: Uint8Array): number {
  let xy = 0;
  let xx = 0;
  for (let i = 0; i < x.length; i++) {
    if (mask && !mask[i]) continue;
    xy += x[i] * y[i];
    xx += x[i] * x[i];
  }
  return xx > 0 ? xy / xx : 0;
}
