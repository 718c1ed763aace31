/**
 * Tileability: mean squared difference between texels across the wrap-around edges (last column to
 * first, last row to first) over the same between neighbouring texels inside. A texture that tiles
 * scores ~1; a seam scores well above (a crop of a photo: 2-10). Target for variants: ≤ 1.2.
 */

import type { RawImage } from '../../types';

/** @example wrapEdgeRatio(variant) // ≤ 1.2 when it tiles */
export function wrapEdgeRatio(image: RawImage): number {
  const { width, height, channels, data } = image;
  const cc = channels >= 3 ? 3 : 1;
  let inner = 0;
  let innerN = 0;
  let edge = 0;
  let edgeN = 0;
  const diff = (a: number, b: number) => {
    let s = 0;
    for (let c = 0; c < cc; c++) s += (data[a * channels + c] - data[b * channels + c]) ** 2;
    return s;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const right = x + 1 < width ? i + 1 : y * width;
      const down = y + 1 < height ? i + width : x;
      const dr = diff(i, right);
      const dd = diff(i, down);
      if (x + 1 < width) { inner += dr; innerN++; } else { edge += dr; edgeN++; }
      if (y + 1 < height) { inner += dd; innerN++; } else { edge += dd; edgeN++; }
    }
  }
  const innerMean = inner / Math.max(1, innerN);
  const edgeMean = edge / Math.max(1, edgeN);
  if (innerMean === 0) return edgeMean === 0 ? 1 : Infinity;
  return edgeMean / innerMean;
}
