/**
 * Banded layouts: designed panels (a hazard stripe along the bottom, a row of vents, a pipe run) are
 * laid out in horizontal (or vertical) bands that do not repeat, so no lattice finds them; free moves
 * across the bands chop them into pieces. When most of the luma variance lies in the row means (or
 * column means) and little in the other direction, moves across the bands are locked (whole exemplar
 * heights only) and content varies along them: every band stays at its place, its content is new.
 *
 * Measured on 17 tuning sets (nexuiz folders outside the held-out rule + the sample stones; 2 banded and
 * tiling): both become faithful in colour and Gram (rstmtl_wrnpnls: colour 3.5 → 0.02x floor, spectrum
 * 4.2 → 0.9x) and keep their hazard stripes whole, but their max NCC vs the exemplar rises 0.26-0.43 →
 * 0.90-0.92 (the bands ARE most of the variance), missing the NCC ≤ 0.6 target that the chopped-up
 * versions met. Hence opt-in (`lockBands`), not the default. Only for tiling exemplars (a locked
 * non-tiling exemplar would keep its seam).
 */

import { lumaPlane } from '../../metrics/texture-stats';
import type { RawImage } from '../../types';
import type { Lattice } from './types';

/** Share of the luma variance in the row (column) means from which a texture counts as banded. */
export const BAND_SHARE = 0.4;
/** Largest share in the other direction: a grid of panels is not banded. */
export const CROSS_SHARE = 0.1;

/** 'rows' for horizontal bands, 'cols' for vertical ones, undefined otherwise. */
export function bandedAxis(image: RawImage): 'rows' | 'cols' | undefined {
  const { data, width, height } = lumaPlane(image);
  let mean = 0;
  for (let i = 0; i < data.length; i++) mean += data[i];
  mean /= data.length;
  let total = 0;
  for (let i = 0; i < data.length; i++) total += (data[i] - mean) ** 2;
  total /= data.length;
  if (total <= 0) return undefined;
  const rows = new Float64Array(height);
  const cols = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      rows[y] += data[y * width + x] / width;
      cols[x] += data[y * width + x] / height;
    }
  }
  const share = (m: Float64Array) => m.reduce((s, v) => s + (v - mean) ** 2, 0) / m.length / total;
  const r = share(rows);
  const c = share(cols);
  if (r >= BAND_SHARE && c < CROSS_SHARE) return 'rows';
  if (c >= BAND_SHARE && r < CROSS_SHARE) return 'cols';
  return undefined;
}

/**
 * The lattice with moves across the bands locked to whole exemplar sizes. Only when the lattice has no
 * period across the bands (none, or one along them): a brick wall's courses already lock that direction.
 */
export function lockBands(lattice: Lattice | undefined, axis: 'rows' | 'cols' | undefined, width: number, height: number): Lattice | undefined {
  if (!axis) return lattice;
  const across: [number, number] = axis === 'rows' ? [0, height] : [width, 0];
  if (!lattice) return { a: across, b: [0, 0], strength: 0 };
  const { a, b } = lattice;
  if (b[0] !== 0 || b[1] !== 0) return lattice;
  // one period: along the bands it joins the lock; across or oblique, the lattice already constrains it
  if (axis === 'rows' ? a[1] !== 0 : a[0] !== 0) return lattice;
  // The along-band period is dropped: with both locked, every move is a whole period of a periodic
  // band, i.e. a shifted copy (measured on the tuning sets: NCC 1.00); free moves along the bands vary them.
  return { a: across, b: [0, 0], strength: lattice.strength };
}
