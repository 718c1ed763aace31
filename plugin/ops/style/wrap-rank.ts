/**
 * Where the wrap-around edge ranks among all the texture's column and row boundaries by gradient
 * energy (0 = the calmest boundary, 1 = the strongest). The single-line wrap ratio of
 * texture-stats (wrap edge over the interior mean) swings with content: on a seamless texture an
 * interior line can read 0.4 or 1.8 just as well. A seam is an outlier line, so it ranks near 1; a
 * texture that tiles puts its wrap edge anywhere (0.5 on average over a set).
 */

import type { RawImage } from '../../types';

export function wrapEdgeRank(image: RawImage): number {
  const { width: w, height: h, channels: ch, data } = image;
  const cc = ch >= 3 ? 3 : 1;
  const diff = (a: number, b: number) => {
    let s = 0;
    for (let c = 0; c < cc; c++) s += (data[a * ch + c] - data[b * ch + c]) ** 2;
    return s;
  };
  const cols = new Float64Array(w); // boundary between column x and x+1 (mod w)
  const rows = new Float64Array(h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      cols[x] += diff(i, y * w + ((x + 1) % w));
      rows[y] += diff(i, ((y + 1) % h) * w + x);
    }
  }
  const rank = (lines: Float64Array, edge: number) => {
    let below = 0;
    for (let k = 0; k < lines.length; k++) if (k !== edge && lines[k] < lines[edge]) below++;
    return lines.length > 1 ? below / (lines.length - 1) : 0.5;
  };
  return (rank(cols, w - 1) + rank(rows, h - 1)) / 2;
}
