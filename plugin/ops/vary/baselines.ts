/**
 * The two baselines `remaster eval-vary` compares the synthesis with, on the same inputs, applied
 * like the synthesis to every map of the set (same random layout for each map):
 * - shuffledTiles: the output cut into square tiles, each a copy of the (wrapped) exemplar at a random
 *   offset: what a level designer does by hand with UV offsets;
 * - histogramBlend: Heitz & Neyret 2018, "High-performance by-example noise using a
 *   histogram-preserving blending operator": per channel, values are mapped to a Gaussian through the
 *   exemplar's histogram; three randomly offset copies are blended with the barycentric weights of a
 *   triangle grid and a variance-preserving sum (Σ w·(G-μ) / √Σw² + μ); then mapped back. A square grid
 *   split into triangles (not the paper's skewed one) so the output tiles with whole cells. Real time,
 *   good on stochastic textures, blurs structure.
 */

import { unitNormal } from '../../engine/normal';
import { toByte } from '../../engine/pixels';
import type { RawImage } from '../../types';
import { hashRandom } from './hash-random';
import type { VaryMap } from './types';

export interface BaselineOptions {
  width: number;
  height: number;
  seed: number;
  /** Tile / triangle-cell edge in output texels. */
  cell: number;
}

function renormaliseIfNormal(map: VaryMap, image: RawImage): RawImage {
  if (map.kind !== 'normal' || image.channels < 3) return image;
  const d = image.data;
  for (let o = 0; o < d.length; o += image.channels) {
    const [x, y, z] = unitNormal((d[o] / 255) * 2 - 1, (d[o + 1] / 255) * 2 - 1, (d[o + 2] / 255) * 2 - 1);
    d[o] = toByte((x + 1) / 2);
    d[o + 1] = toByte((y + 1) / 2);
    d[o + 2] = toByte((z + 1) / 2);
  }
  return image;
}

/** Whole cells per output side (at least 1), so tiles line up with the wrap-around. */
function cellsPer(side: number, cell: number): number {
  return Math.max(1, Math.round(side / cell));
}

export function shuffledTiles(maps: VaryMap[], options: BaselineOptions): VaryMap[] {
  const { width, height, seed } = options;
  const cx = cellsPer(width, options.cell);
  const cy = cellsPer(height, options.cell);
  return maps.map((map) => {
    const src = map.image;
    const ch = src.channels;
    const out = new Uint8Array(width * height * ch);
    for (let y = 0; y < height; y++) {
      const ty = Math.floor((y * cy) / height);
      for (let x = 0; x < width; x++) {
        const tx = Math.floor((x * cx) / width);
        const ox = Math.floor(hashRandom(seed, 1, tx, ty) * src.width);
        const oy = Math.floor(hashRandom(seed, 2, tx, ty) * src.height);
        const s = (((y + oy) % src.height) * src.width + ((x + ox) % src.width)) * ch;
        out.set(src.data.subarray(s, s + ch), (y * width + x) * ch);
      }
    }
    return { ...map, image: renormaliseIfNormal(map, { data: out, width, height, channels: src.channels }) };
  });
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
function probit(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -probit(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 erf, |error| < 1.5e-7). */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

export function histogramBlend(maps: VaryMap[], options: BaselineOptions): VaryMap[] {
  const { width, height, seed } = options;
  const cx = cellsPer(width, options.cell);
  const cy = cellsPer(height, options.cell);
  return maps.map((map) => {
    const src = map.image;
    const ch = src.channels;
    const n = src.width * src.height;
    const out = new Uint8Array(width * height * ch);
    for (let c = 0; c < ch; c++) {
      // Gaussianise through the histogram: code v → probit of its mid-rank.
      const hist = new Float64Array(256);
      for (let i = 0; i < n; i++) hist[src.data[i * ch + c]]++;
      const toGauss = new Float64Array(256);
      const cdf = new Float64Array(256);
      let acc = 0;
      for (let v = 0; v < 256; v++) {
        toGauss[v] = probit(Math.min(1 - 1e-6, Math.max(1e-6, (acc + hist[v] / 2) / n)));
        acc += hist[v];
        cdf[v] = acc / n;
      }
      const gauss = new Float64Array(n);
      for (let i = 0; i < n; i++) gauss[i] = toGauss[src.data[i * ch + c]];
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          // Square cell split along its diagonal into two triangles; barycentric weights of the 3 corners.
          const gx = (x * cx) / width;
          const gy = (y * cy) / height;
          const ix = Math.floor(gx);
          const iy = Math.floor(gy);
          const fx = gx - ix;
          const fy = gy - iy;
          const corners: [number, number, number][] =
            fx >= fy ? [[0, 0, 1 - fx], [1, 0, fx - fy], [1, 1, fy]] : [[0, 0, 1 - fy], [0, 1, fy - fx], [1, 1, fx]];
          let g = 0;
          let w2 = 0;
          for (const [dx, dy, w] of corners) {
            const vx = (ix + dx) % cx;
            const vy = (iy + dy) % cy;
            const ox = Math.floor(hashRandom(seed, 11, vx, vy) * src.width);
            const oy = Math.floor(hashRandom(seed, 12, vx, vy) * src.height);
            g += w * gauss[((y + oy) % src.height) * src.width + ((x + ox) % src.width)];
            w2 += w * w;
          }
          g /= Math.sqrt(w2);
          // Back through the histogram: the first code whose CDF reaches Φ(g).
          const p = normalCdf(g);
          let lo = 0;
          let hi = 255;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (cdf[mid] < p) lo = mid + 1;
            else hi = mid;
          }
          out[(y * width + x) * ch + c] = lo;
        }
      }
    }
    return { ...map, image: renormaliseIfNormal(map, { data: out, width, height, channels: src.channels }) };
  });
}
