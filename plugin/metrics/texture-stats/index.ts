/**
 * CNN-free texture statistics shared by `remaster eval-vary` (texture variations) and `eval-style`
 * (style transfer). Every function takes 8-bit RawImages and is deterministic (fixed seeds).
 *
 * Fidelity (lower = closer to the reference; compare with the floor: two crops of one texture):
 * - slicedWasserstein: colour distribution
 * - powerSpectrumDistance: which scales carry the detail
 * - gramDistance: multi-scale random-filter Gram matrices (Gatys-style statistics without VGG)
 * Novelty / diversity:
 * - maxCyclicNcc: largest NCC over all cyclic shifts (a shifted copy ≈ 1)
 * - copiedShare: share of texels covered by verbatim copied windows ≥ size²
 * Tileability:
 * - wrapEdgeRatio: gradient energy across each wrap edge over the interior's in that direction, the worse edge (≈1 tiles)
 */

import type { RawImage } from '../../types';
import { copiedShare } from './copied-regions';
import { maxCyclicNcc } from './cyclic-ncc';
import { gramDistance } from './gram';
import { powerSpectrumDistance } from './power-spectrum';
import { slicedWasserstein } from './sliced-wasserstein';

export { fft1d, fft2d, type Complex } from './fft';
export { lumaPlane, rgbPlanes, cropImage, type FloatPlane } from './planes';
export { lumaSpectrum, type LumaSpectrum } from './luma-spectrum';
export { seededRandom, gaussian } from './seeded-random';
export { slicedWasserstein, type SlicedWassersteinOptions } from './sliced-wasserstein';
export { powerSpectrumDistance, radialPowerSpectrum, SPECTRUM_BANDS, type PowerSpectrumOptions } from './power-spectrum';
export { gramDistance, gramDistanceOf, gramMatrices, GRAM_FILTERS, GRAM_SCALES, type GramOptions } from './gram';
export { maxCyclicNcc, type NccResult } from './cyclic-ncc';
export { copiedShare, type CopiedRegionsOptions } from './copied-regions';
export { wrapEdgeRatio, wrapEdgeRatios } from './tileability';
export type { WrapEdgeRatios } from './tileability';

/** The three fidelity distances of a texture to a reference. */
export interface FidelityScores {
  colour: number;
  spectrum: number;
  gram: number;
}

/** The novelty figures of a texture against a source. */
export interface NoveltyScores {
  ncc: number;
  copied: number;
}

/** @example fidelity(variant, exemplar) // { colour, spectrum, gram }, all ≥ 0, lower is closer */
export function fidelity(texture: RawImage, reference: RawImage): FidelityScores {
  return {
    colour: slicedWasserstein(texture, reference),
    spectrum: powerSpectrumDistance(texture, reference),
    gram: gramDistance(texture, reference),
  };
}

/** @example novelty(variant, exemplar, 32) // { ncc: ≤0.6, copied: share of texels in copied 32² windows } */
export function novelty(texture: RawImage, source: RawImage, copySize = 32): NoveltyScores {
  return { ncc: maxCyclicNcc(texture, source).max, copied: copiedShare(texture, source, { size: copySize }) };
}
