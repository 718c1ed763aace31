/**
 * Period cells on a skewed lattice (plugin/ops/vary/skewed-cell.ts): an organic ground laid out as a two-tile
 * checkerboard [[A, B], [B, A]] of 128-px tiles, which repeats exactly under (128, 128) and (128, −128) — held-out
 * set 9's Scorched 3D grounds. Lattice mode moved it in lattice steps, which map the image onto itself, so its
 * variants came out close to shifted copies; they must be new, keep the repeat and tile.
 */
import { maxCyclicNcc, wrapEdgeRatio } from '../plugin/metrics/texture-stats';
import { detectLattice, varyTexture } from '../plugin/ops/vary';
import { skewedCell, torusLattice } from '../plugin/ops/vary/skewed-cell';
import type { RawImage } from '../plugin/types';
import { checkerboardGround, SIDE, TILE } from './helpers/checkerboard-ground';

/** Mean absolute difference of an image and itself moved by (dx, dy), cyclically. */
function repeatError(image: RawImage, dx: number, dy: number): number {
  const { width, height, channels, data } = image;
  let s = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) s += Math.abs(data[(y * width + x) * channels + c] - data[(((y + dy) % height) * width + ((x + dx) % width)) * channels + c]);
    }
  }
  return s / (width * height * 3);
}

describe('varyTexture on a two-tile checkerboard (an exact repeat on a skewed lattice)', () => {
  const exemplar = checkerboardGround();
  const result = varyTexture([{ slot: 'color', kind: 'color', image: exemplar }], { count: 2, seed: 1 });
  const images = result.variants.map((v) => v.maps[0].image);

  it('the exemplar is the case: it repeats under (128, 128) and not along the axes', () => {
    expect(repeatError(exemplar, TILE, TILE)).toBeLessThan(0.5);
    expect(repeatError(exemplar, TILE, 0)).toBeGreaterThan(5);
    const lattice = detectLattice(exemplar)!;
    expect(lattice.a).toEqual([TILE, TILE]);
    expect(torusLattice(lattice, SIDE, SIDE)).toEqual({ p: SIDE, s: TILE, q: TILE });
    expect(skewedCell(lattice, exemplar, SIDE, SIDE)).toEqual({ width: SIDE, height: TILE, shear: 1 });
  });

  it('variants are not shifted copies of the exemplar, nor of each other', () => {
    for (const img of images) expect(maxCyclicNcc(img, exemplar).max).toBeLessThanOrEqual(0.6);
    expect(maxCyclicNcc(images[0], images[1]).max).toBeLessThanOrEqual(0.6);
  });

  it('variants keep the repeat and tile', () => {
    for (const img of images) {
      expect(repeatError(img, TILE, TILE)).toBeLessThan(0.5);
      expect(wrapEdgeRatio(img)).toBeLessThanOrEqual(1.2);
    }
  });

  it('an output size the sheared cell cannot tile falls back to the lattice (no error)', () => {
    const lattice = detectLattice(exemplar)!;
    expect(skewedCell(lattice, exemplar, SIDE, 3 * TILE)).toBeUndefined();
  });
});
