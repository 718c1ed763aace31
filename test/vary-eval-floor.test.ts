/**
 * eval-vary's fidelity floor on an exemplar whose right half holds its left half's texels (a two-tile
 * checkerboard [[A, B], [B, A]], held-out set 9's Scorched 3D grounds): the issue's "two different crops of the
 * exemplar" are then A and B, the halves of one fundamental cell, not one crop twice — whose colour distance is
 * compression noise (set 9: 1.4-5.0e-5), which only a copy can be within 2x of. Every other exemplar keeps its
 * left and right halves.
 */
import { cropImage, slicedWasserstein } from '../plugin/metrics/texture-stats';
import { hashRandom } from '../plugin/ops/vary/hash-random';
import { fidelityReference } from '../plugin/ops/vary/evaluate';
import type { RawImage } from '../plugin/types';
import { checkerboardGround, SIDE, TILE } from './helpers/checkerboard-ground';

/** Organic grain with no repeat: the per-texel hash at every position. */
function noise(): RawImage {
  const data = new Uint8Array(SIDE * SIDE * 3);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const v = 60 + Math.round(120 * hashRandom(21, i % SIDE, Math.floor(i / SIDE), 0));
    data.set([v, v, v - 20], i * 3);
  }
  return { data, width: SIDE, height: SIDE, channels: 3 };
}

const halvesDistance = (image: RawImage): number =>
  slicedWasserstein(cropImage(image, 0, 0, SIDE / 2, SIDE), cropImage(image, SIDE / 2, 0, SIDE / 2, SIDE));

describe('eval-vary floor on an exact repeat', () => {
  it('a two-tile checkerboard: the floor compares the two tiles of one fundamental cell', () => {
    const ex = checkerboardGround();
    const tiles = slicedWasserstein(cropImage(ex, 0, 0, TILE, TILE), cropImage(ex, TILE, 0, TILE, TILE));
    // the halves are one crop twice: far below one 8-bit level (about 3e-3 here)
    expect(halvesDistance(ex)).toBeLessThan(1e-4);
    expect(fidelityReference(ex).floor.colour).toBeCloseTo(tiles, 12);
    expect(fidelityReference(ex).floor.colour).toBeGreaterThan(1e-3);
  });

  it('an exemplar with no repeat, and a flat one, keep their left and right halves', () => {
    for (const ex of [noise(), { data: new Uint8Array(SIDE * SIDE * 3).fill(90), width: SIDE, height: SIDE, channels: 3 }]) {
      expect(fidelityReference(ex).floor.colour).toBe(halvesDistance(ex));
    }
  });
});
