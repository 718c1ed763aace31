/**
 * Skewed period cells whose cells differ (plugin/ops/vary/skewed-cell.ts): a two-tile checkerboard whose grooves
 * repeat under (128, 128) while its wear does not (held-out set 10's dirtbrick, seen: 29 % of the luma variance off
 * the mean cell). Such an exemplar stayed in lattice mode, whose one copied region is the whole exemplar moved in
 * lattice steps: variants at NCC 0.85 with the exemplar, 0.78 with each other. Now a new sheared cell is grown and
 * every output cell reads one of the exemplar's cells (never the exemplar's own arrangement).
 */
import { maxCyclicNcc, wrapEdgeRatio } from '../plugin/metrics/texture-stats';
import { autocorrelation, detectLattice, varyTexture } from '../plugin/ops/vary';
import { CELL_RESIDUAL_MIN } from '../plugin/ops/vary/period-cell';
import { repeatSkewedCell, skewedCellShape, skewedCellSources, skewedResidualShare } from '../plugin/ops/vary/skewed-cell';
import type { CoordinateMap } from '../plugin/ops/vary/types';
import { SIDE, TILE, wornCheckerboardGround } from './helpers/checkerboard-ground';

describe('varyTexture on a two-tile checkerboard whose tiles differ', () => {
  const exemplar = wornCheckerboardGround();
  const result = varyTexture([{ slot: 'color', kind: 'color', image: exemplar }], { count: 2, seed: 1 });
  const images = result.variants.map((v) => v.maps[0].image);
  const repeat = (img: typeof exemplar) => { const ac = autocorrelation(img); return ac.data[TILE * ac.width + TILE]; };

  it('the exemplar is the case: one period (128, 128), a sheared cell, and cells that differ', () => {
    const lattice = detectLattice(exemplar)!;
    expect(lattice.a).toEqual([TILE, TILE]);
    const cell = skewedCellShape(lattice, exemplar, SIDE, SIDE)!;
    expect(cell).toEqual({ width: SIDE, height: TILE, shear: 1 });
    expect(skewedResidualShare(exemplar, cell)).toBeGreaterThan(CELL_RESIDUAL_MIN);
  });

  it('variants are not shifted copies of the exemplar, nor of each other', () => {
    for (const img of images) expect(maxCyclicNcc(img, exemplar).max).toBeLessThanOrEqual(0.6);
    expect(maxCyclicNcc(images[0], images[1]).max).toBeLessThanOrEqual(0.6);
  });

  it('variants keep the (128, 128) repeat at least as strongly as the exemplar, and tile', () => {
    for (const img of images) {
      expect(repeat(img)).toBeGreaterThanOrEqual(repeat(exemplar) - 0.05);
      expect(wrapEdgeRatio(img)).toBeLessThanOrEqual(1.2);
    }
  });
});

describe('skewedCellSources and repeatSkewedCell', () => {
  const cell = { width: SIDE, height: TILE, shear: 1 };
  /** The identity layout of the sheared cell: every texel its own coordinate. */
  const identity: CoordinateMap = { width: SIDE, height: TILE, x: new Int32Array(SIDE * TILE), y: new Int32Array(SIDE * TILE) };
  for (let i = 0; i < SIDE * TILE; i++) { identity.x[i] = i % SIDE; identity.y[i] = Math.floor(i / SIDE); }

  it('never draws the exemplar arrangement (with two cells: both output cells read the same exemplar cell)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { source } = skewedCellSources(cell, SIDE, SIDE, SIDE, SIDE, seed);
      expect(source[1]).toBe(source[3]);
    }
  });

  it('moves each output cell by a whole lattice vector, consistently across the wrap (a larger output too)', () => {
    for (const out of [SIDE, 2 * SIDE]) {
      const sources = skewedCellSources(cell, SIDE, SIDE, out, out, 7);
      const map = repeatSkewedCell(identity, cell, out, out, SIDE, sources);
      const seen = new Set<string>();
      let off = 0;
      for (let y = 0; y < out; y++) {
        for (let x = 0; x < out; x++) {
          // exemplar coordinate − output position is a vector of the lattice (128, 128), (256, 0) on the exemplar torus
          const dx = (((map.x[y * out + x] - x) % SIDE) + SIDE) % SIDE;
          const dy = (((map.y[y * out + x] - y) % SIDE) + SIDE) % SIDE;
          if (!((dx === 0 && dy === 0) || (dx === TILE && dy === TILE))) off++;
          seen.add(`${dx},${dy}`);
        }
      }
      expect(off).toBe(0);
      if (out > SIDE) expect(seen.size).toBe(2); // 8 output cells: both exemplar cells are used
    }
  });
});
