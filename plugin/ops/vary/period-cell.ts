/**
 * Period cells: when a lattice's cell is large next to the exemplar (a texture made of 2x2 copies of one
 * tile, a floor of 4x4 panels), moving content by whole lattice steps can only give shifted copies of the
 * exemplar — every lattice step of a periodic image is the image again. Instead a NEW cell is grown
 * (toroidally, at the cell's size, from the cell as exemplar, with the cell's own finer lattice if it has
 * one: the bricks of a brick tile) and repeated, so the output keeps the lattice (same period, same
 * cell grid) and is not a shifted copy.
 */

import { cropImage } from '../../metrics/texture-stats';
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

/** A cell's coordinate map repeated over the output (cell coordinates are exemplar coordinates: cell at 0,0). */
export function repeatCell(cell: CoordinateMap, width: number, height: number): CoordinateMap {
  const x = new Int32Array(width * height);
  const y = new Int32Array(width * height);
  for (let py = 0; py < height; py++) {
    const row = (py % cell.height) * cell.width;
    for (let px = 0; px < width; px++) {
      const s = row + (px % cell.width);
      x[py * width + px] = cell.x[s];
      y[py * width + px] = cell.y[s];
    }
  }
  return { width, height, x, y };
}
