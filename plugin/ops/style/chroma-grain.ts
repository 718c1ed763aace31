/**
 * The reference's colour variation that does not follow its luminance, as a seeded grain for method
 * `stats` (seventh pass). `stats` keeps the input's coarse colour differences (transported) and gives
 * its fine ones the reference's colour-on-luma coupling, so a painting whose hue wanders independently
 * of its brightness (warm-strokes: colour-difference detail ~0.03 at every scale, most of it unrelated
 * to its luma) came out with a fraction of that colour detail. The Gram features of issue 12's style
 * distance mix R, G and B and see it; SSIM¼ (luma) does not, and the colours are written back with luma
 * exact, so this grain costs the layout nothing.
 *
 * Per colour-difference plane: seeded Gaussian noise, split into the à-trous bands (wrap-around for a
 * tiling texture, so it tiles), each band's distribution matched to the reference's residual in that
 * band (its colour-difference coefficients minus the part its luma coefficients predict), summed without
 * a coarse residual (mean 0: the palette's mean is the transport's). Heeger & Bergen 1995's synthesis on
 * the residual, one pass.
 *
 * @example
 * const [cb, cr] = chromaGrain(rgbToOpponent(reference), 256, 256, seededRandom(0), { wrap: true });
 * // add to the styled colour-difference planes before converting back to RGB
 */

import { decompose, levelsFor, smoothDilated } from './band-stack';
import type { ColourPlanes } from './planes';
import { matchToQuantiles, quantileFunction } from './quantiles';
import { gaussian, type Random } from './random';
import { leastSquaresSlope } from './least-squares';

/** Bands of grain at most (band k: about 2^k..2^(k+2) texels; 6 reach ~128 texels). */
export const CHROMA_GRAIN_BANDS = 6;

export interface ChromaGrainOptions {
  /** The texture tiles: the band filters wrap around (the grain tiles). */
  wrap: boolean;
  /** Reference texels that count (opaque). Default: all. */
  referenceMask?: Uint8Array;
  /**
   * The texel where the noise field's origin lies, [x, y]. Default [0, 0]. For a tiling texture, a point
   * found from its content (see `contentAnchor`), so that a cyclically shifted input gets the same grain
   * shifted: the style does not depend on where the tile was cut.
   */
  anchor?: [number, number];
}

/**
 * A texel found from a plane's content alone, that moves with it under a cyclic shift: the maximum of the
 * plane smoothed (wrap-around) over ~8 texels, first in scan order on a tie.
 */
export function contentAnchor(plane: Float32Array, width: number, height: number): [number, number] {
  const smooth = smoothDilated(smoothDilated(smoothDilated(plane, width, height, 1, true), width, height, 2, true), width, height, 4, true);
  let best = 0;
  for (let i = 1; i < smooth.length; i++) if (smooth[i] > smooth[best]) best = i;
  return [best % width, Math.floor(best / width)];
}

/**
 * Seeded Gaussian noise of `width` x `height` with its origin at `anchor` (default [0, 0]): for a tiling
 * texture a content-found texel (`contentAnchor`), so a cyclically shifted input gets the same noise, shifted.
 * Used by the colour grain and by statistics-transfer's luma-band dither.
 */
export function anchoredNoise(width: number, height: number, random: Random, anchor: [number, number] = [0, 0]): Float32Array {
  const n = width * height;
  const field = new Float32Array(n);
  for (let i = 0; i < n; i++) field[i] = gaussian(random);
  const [ax, ay] = anchor;
  const out = new Float32Array(n);
  for (let y = 0; y < height; y++) {
    const row = ((y - ay + height) % height) * width;
    for (let x = 0; x < width; x++) out[y * width + x] = field[row + ((x - ax + width) % width)];
  }
  return out;
}

/**
 * Two planes (Cb, Cr residual grain) of `width` x `height`, to add to a result's colour differences.
 * `reference` is in the opponent space of opponent.ts (luma, Cb, Cr). Empty planes when either image is too
 * small for one band.
 */
export function chromaGrain(reference: ColourPlanes, width: number, height: number, random: Random, options: ChromaGrainOptions): [Float32Array, Float32Array] {
  return chromaGrainOf(reference, width, height, chromaNoise(reference, width, height, random, options.anchor), options);
}

/**
 * The noise fields `chromaGrain` draws from `random` (Cb's, then Cr's; none when either image is too small
 * for one band): drawn apart so the rest, `chromaGrainOf`, can run on another thread.
 */
export function chromaNoise(reference: ColourPlanes, width: number, height: number, random: Random, anchor?: [number, number]): Float32Array[] {
  if (grainLevels(reference, width, height) === 0) return [];
  return [anchoredNoise(width, height, random, anchor), anchoredNoise(width, height, random, anchor)];
}

/** `chromaGrain` from its noise fields (`chromaNoise`). */
export function chromaGrainOf(reference: ColourPlanes, width: number, height: number, noise: Float32Array[], options: ChromaGrainOptions): [Float32Array, Float32Array] {
  const levels = grainLevels(reference, width, height);
  const n = width * height;
  if (levels === 0) return [new Float32Array(n), new Float32Array(n)];
  const { referenceMask } = options;
  const refBands = reference.planes.map((p) => decompose(p, reference.width, reference.height, levels, true).bands);
  const grain = (c: 1 | 2): Float32Array => {
    // Band filters wrap, so shifting the field before or after them is the same.
    const { bands } = decompose(noise[c - 1], width, height, levels, options.wrap);
    const out = new Float32Array(n);
    bands.forEach((band, k) => {
      const luma = refBands[0][k];
      const colour = refBands[c][k];
      const beta = leastSquaresSlope(colour, luma, referenceMask);
      const residual = colour.map((v, i) => v - beta * luma[i]);
      const matched = matchToQuantiles(band, quantileFunction(residual, referenceMask));
      for (let i = 0; i < n; i++) out[i] += matched[i];
    });
    return out;
  };
  return [grain(1), grain(2)];
}

function grainLevels(reference: ColourPlanes, width: number, height: number): number {
  return Math.min(levelsFor(width, height, CHROMA_GRAIN_BANDS), levelsFor(reference.width, reference.height, CHROMA_GRAIN_BANDS));
}
