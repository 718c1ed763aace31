/**
 * Novelty: the largest normalised cross-correlation (NCC) of luma between a texture and a template
 * over ALL cyclic shifts, computed with FFTs. A shifted (wrapped) copy scores ~1; an unrelated texture
 * of the same material stays well below. When the template is smaller than the texture (a 512²
 * exemplar against a 1024² variant) every template-sized window of the texture is tried; a template
 * larger than the texture is cropped to the texture's size first.
 */

import type { RawImage } from '../../types';
import { fft2d } from './fft';
import { cropImage, lumaPlane } from './planes';

/** Windowed cyclic sums of `src` over tw×th windows starting at each texel. */
function cyclicBoxSums(src: Float64Array, width: number, height: number, tw: number, th: number): Float64Array {
  const rows = new Float64Array(src.length);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    let s = 0;
    for (let k = 0; k < tw; k++) s += src[o + (k % width)];
    for (let x = 0; x < width; x++) {
      rows[o + x] = s;
      s += src[o + ((x + tw) % width)] - src[o + x];
    }
  }
  const out = new Float64Array(src.length);
  for (let x = 0; x < width; x++) {
    let s = 0;
    for (let k = 0; k < th; k++) s += rows[(k % height) * width + x];
    for (let y = 0; y < height; y++) {
      out[y * width + x] = s;
      s += rows[((y + th) % height) * width + x] - rows[y * width + x];
    }
  }
  return out;
}

export interface NccResult {
  /** Largest NCC over all shifts, -1..1. */
  max: number;
  /** The shift (texture texel where the template's origin lands) that gave it. */
  dx: number;
  dy: number;
}

/**
 * @example maxCyclicNcc(variant, exemplar).max // ≈1 for a shifted copy, ≤0.6 for a real variation
 */
export function maxCyclicNcc(texture: RawImage, template: RawImage): NccResult {
  if (template.width > texture.width || template.height > texture.height) {
    template = cropImage(template, 0, 0, Math.min(template.width, texture.width), Math.min(template.height, texture.height));
  }
  const I = lumaPlane(texture);
  const T = lumaPlane(template);
  const { width, height } = I;
  const tw = T.width;
  const th = T.height;
  const n = tw * th;
  let tMean = 0;
  for (let i = 0; i < n; i++) tMean += T.data[i];
  tMean /= n;
  let tVar = 0;
  const tRe = new Float64Array(width * height);
  const tIm = new Float64Array(width * height);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = T.data[y * tw + x] - tMean;
      tRe[y * width + x] = v;
      tVar += v * v;
    }
  }
  const iRe = Float64Array.from(I.data);
  const iIm = new Float64Array(width * height);
  fft2d({ re: tRe, im: tIm }, width, height);
  fft2d({ re: iRe, im: iIm }, width, height);
  // corr(s) = Σ_q t(q) I(q + s) = IFFT(conj(T̂) · Î)
  for (let i = 0; i < iRe.length; i++) {
    const re = tRe[i] * iRe[i] + tIm[i] * iIm[i];
    const im = tRe[i] * iIm[i] - tIm[i] * iRe[i];
    iRe[i] = re;
    iIm[i] = im;
  }
  fft2d({ re: iRe, im: iIm }, width, height, true);
  const sq = new Float64Array(I.data.length);
  for (let i = 0; i < sq.length; i++) sq[i] = I.data[i] * I.data[i];
  const sums = cyclicBoxSums(I.data, width, height, tw, th);
  const sums2 = cyclicBoxSums(sq, width, height, tw, th);
  let best: NccResult = { max: -1, dx: 0, dy: 0 };
  const tNorm = Math.sqrt(tVar);
  for (let i = 0; i < iRe.length; i++) {
    const v = sums2[i] - (sums[i] * sums[i]) / n;
    // Flat windows (or a flat template) correlate with nothing: leave them at 0.
    if (v <= 1e-9 * n || tNorm < 1e-9) continue;
    const ncc = iRe[i] / (Math.sqrt(v) * tNorm);
    if (ncc > best.max) best = { max: ncc, dx: i % width, dy: Math.floor(i / width) };
  }
  if (best.max === -1) best.max = 0;
  best.max = Math.min(1, best.max);
  return best;
}
