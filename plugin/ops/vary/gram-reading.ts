/**
 * Gram matrices of multi-scale random-filter features (plugin/metrics/texture-stats, gram.ts) as vary reads
 * an image, in eval-vary (evaluate.ts) and in its own run-time check (self-check.ts): one that tiles as the
 * torus it is (wrap-around windows), any other (a crop, a non-tiling exemplar) with valid windows only; every
 * pyramid phase either way. So where an image's origin lies does not move its figure: a tiling exemplar's own
 * cyclic shift scores 0, where with one phase of valid windows it scored up to 5x the faithful limit (held-out
 * set 8: a panel whose frame groove straddles the wrap edge, or fine lattices read at one pyramid phase).
 *
 * @example gramDistanceOf(evalGram(variant, true), evalGram(exemplar, tiles(exemplar)))
 */

import { gramMatrices } from '../../metrics/texture-stats';
import type { RawImage } from '../../types';

/**
 * @param tiling the image tiles: wrap-around windows
 * @param positions most window positions per scale (gram.ts's default, every position of a 256² image, when
 *   absent: eval-vary's figures); fewer is a cheaper estimate of the same statistics
 * @param salt with `positions`: another draw of the positions (gram.ts), to measure the estimate's own noise
 */
export function evalGram(image: RawImage, tiling: boolean, positions?: number, salt?: number): Float64Array[] {
  return gramMatrices(image, { ...(tiling ? { wrap: true } : { phases: 'all' as const }), ...(positions ? { positions, salt } : {}) });
}
