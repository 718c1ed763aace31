/**
 * Tileability: mean squared difference between texels across a wrap-around edge over the same between
 * neighbouring texels inside, in the same direction. A texture that tiles scores ~1; a seam scores well
 * above (a crop of a photo: 2-10). Target for variants and styled tiling textures: ≤ 1.2.
 *
 * Each edge is read against its own direction and the worse one counts (issue 12, set 10's
 * `drkmtl_grlpltmech_fx2`): a texture of horizontal scanlines with a step at its left/right edge 550x its
 * horizontal detail read 0.85 when both edges were pooled over both directions, because its vertical
 * scanline energy filled the denominator and its top/bottom edge, which does tile, halved the numerator.
 * A viewer sees that seam; pooled, it hid. `wrapEdgeRatios(image).pooled` keeps the old reading for
 * comparison with figures measured before.
 */

import type { RawImage } from '../../types';

/** Wrap-edge ratios of one image: each edge against its own direction, and the old pooled reading. */
export interface WrapEdgeRatios {
  /** The right-to-left edge (last column to first) over horizontal neighbours inside. */
  columns: number;
  /** The bottom-to-top edge (last row to first) over vertical neighbours inside. */
  rows: number;
  /** Both edges over both directions inside (the reading before issue 12's sixteenth pass). */
  pooled: number;
}

/** @example wrapEdgeRatio(variant) // ≤ 1.2 when it tiles across both edges */
export function wrapEdgeRatio(image: RawImage): number {
  const { columns, rows } = wrapEdgeRatios(image);
  return Math.max(columns, rows);
}

/** @example const { columns, rows } = wrapEdgeRatios(texture) // which edge has the seam */
export function wrapEdgeRatios(image: RawImage): WrapEdgeRatios {
  const { width, height, channels, data } = image;
  const cc = channels >= 3 ? 3 : 1;
  // [inside, across the edge] sums of squared differences, horizontal then vertical.
  let innerH = 0;
  let edgeH = 0;
  let innerV = 0;
  let edgeV = 0;
  const diff = (a: number, b: number) => {
    let s = 0;
    for (let c = 0; c < cc; c++) s += (data[a * channels + c] - data[b * channels + c]) ** 2;
    return s;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const dr = diff(i, x + 1 < width ? i + 1 : y * width);
      const dd = diff(i, y + 1 < height ? i + width : x);
      if (x + 1 < width) innerH += dr; else edgeH += dr;
      if (y + 1 < height) innerV += dd; else edgeV += dd;
    }
  }
  const innerHN = (width - 1) * height;
  const innerVN = width * (height - 1);
  return {
    columns: ratio(edgeH / height, innerH / Math.max(1, innerHN)),
    rows: ratio(edgeV / width, innerV / Math.max(1, innerVN)),
    pooled: ratio((edgeH + edgeV) / (width + height), (innerH + innerV) / Math.max(1, innerHN + innerVN)),
  };
}

function ratio(edge: number, inner: number): number {
  if (inner === 0) return edge === 0 ? 1 : Infinity;
  return edge / inner;
}
