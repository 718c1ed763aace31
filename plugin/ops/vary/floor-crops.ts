/**
 * The two crops eval-vary's fidelity floor compares: issue 10's "two different crops of the exemplar". Normally
 * its left and right halves. But where the right half holds the left half's texels — the exemplar repeats under a
 * cyclic shift (width/2, dy), as a two-tile checkerboard [[A, B], [B, A]] does under (128, 128) — the halves are
 * one crop twice: their colour distance is compression noise (held-out set 9: 1.4-5.0e-5, a fiftieth of one 8-bit
 * level's 3.1e-3), which nothing but a copy can be within 2x of. There the floor compares the two halves of one
 * fundamental cell of that repeat instead (the lattice of the shift and the exemplar's own periods, in Hermite
 * normal form (p, 0), (s, q): the cell p × q at the origin, split into its left and right halves), which share no
 * texel up to the repeat: A and B. Every other exemplar keeps its halves (byte-identical figures).
 */

import { cropImage } from '../../metrics/texture-stats';
import type { RawImage } from '../../types';
import { torusLattice } from './skewed-cell';

/**
 * Mean absolute difference (levels, per channel) under which the right half counts as the left half moved:
 * half an 8-bit level. Set 9's checkerboards read 0.009-0.048; every other texture of sets 8 and 9 reads ≥ 14.
 */
export const SAME_HALVES_MAD = 0.5;
/** Smallest side of a fundamental cell's half used as a floor crop (texels). */
const MIN_CROP = 16;

/**
 * The vertical part dy of a cyclic shift (width/2, dy) that maps the exemplar onto itself to within
 * SAME_HALVES_MAD, or undefined (odd width, or no such shift). Each shift's sum stops once over the tolerance.
 */
export function halvesShift(image: RawImage): number | undefined {
  const { width, height, channels, data } = image;
  if (width % 2) return undefined;
  const cc = Math.min(3, channels);
  const limit = SAME_HALVES_MAD * width * height * cc;
  for (let dy = 0; dy < height; dy++) {
    let sum = 0;
    for (let y = 0; y < height && sum <= limit; y++) {
      const row = y * width;
      const other = ((y + dy) % height) * width;
      for (let x = 0; x < width; x++) {
        const i = (row + x) * channels;
        const j = (other + ((x + width / 2) % width)) * channels;
        for (let c = 0; c < cc; c++) sum += Math.abs(data[i + c] - data[j + c]);
      }
    }
    if (sum <= limit) return dy;
  }
  return undefined;
}

/** Mean absolute difference of two same-sized images, levels per colour channel. */
function meanAbsDifference(a: RawImage, b: RawImage): number {
  const cc = Math.min(3, a.channels);
  let sum = 0;
  for (let i = 0; i < a.width * a.height; i++) for (let c = 0; c < cc; c++) sum += Math.abs(a.data[i * a.channels + c] - b.data[i * b.channels + c]);
  return sum / (a.width * a.height * cc);
}

/**
 * The floor's two crops: the exemplar's left and right halves, or, where those are the same texels moved
 * (halvesShift), the left and right halves of one fundamental cell of the repeat.
 * @example const [a, b] = floorCrops(exemplar); slicedWasserstein(a, b) // the colour floor
 */
export function floorCrops(ex: RawImage): [RawImage, RawImage] {
  const half = Math.floor(ex.width / 2);
  const dy = halvesShift(ex);
  if (dy === undefined) return [cropImage(ex, 0, 0, half, ex.height), cropImage(ex, half, 0, half, ex.height)];
  const { p, q } = torusLattice({ a: [half, dy], b: [0, 0], strength: 1 }, ex.width, ex.height);
  const w = Math.floor(p / 2);
  const cell: [RawImage, RawImage] = [cropImage(ex, 0, 0, w, q), cropImage(ex, w, 0, w, q)];
  // A cell too thin for the statistics (a repeat under (width/2, 1): stripes), or whose halves are alike too (a
  // flat image repeats under every shift: sets 6 and 8's flat colours, the tuning sets' near-black glow maps),
  // keeps the exemplar's halves.
  if (Math.min(w, q) < MIN_CROP || meanAbsDifference(...cell) <= SAME_HALVES_MAD) return [cropImage(ex, 0, 0, half, ex.height), cropImage(ex, half, 0, half, ex.height)];
  return cell;
}
