/**
 * Structure kept by a styled texture, for `eval-style`: SSIM of luminance at 1/4 resolution (the
 * layout, not the grain the style is meant to change) and the correlation of the two edge maps
 * (Sobel gradient magnitude of luma at full resolution).
 */

import { filter2, gaussian1d } from '../../metrics/filter';
import { luma, type Plane } from '../../metrics/image-planes';
import { ssim } from '../../metrics/ssim';
import type { RawImage } from '../../types';

/** SSIM (Wang et al. 2004, 11x11 window) of BT.601 luma after a 4x4 box average. Needs ≥ 44 texels a side. */
export function quarterLumaSsim(a: RawImage, b: RawImage): number {
  return ssim(boxShrink(luma(a), 4), boxShrink(luma(b), 4));
}

/**
 * The structure term of that SSIM alone, s = (cov + C3) / (sd_a sd_b + C3), C3 = C2 / 2: local
 * correlation of the layouts, blind to the brightness and contrast changes a style is meant to make.
 */
export function quarterLumaStructure(a: RawImage, b: RawImage): number {
  const pa = boxShrink(luma(a), 4);
  const pb = boxShrink(luma(b), 4);
  const w = gaussian1d(11, 1.5);
  const blur = (d: Float64Array) => filter2({ data: d, width: pa.width, height: pa.height }, w, w, 'valid').data;
  const ma = blur(pa.data);
  const mb = blur(pb.data);
  const aa = blur(pa.data.map((v) => v * v));
  const bb = blur(pb.data.map((v) => v * v));
  const ab = blur(pa.data.map((v, i) => v * pb.data[i]));
  const c3 = ((0.03 * 255) ** 2) / 2;
  let sum = 0;
  for (let i = 0; i < ma.length; i++) {
    const va = Math.max(0, aa[i] - ma[i] * ma[i]);
    const vb = Math.max(0, bb[i] - mb[i] * mb[i]);
    sum += (ab[i] - ma[i] * mb[i] + c3) / (Math.sqrt(va * vb) + c3);
  }
  return sum / ma.length;
}

/** Pearson correlation of the Sobel gradient magnitudes of the two images' luma (1 = same edges). */
export function edgeCorrelation(a: RawImage, b: RawImage): number {
  const ea = sobelMagnitude(luma(a));
  const eb = sobelMagnitude(luma(b));
  let ma = 0, mb = 0;
  for (let i = 0; i < ea.length; i++) { ma += ea[i]; mb += eb[i]; }
  ma /= ea.length;
  mb /= eb.length;
  let cov = 0, va = 0, vb = 0;
  for (let i = 0; i < ea.length; i++) {
    const da = ea[i] - ma;
    const db = eb[i] - mb;
    cov += da * db;
    va += da * da;
    vb += db * db;
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : va === vb ? 1 : 0;
}

function boxShrink(p: Plane, f: number): Plane {
  const width = Math.floor(p.width / f);
  const height = Math.floor(p.height / f);
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) s += p.data[(y * f + dy) * p.width + x * f + dx];
      data[y * width + x] = s / (f * f);
    }
  }
  return { data, width, height };
}

/** Sobel gradient magnitude over the interior texels (the 1-texel border left out). */
function sobelMagnitude(p: Plane): Float64Array {
  const { width: w, height: h, data: d } = p;
  const out = new Float64Array(Math.max(0, (w - 2) * (h - 2)));
  let k = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const gx = d[i - w + 1] + 2 * d[i + 1] + d[i + w + 1] - d[i - w - 1] - 2 * d[i - 1] - d[i + w - 1];
      const gy = d[i + w - 1] + 2 * d[i + w] + d[i + w + 1] - d[i - w - 1] - 2 * d[i - w] - d[i - w + 1];
      out[k++] = Math.hypot(gx, gy);
    }
  }
  return out;
}
