/**
 * Style by statistics transfer (the default method, "stats"): the reference's palette by sliced
 * optimal transport of colours, then its grain and local contrast by matching, band by band, the
 * distribution of the input's detail coefficients to the reference's (an undecimated band-pass
 * stack in a decorrelated colour space), then a short colour transport again so the band changes do
 * not pull the palette away. The coarse residual is the input's own, so the layout of the texture
 * (its content) stays; every step is per texel or a wrap-around filter, so tiling inputs stay tiling.
 */

import { decompose, levelsFor, reconstruct } from './band-stack';
import { opponentToRgb, rgbToOpponent } from './opponent';
import type { ColourPlanes } from './planes';
import { matchToQuantiles, quantileFunction } from './quantiles';
import type { Random } from './random';
import { slicedOtColour } from './sliced-ot';

export interface StatisticsTransferOptions {
  /** Detail bands matched (band k holds 2^k..2^(k+1) texel detail). Default 4: grain up to ~16 texels; coarser layout is the input's. */
  bands?: number;
  /** The texture tiles: band filters wrap around. */
  wrap: boolean;
  mask?: Uint8Array;
  referenceMask?: Uint8Array;
}

export function statisticsTransfer(input: ColourPlanes, reference: ColourPlanes, random: Random, options: StatisticsTransferOptions): ColourPlanes {
  const coloured = slicedOtColour(input, reference, random, { mask: options.mask, referenceMask: options.referenceMask });
  const x = rgbToOpponent(coloured);
  const r = rgbToOpponent(reference);
  const levels = Math.min(levelsFor(input.width, input.height, options.bands ?? 4), levelsFor(reference.width, reference.height, options.bands ?? 4));
  const planes = x.planes.map((plane, c) => {
    if (levels === 0) return plane;
    const stack = decompose(plane, x.width, x.height, levels, options.wrap);
    const refStack = decompose(r.planes[c], r.width, r.height, levels, true);
    stack.bands = stack.bands.map((band, k) => matchToQuantiles(band, quantileFunction(refStack.bands[k], options.referenceMask), options.mask));
    return reconstruct(stack);
  });
  const detailed = opponentToRgb({ width: x.width, height: x.height, planes });
  return slicedOtColour(detailed, reference, random, { iterations: 3, mask: options.mask, referenceMask: options.referenceMask });
}
