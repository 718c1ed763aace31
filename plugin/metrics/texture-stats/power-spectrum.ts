/**
 * Distance between the power spectra of two textures' luma: radially averaged, normalised to unit
 * total power (so it compares the shape — which scales carry the detail — not the contrast, which the
 * colour distance already sees), on log-spaced frequency bands; RMS of the log10 ratio per band.
 * A Hann window keeps a non-tiling crop's border from adding a false cross to its spectrum. For images
 * that tile (`tiling: true`, both of them) the window is left off: a tiling image is periodic, has no
 * border to hide, and its power spectrum is then the same at every cyclic shift — with the window, what
 * lies near the edges (a panel's frame) is damped and the figure depends on where the origin was put.
 */

import type { RawImage } from '../../types';
import { lumaSpectrum } from './luma-spectrum';

/** Number of log-spaced radial bands from 1/min(size) to 0.5 cycles per texel. */
export const SPECTRUM_BANDS = 16;

export interface PowerSpectrumOptions {
  /** The image(s) tile: no window (periodic; cyclic shifts give the same spectrum). Default false (Hann window). */
  tiling?: boolean;
}

/** Radially averaged normalised power in SPECTRUM_BANDS bands (log10; -Infinity-free). */
export function radialPowerSpectrum(image: RawImage, options: PowerSpectrumOptions = {}): Float64Array {
  const { re, im, width, height } = lumaSpectrum(image, { hann: !options.tiling });
  const fmin = 1 / Math.min(width, height);
  const logMin = Math.log(fmin);
  const logSpan = Math.log(0.5) - logMin;
  const sums = new Float64Array(SPECTRUM_BANDS);
  const counts = new Float64Array(SPECTRUM_BANDS);
  let total = 0;
  for (let y = 0; y < height; y++) {
    const fy = (y <= height / 2 ? y : y - height) / height;
    for (let x = 0; x < width; x++) {
      const fx = (x <= width / 2 ? x : x - width) / width;
      const f = Math.hypot(fx, fy);
      if (f < fmin || f > 0.5) continue;
      const p = re[y * width + x] ** 2 + im[y * width + x] ** 2;
      const band = Math.min(SPECTRUM_BANDS - 1, Math.floor(((Math.log(f) - logMin) / logSpan) * SPECTRUM_BANDS));
      sums[band] += p;
      counts[band] += 1;
      total += p;
    }
  }
  const out = new Float64Array(SPECTRUM_BANDS);
  for (let b = 0; b < SPECTRUM_BANDS; b++) {
    const density = counts[b] ? sums[b] / counts[b] : 0;
    out[b] = Math.log10(density / (total || 1) + 1e-12);
  }
  return out;
}

/**
 * `tiling`: both images tile (both are read the same way: a pair is always compared with one estimator).
 * @example powerSpectrumDistance(variant, exemplar) // 0 = same spectral shape; 0.3 ≈ a factor 2 per band
 */
export function powerSpectrumDistance(a: RawImage, b: RawImage, options: PowerSpectrumOptions = {}): number {
  const sa = radialPowerSpectrum(a, options);
  const sb = radialPowerSpectrum(b, options);
  let sum = 0;
  for (let i = 0; i < SPECTRUM_BANDS; i++) sum += (sa[i] - sb[i]) ** 2;
  return Math.sqrt(sum / SPECTRUM_BANDS);
}
