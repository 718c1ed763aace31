/**
 * Style by band statistics transfer (method "stats-bands"; the default before the layout-keeping
 * "stats" of statistics-transfer.ts, kept for its stronger texture change):
 * 1. palette: the input's RGB distribution moved onto the reference's by sliced optimal transport;
 * 2. grain: per detail band (1-2 and 2-4 texels), the distribution of band coefficients matched to the
 *    reference's same band, in a decorrelated colour space (luma + two colour differences);
 * 3. structure: the coarse luminance (everything above ~4 texels) is a mix of the transported one and
 *    the input's own, `structure` of the input's. The transport alone follows the reference's tone
 *    curve everywhere, which for a reference much brighter or more contrasted than the texture flattens
 *    its layout (SSIM at 1/4 resolution fell to ~0.35 on the tuning set); holding half of the input's
 *    coarse luminance keeps the layout legible while colours and grain are the reference's.
 * Every step is per texel or a wrap-around filter, so tiling inputs stay tiling.
 */

import { decompose, levelsFor, reconstruct } from './band-stack';
import { opponentToRgb, rgbToOpponent } from './opponent';
import type { ColourPlanes } from './planes';
import { matchToQuantilesByRank, quantileFunction } from './quantiles';
import type { Random } from './random';
import { slicedOtColour } from './sliced-ot';

export interface BandStatisticsTransferOptions {
  /** Detail bands whose statistics are the reference's (band k: 2^k..2^(k+1) texels). Default 2. */
  bands?: number;
  /** Share of the input's own coarse luminance kept, 0..1. Default 0.5 (tuned on openarena textures). */
  structure?: number;
  /** The texture tiles: band filters wrap around. */
  wrap: boolean;
  mask?: Uint8Array;
  referenceMask?: Uint8Array;
}

export function bandStatisticsTransfer(input: ColourPlanes, reference: ColourPlanes, random: Random, options: BandStatisticsTransferOptions): ColourPlanes {
  const structure = options.structure ?? 0.5;
  const coloured = slicedOtColour(input, reference, random, { mask: options.mask, referenceMask: options.referenceMask });
  const x = rgbToOpponent(coloured);
  const r = rgbToOpponent(reference);
  const own = rgbToOpponent(input).planes[0];
  const levels = Math.min(levelsFor(input.width, input.height, options.bands ?? 2), levelsFor(reference.width, reference.height, options.bands ?? 2));
  const { width, height } = x;
  // Band coefficients next to a transparent texel mix in its (meaningless) colour: leave them out of the
  // statistics too, as far as the band filters reach (2 + 4 + ... texels).
  const bandMask = options.mask && erode(options.mask, width, height, 2 * ((1 << levels) - 1), options.wrap);
  const planes = x.planes.map((plane, c) => {
    if (levels === 0) return plane;
    const stack = decompose(plane, width, height, levels, options.wrap);
    const refStack = decompose(r.planes[c], r.width, r.height, levels, true);
    stack.bands = stack.bands.map((band, k) => matchToQuantilesByRank(band, quantileFunction(refStack.bands[k], options.referenceMask), bandMask));
    if (c === 0 && structure > 0) {
      const coarse = decompose(own, width, height, levels, options.wrap).residual;
      for (let i = 0; i < coarse.length; i++) stack.residual[i] = structure * coarse[i] + (1 - structure) * stack.residual[i];
    }
    return reconstruct(stack);
  });
  return opponentToRgb({ width, height, planes });
}

/** 1 where every texel within `r` (a square) is 1; wraps or clamps at the edges. */
export function erode(mask: Uint8Array, width: number, height: number, r: number, wrap: boolean): Uint8Array {
  const at = (i: number, n: number) => (wrap ? ((i % n) + n) % n : Math.min(n - 1, Math.max(0, i)));
  const rows = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 1;
      for (let d = -r; d <= r && v; d++) v = mask[y * width + at(x + d, width)];
      rows[y * width + x] = v;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 1;
      for (let d = -r; d <= r && v; d++) v = rows[at(y + d, height) * width + x];
      out[y * width + x] = v;
    }
  }
  // A texture that is transparent nearly everywhere keeps its plain mask rather than none.
  return out.some((v) => v) ? out : mask;
}
