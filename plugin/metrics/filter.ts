/** Separable 2-D filtering of float planes, the building block of SSIM and HFEN. */

import type { Plane } from './image-planes';

/** Normalised 1-D Gaussian of the given odd size. */
export function gaussian1d(size: number, sigma: number): Float64Array {
  const k = new Float64Array(size);
  const r = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) sum += k[i] = Math.exp(-((i - r) ** 2) / (2 * sigma * sigma));
  return k.map((v) => v / sum);
}

/**
 * Separable filter with `kx` along rows and `ky` along columns. 'valid' keeps only texels whose
 * window lies inside the image (as Wang et al.'s reference SSIM does); 'same' reflects at the edges.
 */
export function filter2(plane: Plane, kx: Float64Array, ky: Float64Array, mode: 'valid' | 'same'): Plane {
  const rx = (kx.length - 1) / 2;
  const ry = (ky.length - 1) / 2;
  const { width: w, height: h, data } = plane;
  const ox = mode === 'valid' ? w - 2 * rx : w;
  const oy = mode === 'valid' ? h - 2 * ry : h;
  if (ox < 1 || oy < 1) throw new Error(`image ${w}x${h} is smaller than the ${kx.length}x${ky.length} filter`);
  const shift = mode === 'valid' ? 0 : 1;
  // Rows first: result is ox wide, h tall.
  const tmp = new Float64Array(ox * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < ox; x++) {
      let acc = 0;
      for (let i = 0; i < kx.length; i++) acc += kx[i] * data[y * w + mirror(x + i - rx * shift, w)];
      tmp[y * ox + x] = acc;
    }
  }
  const out = new Float64Array(ox * oy);
  for (let y = 0; y < oy; y++) {
    for (let x = 0; x < ox; x++) {
      let acc = 0;
      for (let i = 0; i < ky.length; i++) acc += ky[i] * tmp[mirror(y + i - ry * shift, h) * ox + x];
      out[y * ox + x] = acc;
    }
  }
  return { data: out, width: ox, height: oy };
}

/**
 * Reflects an index into 0..n-1 without repeating the edge texel (numpy/torch 'reflect'), as the
 * model cards' evaluation (models/training/srlib.py) pads, so both report the same HFEN.
 */
function mirror(i: number, n: number): number {
  if (n === 1) return 0;
  if (i < 0) return Math.min(-i, n - 1);
  if (i >= n) return Math.max(2 * n - 2 - i, 0);
  return i;
}
