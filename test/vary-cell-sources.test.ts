/**
 * Period cells on an exemplar whose cells are NOT all the same (plugin/ops/vary/period-cell.ts): a grid of
 * 4x4 panels with a brightness that drifts across the grid (wear, mottling). Cell mode used to grow one new
 * cell from the exemplar's corner cell and repeat it, so every output cell was identical and the drift was
 * gone: no power below the cell frequency (held-out set 8's wall_plate_11: spectrum 18x the exemplar's own
 * half-to-half distance, variants 0.95 alike; tuning sets' trak5/floor2e and tutorial/floor2e: 35x, 55x).
 * The variants must keep the grid, tile, and keep the cell-to-cell differences.
 */
import { lumaPlane, powerSpectrumDistance, wrapEdgeRatio } from '../plugin/metrics/texture-stats';
import { detectLattice, varyTexture } from '../plugin/ops/vary';
import { hashRandom } from '../plugin/ops/vary/hash-random';
import { CELL_RESIDUAL_MIN, cellResidualShare } from '../plugin/ops/vary/period-cell';
import type { RawImage } from '../plugin/types';

const CELL = 64;
const SIDE = 4 * CELL;

/** 4x4 copies of one panel (dark frame at the cell edge, noise inside) times a drift that tiles over the whole. */
function wornPanels(): RawImage {
  const data = new Uint8Array(SIDE * SIDE * 3);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const cx = x % CELL;
      const cy = y % CELL;
      const frame = cx < 4 || cy < 4;
      const drift = 15 * Math.sin((2 * Math.PI * x) / SIDE) + 15 * Math.cos((2 * Math.PI * (x + 2 * y)) / SIDE);
      const n = hashRandom(5, 0, cx >> 1, cy >> 1) * 50 + hashRandom(6, 0, cx, cy) * 20;
      const v = Math.max(0, Math.min(255, Math.round((frame ? 40 : 110 + n) + drift)));
      data.set([v, v, Math.max(0, v - 10)], (y * SIDE + x) * 3);
    }
  }
  return { data, width: SIDE, height: SIDE, channels: 3 };
}

/** The image's half-to-half power-spectrum distance (the self-check's and eval-vary's floor). */
function spectrumFloor(image: RawImage): number {
  const half = image.width / 2;
  const crop = (x0: number): RawImage => {
    const data = new Uint8Array(half * image.height * 3);
    for (let y = 0; y < image.height; y++) data.set(image.data.subarray((y * image.width + x0) * 3, (y * image.width + x0 + half) * 3), y * half * 3);
    return { data, width: half, height: image.height, channels: 3 };
  };
  return powerSpectrumDistance(crop(0), crop(half));
}

describe('varyTexture on a grid whose cells differ', () => {
  const exemplar = wornPanels();
  const result = varyTexture([{ slot: 'color', kind: 'color', image: exemplar }], { count: 2, seed: 3 });

  it('the exemplar is the case: a 64x64 lattice of cells, and its cells differ', () => {
    const lattice = detectLattice(exemplar);
    expect(lattice).toBeDefined();
    expect([lattice!.a, lattice!.b].map(([x, y]) => Math.hypot(x, y)).sort()).toEqual([CELL, CELL]);
    expect(cellResidualShare(exemplar, { width: CELL, height: CELL })).toBeGreaterThan(CELL_RESIDUAL_MIN);
  });

  it('keeps the cell-to-cell differences (not one cell repeated), and so the exemplar spectrum', () => {
    const own = cellResidualShare(exemplar, { width: CELL, height: CELL });
    for (const v of result.variants) {
      const img = v.maps[0].image;
      expect(cellResidualShare(img, { width: CELL, height: CELL })).toBeGreaterThan(0.5 * own);
      expect(powerSpectrumDistance(img, exemplar)).toBeLessThanOrEqual(2 * spectrumFloor(exemplar));
    }
    expect(result.check?.misses ?? []).not.toContain('faithful');
  });

  it('keeps the grid and tiles', () => {
    for (const v of result.variants) {
      const img = v.maps[0].image;
      const lattice = detectLattice(img);
      expect(lattice).toBeDefined();
      expect([lattice!.a, lattice!.b].map(([x, y]) => Math.hypot(x, y)).sort()).toEqual([CELL, CELL]);
      expect(wrapEdgeRatio(img)).toBeLessThanOrEqual(1.2);
    }
  });

  it('the two variants differ in their cells as well as in the cell layout', () => {
    const [a, b] = result.variants.map((v) => lumaPlane(v.maps[0].image).data);
    let d = 0;
    for (let i = 0; i < a.length; i++) d += Math.abs(a[i] - b[i]);
    expect(d / a.length).toBeGreaterThan(0.02);
  });
});
