/**
 * Distance between the power spectra of two textures' luma: radially averaged, normalised to unit
 * total power (so it compares the shape — which scales carry the detail — not the contrast, which the
 * colour distance already sees), on log-spaced frequency bands; RMS of the log10 ratio per band.
 * A Hann window keeps a non-tiling crop's border from adding a false cross to its spectrum. The window
 * damps what lies near the edges (a panel's frame), so for an image that tiles the figure depends on where
 * its origin was put. With `tiling: true` (both images tile) the spectrum is instead the Hann-windowed one
 * AVERAGED OVER EVERY CYCLIC SHIFT of the image — in closed form, the unwindowed power smoothed by the
 * window's power kernel (|W(0)|² = 1/4, |W(±1)|² = 1/16 per axis; the cross terms average out): the same
 * at every shift, and the same leakage as the windowed estimate, so a band holding only a bin or two keeps
 * the power its neighbours leak into it. (Without the window and without that smoothing, held-out set 9's
 * procedural ground textures, which have no power at 1 cycle per image, read 10^-10 in the lowest band
 * against their variants' 10^-5: a 1.2-1.5 distance from one band nobody can see.)
 */

import type { RawImage } from '../../types';
import { lumaSpectrum } from './luma-spectrum';

/** Number of log-spaced radial bands from 1/min(size) to 0.5 cycles per texel. */
export const SPECTRUM_BANDS = 16;

export interface PowerSpectrumOptions {
  /**
   * The image(s) tile: the Hann-windowed spectrum averaged over all cyclic shifts (the same at every
   * shift). Default false (Hann window).
   */
  tiling?: boolean;
}

/**
 * The power of a cyclic spectrum (re, im of a width x height FFT) averaged over every cyclic shift of the
 * image under a separable Hann window: |X|² smoothed by the window's power kernel [1/16, 1/4, 1/16] per
 * axis (the window's cross terms average out), DC zeroed (mean removed). The same at every shift of the
 * image. Also vary's spectrum filter's target where exemplar and output tile (ops/vary/spectrum-match.ts).
 */
export function shiftAveragedPower(re: Float64Array, im: Float64Array, width: number, height: number): Float64Array {
  const power = new Float64Array(re.length);
  for (let i = 1; i < power.length; i++) power[i] = re[i] * re[i] + im[i] * im[i];
  const rows = new Float64Array(power.length);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const a = o + (x === 0 ? width - 1 : x - 1);
      const b = o + (x === width - 1 ? 0 : x + 1);
      rows[o + x] = 0.25 * power[o + x] + 0.0625 * (power[a] + power[b]);
    }
  }
  const out = new Float64Array(power.length);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    const oa = (y === 0 ? height - 1 : y - 1) * width;
    const ob = (y === height - 1 ? 0 : y + 1) * width;
    for (let x = 0; x < width; x++) out[o + x] = 0.25 * rows[o + x] + 0.0625 * (rows[oa + x] + rows[ob + x]);
  }
  return out;
}

/** Radially averaged normalised power in SPECTRUM_BANDS bands (log10; -Infinity-free). */
export function radialPowerSpectrum(image: RawImage, options: PowerSpectrumOptions = {}): Float64Array {
  const { re, im, width, height } = lumaSpectrum(image, { hann: !options.tiling });
  let power: Float64Array;
  if (options.tiling) power = shiftAveragedPower(re, im, width, height);
  else {
    power = new Float64Array(width * height);
    for (let i = 0; i < power.length; i++) power[i] = re[i] ** 2 + im[i] ** 2;
  }
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
      const p = power[y * width + x];
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
