/**
 * A one-period lattice on a non-tiling exemplar (set 7's q1metal7_99: a = (0, 128) on a 256-px side, its
 * variants near-copies keeping the exemplar's own seam at the wrap edge, wrap 7.4x, NCC 0.95). Asked to
 * tile, the variants must tile (wrap-edge energy ≤ 1.2x the interior, eval-vary's measure) and not be
 * shifted copies (max cyclic NCC ≤ 0.6, the issue's novelty target).
 */
import { maxCyclicNcc, wrapEdgeRatio } from '../plugin/metrics/texture-stats';
import { detectLattice, tiles, varyTexture } from '../plugin/ops/vary';
import { hashRandom } from '../plugin/ops/vary/hash-random';
import type { RawImage } from '../plugin/types';

const SIDE = 128;
const PERIOD = 64;

/**
 * A 64-row strip of blocky noise repeated down the image (a strong period in y only: the noise does not
 * repeat across x), on a brightness that drifts down the image so the bottom row does not meet the top:
 * detectLattice gives a = (0, 64), b = 0, and the exemplar does not tile.
 */
function bandedExemplar(): RawImage {
  const data = new Uint8Array(SIDE * SIDE * 3);
  for (let y = 0; y < SIDE; y++) {
    const c = y % PERIOD;
    for (let x = 0; x < SIDE; x++) {
      const n = (hashRandom(11, 0, x >> 2, c >> 2) - 0.5) * 90 + (hashRandom(12, 0, x, y) - 0.5) * 20;
      const v = Math.max(0, Math.min(255, Math.round(80 + 0.3 * y + n)));
      data.set([v, v, Math.max(0, v - 15)], (y * SIDE + x) * 3);
    }
  }
  return { data, width: SIDE, height: SIDE, channels: 3 };
}

describe('varyTexture with a one-period lattice on a non-tiling exemplar', () => {
  const exemplar = bandedExemplar();

  it('the exemplar is the case: a lattice in one direction only, and it does not tile', () => {
    const lattice = detectLattice(exemplar);
    expect(lattice).toBeDefined();
    expect(lattice!.a).toEqual([0, PERIOD]);
    expect(lattice!.b).toEqual([0, 0]);
    expect(tiles(exemplar)).toBe(false);
  });

  it('tile: true gives variants that tile and are not shifted copies', () => {
    const { variants } = varyTexture([{ slot: 'color', kind: 'color', image: exemplar }], { count: 2, seed: 1, tile: true });
    for (const v of variants) {
      const img = v.maps[0].image;
      expect(wrapEdgeRatio(img)).toBeLessThanOrEqual(1.2);
      expect(maxCyclicNcc(img, exemplar).max).toBeLessThanOrEqual(0.6);
    }
  });
});
