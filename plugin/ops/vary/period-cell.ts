/**
 * Period cells: when a lattice's cell is large next to the exemplar (a texture made of 2x2 copies of one
 * tile, a floor of 4x4 panels), moving content by whole lattice steps can only give shifted copies of the
 * exemplar — every lattice step of a periodic image is the image again. Instead a NEW cell is grown
 * (toroidally, at the cell's size, from the cell as exemplar, with the cell's own finer lattice if it has
 * one: the bricks of a brick tile) and repeated, so the output keeps the lattice (same period, same
 * cell grid) and is not a shifted copy.
 */

import { cropImage, lumaPlane } from '../../metrics/texture-stats';
import type { RawImage } from '../../types';
import { hashRandom } from './hash-random';
import type { CoordinateMap, Lattice, VaryMap } from './types';


/**
 * Cells at least this share of the exemplar's smaller side use cell mode: with 2x-period patches
 * (plan.ts) a cell of a quarter of the exemplar already makes the largest copied region half of it.
 */
export const CELL_SHARE = 0.25;

/** The axis-aligned cell (width, height) of a lattice large enough for cell mode, or undefined. */
export function periodCell(lattice: Lattice | undefined, exWidth: number, exHeight: number, outWidth: number, outHeight: number): { width: number; height: number } | undefined {
  if (!lattice) return undefined;
  const { a, b } = lattice;
  // axis-aligned two-period lattices only (a grid of cells); running bonds and one-period stripes keep lattice mode
  const vx = a[1] === 0 ? a : b[1] === 0 ? b : undefined;
  const vy = a[0] === 0 ? a : b[0] === 0 ? b : undefined;
  if (!vx || !vy || vx === vy || vx[0] <= 0 || vy[1] <= 0) return undefined;
  const width = vx[0];
  const height = vy[1];
  if (Math.min(width, height) < 32 || Math.max(width / exWidth, height / exHeight) < CELL_SHARE) return undefined;
  if (exWidth % width || exHeight % height || outWidth % width || outHeight % height) return undefined;
  return { width, height };
}

/** The maps of a set cropped to the cell at the exemplar's origin (a periodic exemplar: any cell will do). */
export function cropCell(maps: VaryMap[], cell: { width: number; height: number }): VaryMap[] {
  return maps.map((m) => ({ ...m, image: cropImage(m.image, 0, 0, cell.width, cell.height) }));
}

/**
 * Levels (finest first) whose jitter is free inside a cell: up to features of about cell/FREE_SCALE at
 * variation 0.5 (one level fewer at 0, one more at 1). Coarser levels keep the cell's own layout, so
 * a panel keeps its frame and a tile its grout while the content inside them is new.
 */
export function cellFreeLevels(cell: { width: number; height: number }, variation: number): number {
  return Math.max(1, Math.floor(Math.log2(Math.min(cell.width, cell.height) / FREE_SCALE)) + Math.round(2 * variation - 1));
}
/** Free levels reach features of about cell / FREE_SCALE (8 bent panel frames on the tuning sets). */
export const FREE_SCALE = 16;

/**
 * Share of the exemplar's luma variance that is NOT its mean cell: 0 for a strictly periodic exemplar
 * (2x2 copies of one tile), larger where the cells differ (mottling, stains, wear that runs across the
 * grid). Such an exemplar is a lattice, but not one cell.
 */
export function cellResidualShare(image: RawImage, cell: { width: number; height: number }): number {
  const { data, width, height } = lumaPlane(image);
  const cw = cell.width;
  const ch = cell.height;
  const mean = new Float64Array(cw * ch);
  const copies = (width / cw) * (height / ch);
  let total = 0;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) mean[(y % ch) * cw + (x % cw)] += data[y * width + x] / copies;
  for (const v of data) total += v;
  total /= data.length;
  let all = 0;
  let residual = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = data[y * width + x];
      all += (v - total) ** 2;
      residual += (v - mean[(y % ch) * cw + (x % cw)]) ** 2;
    }
  }
  return all > 1e-12 ? residual / all : 0;
}

/**
 * Above this residual share (cellResidualShare) the exemplar's cells differ, and each output cell reads
 * its texels from a randomly chosen exemplar cell (cellSources). Repeating the one cell at the origin
 * left such an exemplar's variants without any structure larger than a cell: every cell identical, no
 * power below the cell frequency (tuning sets: trak5/floor2e and tutorial/floor2e, residual 0.12 and 0.34,
 * spectrum 35x and 55x the exemplar's own half-to-half distance). A strictly periodic exemplar (set 1's
 * platten: 0.02) keeps the plain repeat, so its variants are unchanged.
 */
export const CELL_RESIDUAL_MIN = 0.05;

/** Which exemplar cell (column, row) each output cell reads from. */
export interface CellSources {
  columns: number;
  rows: number;
  /** Per output cell, row-major: the exemplar cell's column and row. */
  source: Int32Array;
}

/**
 * A seeded choice of exemplar cell for every output cell (uniform over the exemplar's cells; the same
 * seed gives the same choice). With the cell's coordinate map this keeps the lattice and the grown cell's
 * layout in every output cell, while the content that differs from cell to cell is drawn anew.
 */
export function cellSources(cell: { width: number; height: number }, exWidth: number, exHeight: number, outWidth: number, outHeight: number, seed: number): CellSources {
  const columns = outWidth / cell.width;
  const rows = outHeight / cell.height;
  const nx = exWidth / cell.width;
  const ny = exHeight / cell.height;
  const source = new Int32Array(2 * columns * rows);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < columns; i++) {
      source[2 * (j * columns + i)] = Math.floor(hashRandom(seed, 93, i, j) * nx);
      source[2 * (j * columns + i) + 1] = Math.floor(hashRandom(seed, 94, i, j) * ny);
    }
  }
  return { columns, rows, source };
}

/** a mod n in 0..n−1, for negative a too. */
export const mod = (a: number, n: number): number => ((a % n) + n) % n;

/**
 * A cell's coordinate map repeated over the output (cell coordinates are exemplar coordinates: cell at
 * 0,0); with `sources`, output cell (i, j) is moved onto its chosen exemplar cell.
 */
export function repeatCell(cell: CoordinateMap, width: number, height: number, sources?: CellSources): CoordinateMap {
  const x = new Int32Array(width * height);
  const y = new Int32Array(width * height);
  for (let py = 0; py < height; py++) {
    const row = (py % cell.height) * cell.width;
    for (let px = 0; px < width; px++) {
      const s = row + (px % cell.width);
      let ox = 0;
      let oy = 0;
      if (sources) {
        // The exemplar-cell copy this texel's content belongs to: where the grown layout crosses a cell
        // edge of the exemplar (its coordinate wraps), or at a patch seam, never inside a copied patch.
        const i = mod(Math.floor((px - cell.x[s]) / cell.width), sources.columns);
        const j = mod(Math.floor((py - cell.y[s]) / cell.height), sources.rows);
        const c = 2 * (j * sources.columns + i);
        ox = sources.source[c] * cell.width;
        oy = sources.source[c + 1] * cell.height;
      }
      x[py * width + px] = cell.x[s] + ox;
      y[py * width + px] = cell.y[s] + oy;
    }
  }
  return { width, height, x, y };
}
