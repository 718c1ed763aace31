/**
 * Period cells on a skewed lattice: an exemplar that repeats exactly under a lattice with no axis-aligned
 * basis — a two-tile checkerboard [[A, B], [B, A]] repeats under (128, 128) and (128, −128), held-out set 9's
 * Scorched 3D grounds. period-cell.ts grows a new cell only for an axis-aligned grid; such a lattice fell into
 * lattice mode, whose moves are lattice steps of an image that every step maps onto itself: shifted copies
 * (set 9: NCC vs the exemplar up to 0.90).
 *
 * Reduced to the axis-aligned case by a shear, a texel permutation: in coordinates u = x − k·y, v = y the
 * lattice becomes the grid (p, 0), (0, q), so the sheared exemplar's p × q cell is an ordinary torus. A new cell
 * is grown there (the axis-aligned path's settings), repeated, and sheared back. A constant offset in sheared
 * coordinates is the same constant offset in the exemplar, so copied patches stay pure translations (nothing is
 * rotated or mirrored: normals keep their orientation), and the output repeats under the exemplar's lattice and
 * tiles. Where the cell's own layout comes back a near-copy (novelty check, vary-texture.ts), the cell is grown
 * freely instead, as an organic exemplar: an organic ground repeated on a checkerboard has no design in the cell.
 * Where the cells differ (grooves that repeat, wear that does not: set 10's dirtbrick), each output cell reads one
 * of the exemplar's cells (skewedCellSources, as period-cell.ts's cellSources), never in the exemplar's own
 * arrangement. Only tiling exemplars take this path; axis-aligned grids stay period-cell.ts's.
 */

import { cropImage } from '../../metrics/texture-stats';
import type { RawImage } from '../../types';
import { hashRandom } from './hash-random';
import { CELL_RESIDUAL_MIN, CELL_SHARE, cellResidualShare, cellSources, mod, type CellSources } from './period-cell';
import type { CoordinateMap, Lattice, VaryMap } from './types';

/** A p × q cell in sheared coordinates u = x − shear·y, v = y (shear 0: an axis-aligned cell). */
export interface SkewedCell {
  width: number;
  height: number;
  shear: number;
}

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : Math.abs(a));

/**
 * The full lattice of a periodic exemplar in Hermite normal form: spanned by the detected vectors AND the
 * exemplar's own periods (width, 0), (0, height), basis (p, 0), (s, q) with 0 ≤ s < p. On a 256² torus
 * (128, 128) and (128, −128) are the same vector, so the detector returns one period; the torus adds the other.
 * @example torusLattice({ a: [128, 128], b: [0, 0], strength: 1 }, 256, 256) // { p: 256, s: 128, q: 128 }
 */
export function torusLattice(lattice: Lattice, width: number, height: number): { p: number; s: number; q: number } {
  const vs: [number, number][] = [[...lattice.a], [...lattice.b], [width, 0], [0, height]];
  // Euclid on the y components until one vector (the pivot) carries them all.
  for (;;) {
    const rows = vs.filter((v) => v[1] !== 0).sort((u, v) => Math.abs(u[1]) - Math.abs(v[1]));
    if (rows.length <= 1) break;
    const pivot = rows[0];
    for (const v of rows.slice(1)) {
      const t = Math.trunc(v[1] / pivot[1]);
      v[0] -= t * pivot[0];
      v[1] -= t * pivot[1];
    }
  }
  const pivot = vs.find((v) => v[1] !== 0)!;
  const p = vs.filter((v) => v !== pivot).reduce((g, v) => gcd(g, v[0]), 0);
  const sign = pivot[1] < 0 ? -1 : 1;
  return { p, s: mod(sign * pivot[0], p), q: sign * pivot[1] };
}

/** The lead map sheared: S(u, v) = I((u + shear·v) mod width, v). */
export function shearImage(image: RawImage, shear: number): RawImage {
  const { width, height, channels } = image;
  const data = new Uint8Array(image.data.length);
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const s = (v * width + mod(u + shear * v, width)) * channels;
      data.set(image.data.subarray(s, s + channels), (v * width + u) * channels);
    }
  }
  return { ...image, data };
}

/**
 * The skewed cell of an exemplar that repeats exactly on a lattice with no axis-aligned basis, or undefined
 * (skewedCellShape where the cells are alike).
 * Conditions: the cell in sheared coordinates passes the axis-aligned path's size rule (both sides ≥ 32 px, one
 * ≥ CELL_SHARE of the exemplar), a shear k with k·q ≡ s (mod p) exists (smallest |k|) for which the output
 * (outWidth × outHeight) can hold whole sheared cells and still tile (k·outHeight ≡ 0 mod p), and the repeat
 * is exact: at most CELL_RESIDUAL_MIN of the luma variance is not the mean cell (cells that differ keep
 * lattice mode). Axis-aligned grids are period-cell.ts's: this returns undefined for them (s = 0).
 */
export function skewedCell(lattice: Lattice, lead: RawImage, outWidth: number, outHeight: number): SkewedCell | undefined {
  const cell = skewedCellShape(lattice, lead, outWidth, outHeight);
  return cell && skewedResidualShare(lead, cell) <= CELL_RESIDUAL_MIN ? cell : undefined;
}

/** Share of the luma variance off the mean sheared cell (cellResidualShare in sheared coordinates). */
export function skewedResidualShare(lead: RawImage, cell: SkewedCell): number {
  return cellResidualShare(shearImage(lead, cell.shear), cell);
}

/** skewedCell's geometry alone: the sheared cell, whether or not the exemplar's cells are alike (vary-texture.ts). */
export function skewedCellShape(lattice: Lattice, lead: RawImage, outWidth: number, outHeight: number): SkewedCell | undefined {
  const { width, height } = lead;
  const { p, s, q } = torusLattice(lattice, width, height);
  if (s === 0 || Math.min(p, q) < 32 || Math.max(p / width, q / height) < CELL_SHARE) return undefined;
  if (outWidth % p || outHeight % q) return undefined;
  let shear: number | undefined;
  for (let k = 1; k < p && shear === undefined; k++) {
    for (const c of [k, -k]) if (shear === undefined && mod(c * q - s, p) === 0 && mod(c * outHeight, p) === 0) shear = c;
  }
  if (shear === undefined) return undefined;
  return { width: p, height: q, shear };
}

/** The maps of a set as the sheared cell at the origin: an ordinary p × q torus (any cell will do). */
export function shearedCell(maps: VaryMap[], cell: SkewedCell): VaryMap[] {
  return maps.map((m) => ({ ...m, image: cropImage(shearImage(m.image, cell.shear), 0, 0, cell.width, cell.height) }));
}

/**
 * A grown sheared cell's coordinate map repeated over the output and sheared back: output texel (x, y) reads
 * cell texel ((x − k·y) mod p, y mod q), whose sheared exemplar coordinate (u, v) is exemplar texel
 * ((u + k·v) mod exWidth, v). With `sources`, output cell (i, j) (sheared coordinates) reads exemplar cell
 * (si, sj) instead of (0, 0): (u, v) + (si·p, sj·q), a whole lattice vector, switching only where the grown layout
 * crosses a cell edge or at a patch seam (as repeatCell).
 */
export function repeatSkewedCell(cell: CoordinateMap, skew: SkewedCell, width: number, height: number, exWidth: number, sources?: CellSources): CoordinateMap {
  const x = new Int32Array(width * height);
  const y = new Int32Array(width * height);
  const { width: p, height: q, shear: k } = skew;
  for (let py = 0; py < height; py++) {
    const row = (py % cell.height) * cell.width;
    for (let px = 0; px < width; px++) {
      const s = row + mod(px - k * py, cell.width);
      let u = cell.x[s];
      let v = cell.y[s];
      if (sources) {
        // The output cell this texel's content belongs to, in sheared coordinates (as repeatCell), reduced to
        // the output torus: a whole output height down is -k·height/p cells across in sheared coordinates.
        const ci = Math.floor((px - k * py - u) / p);
        const cj = Math.floor((py - v) / q);
        const j = mod(cj, sources.rows);
        const i = mod(ci + (k * ((cj - j) / sources.rows) * height) / p, sources.columns);
        const c = 2 * (j * sources.columns + i);
        u += sources.source[c] * p;
        v += sources.source[c + 1] * q;
      }
      x[py * width + px] = mod(u + k * v, exWidth);
      y[py * width + px] = v;
    }
  }
  return { width, height, x, y };
}

/**
 * cellSources for a sheared cell, never the exemplar's own arrangement: where every output cell reads the exemplar
 * cell one common lattice shift away, the variant's cell-to-cell differences are the exemplar's, in place. With
 * few cells that is likely (a two-tile checkerboard: 1 draw in 2) and the variant is then close to a shifted copy
 * of the exemplar. Sheared cell (i, j) is lattice vector (i·p + k·j·q, j·q); the arrangement is the exemplar's
 * when source − output vector, reduced to the exemplar torus, is one vector for all output cells.
 */
export function skewedCellSources(skew: SkewedCell, exWidth: number, exHeight: number, outWidth: number, outHeight: number, seed: number): CellSources {
  const { width: p, height: q, shear: k } = skew;
  const vector = (i: number, j: number) => `${mod(i * p + k * j * q, exWidth)},${mod(j * q, exHeight)}`;
  let sources = cellSources(skew, exWidth, exHeight, outWidth, outHeight, seed);
  for (let draw = 1; draw <= 8; draw++) {
    const shifts = new Set<string>();
    for (let j = 0; j < sources.rows; j++) {
      for (let i = 0; i < sources.columns; i++) {
        const c = 2 * (j * sources.columns + i);
        shifts.add(vector(sources.source[c] - i, sources.source[c + 1] - j));
      }
    }
    if (shifts.size > 1) break;
    sources = cellSources(skew, exWidth, exHeight, outWidth, outHeight, Math.floor(hashRandom(seed, 95, draw, 0) * 2147483647));
  }
  return sources;
}
