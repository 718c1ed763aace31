/**
 * Style by statistics transfer, keeping the layout (the default method, "stats"):
 * 1. palette: the input's RGB distribution moved onto the reference's by sliced optimal transport;
 *    its two colour-difference planes are kept, with their 1–2 and 2–4 texel detail bands' statistics
 *    matched to the reference's (colour grain);
 * 2. luminance: the input's own luminance above ~2 texels (one B3 smoothing step) is kept, raised or
 *    lowered by half the gap between its mean and the transported one's; only the finest detail is
 *    re-made, by alternating two projections (Heeger & Bergen 1995 style): match the luminance
 *    histogram to the distribution half-way between the input's and the reference's (displacement
 *    interpolation of the quantile functions), then put the kept coarse luminance back.
 * Why: the layout a player reads (and SSIM at 1/4 resolution measures) is the luminance above a few
 * texels; changing its local contrast or tone curve reads as a different texture, while the palette,
 * the colour grain and the texel-scale luminance grain carry the look. Measured on the tuning set
 * (openarena-081-textures, cool-strokes-512.png): colour distance -58 %, SSIM¼ 0.785, vs -58 % /
 * 0.528 for the band transfer of "stats-bands", which moves the Gram distance further (-54 % vs -31 %).
 * Every step is per texel, a global map, or a wrap-around filter, so tiling inputs stay tiling.
 */

import { erode } from './band-statistics-transfer';
import { decompose, levelsFor, reconstruct, smoothDilated } from './band-stack';
import { opponentToRgb, rgbToOpponent } from './opponent';
import type { ColourPlanes } from './planes';
import { matchToQuantiles, matchToQuantilesByRank, quantileFunction } from './quantiles';
import type { Random } from './random';
import { slicedOtColour } from './sliced-ot';

export interface StatisticsTransferOptions {
  /** Detail bands whose statistics are the reference's (band k: 2^k..2^(k+1) texels). Default 2. */
  bands?: number;
  /** Share of the way the luminance mean and distribution move toward the reference's, 0..1. Default 0.5. */
  lumaShift?: number;
  /** Alternations of histogram matching and putting the coarse luminance back. Default 3. */
  iterations?: number;
  /** The texture tiles: every filter wraps around. */
  wrap: boolean;
  mask?: Uint8Array;
  referenceMask?: Uint8Array;
}

export function statisticsTransfer(input: ColourPlanes, reference: ColourPlanes, random: Random, options: StatisticsTransferOptions): ColourPlanes {
  const shift = options.lumaShift ?? 0.5;
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
  const d = shift * (mean(x.planes[0], mask) - mean(own, mask));
  const planes = x.planes.map((plane, c) => {
    const stack = decompose(plane, width, height, levels, wrap);
    const refStack = decompose(r.planes[c], r.width, r.height, levels, true);
    stack.bands = stack.bands.map((band, k) => matchToQuantilesByRank(band, quantileFunction(refStack.bands[k], referenceMask), bandMask));
    if (c === 0) {
      // Start from the input's coarse luminance (raised by d) under the reference's grain.
      const coarse = decompose(own, width, height, levels, wrap).residual;
      for (let i = 0; i < coarse.length; i++) stack.residual[i] = coarse[i] + d;
    }
    return reconstruct(stack);
  });
  // The luminance the result keeps: the input's above ~2 texels, shifted by d.
  const kept = smoothDilated(own, width, height, 1, wrap);
  for (let i = 0; i < kept.length; i++) kept[i] += d;
  const qIn = quantileFunction(own, mask);
  const qRef = quantileFunction(r.planes[0], referenceMask);
  const target = qIn.map((v, k) => (1 - shift) * v + shift * qRef[k]);
  let y = planes[0];
  for (let it = 0; it < iterations; it++) {
    y = matchToQuantiles(y, target, mask);
    const smooth = smoothDilated(y, width, height, 1, wrap);
    for (let i = 0; i < y.length; i++) y[i] += kept[i] - smooth[i];
  }
  planes[0] = y;
  return opponentToRgb({ width, height, planes });
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
