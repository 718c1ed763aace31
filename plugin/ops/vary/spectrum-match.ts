/**
 * Spectrum re-matching of a finished variant (colour maps only): the variant's radially averaged power
 * spectrum is brought onto the exemplar's by one isotropic, shift-invariant linear filter (a gain per
 * radial frequency), applied cyclically so a tiling variant still tiles — the "spectrum constraint" of
 * Liu, Gousseau & Xia 2016 (*Texture synthesis through CNNs and spectrum constraints*), here radial
 * because the variant and the exemplar need not have the same size. A linear filter changes the
 * histogram, so, as in Portilla & Simoncelli 2000's alternating projections, each colour channel is then
 * mapped back onto the histogram it had before (the graded variant's, already on the exemplar's colours),
 * and the pair is repeated (SPECTRUM_ROUNDS).
 *
 * Why: a coordinate-map synthesis copies texels, so its fine detail is the exemplar's, but its large-scale
 * layout is a block arrangement whose lowest frequencies carry less power than the exemplar's (tuning
 * sets: the spectrum distance was the most common fidelity miss, concentrated in the lowest bands).
 *
 * Unlike the colour grading this is NOT a function of the colour alone: texel values change with their
 * neighbourhood (smoothly, at the scales the gain changes). The layout — which exemplar texel each output
 * texel comes from — and the normal / data maps are untouched; `spectrumMatch: false` keeps the graded
 * copy. Guarded like the grading: weakened (the log gain scaled by 0.75 / 0.5 / 0.25) or skipped where it
 * would move the texel-to-texel energy more than 10 % further from the exemplar's than the unfiltered
 * variant (without the guard, a variant lacking a region of the exemplar had its fine cracks smoothed away).
 * Deterministic (no random numbers; fixed-order sums).
 *
 * @example
 * const ref = spectrumReference(exemplarColour);          // once per exemplar map
 * const matched = matchSpectrum(gradedVariant, ref);
 */

import { fft2d } from '../../metrics/texture-stats/fft';
import { shiftAveragedPower } from '../../metrics/texture-stats/power-spectrum';
import type { RawImage } from '../../types';
import { DETAIL_TOLERANCE, detailEnergy } from './detail-energy';
import { sharedCopy, type VaryThreads } from './vary-threads';

/** Radial bands of the gain, log-spaced from the exemplar's lowest frequency to 0.5 cycles/texel. */
export const SPECTRUM_MATCH_BANDS = 16;
/** Largest amplitude gain (and smallest, inverted) a band may get: a band whose power the layout lost almost entirely is not rebuilt from noise. */
export const MAX_GAIN = 3;
/** Filter + histogram rounds. */
export const SPECTRUM_ROUNDS = 2;

/** Rec. 601 luma weights. */
const LUMA = [0.299, 0.587, 0.114];

/** What matchSpectrum needs of the exemplar: its luma's windowed power per radial band. */
export interface SpectrumReference {
  /** Lowest frequency of the bands (cycles/texel): 1 / the exemplar's shorter side. */
  fmin: number;
  /**
   * Exemplar and variants tile: band powers are the windowed ones averaged over every cyclic shift
   * (shiftAveragedBands), as eval-vary reads tiling images; else windowed at the image's own origin.
   */
  tiling: boolean;
  /** Mean windowed luma power per band, per texel (size-independent). */
  power: Float64Array;
  /** The exemplar's texel-to-texel luma energy (detail-energy.ts). */
  detail: number;
}

function lumaOf(image: RawImage): Float64Array {
  const { width, height, channels, data } = image;
  const out = new Float64Array(width * height);
  for (let i = 0, s = 0; i < out.length; i++, s += channels) {
    out[i] = channels >= 3 ? LUMA[0] * data[s] + LUMA[1] * data[s + 1] + LUMA[2] * data[s + 2] : data[s];
  }
  return out;
}

/** Radial frequency (cycles/texel) of FFT bin (x, y) of a width x height transform. */
function radius(x: number, y: number, width: number, height: number): number {
  const fx = (x <= width / 2 ? x : x - width) / width;
  const fy = (y <= height / 2 ? y : y - height) / height;
  return Math.hypot(fx, fy);
}

function bandOf(f: number, fmin: number): number {
  if (f < fmin || f > 0.5) return -1;
  const t = Math.log(f / fmin) / Math.log(0.5 / fmin);
  return Math.min(SPECTRUM_MATCH_BANDS - 1, Math.floor(t * SPECTRUM_MATCH_BANDS));
}

/**
 * Per FFT bin of a width x height transform: its band (−1 outside) and its position in band-centre units
 * (NaN below fmin: gain 1). Computed once per size (a log per bin was a fifth of the step's time at 1024²).
 */
interface BinGeometry { key: string; band: Int16Array; t: Float64Array }
let lastGeometry: BinGeometry | undefined;
function binGeometry(width: number, height: number, fmin: number): BinGeometry {
  const key = `${width}x${height}@${fmin}`;
  if (lastGeometry?.key === key) return lastGeometry;
  const band = new Int16Array(width * height);
  const t = new Float64Array(width * height);
  const logSpan = Math.log(0.5 / fmin);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const f = radius(x, y, width, height);
      band[y * width + x] = bandOf(f, fmin);
      t[y * width + x] = f === 0 || f < fmin * (1 - 1e-9) ? NaN : (Math.log(f / fmin) / logSpan) * SPECTRUM_MATCH_BANDS - 0.5;
    }
  }
  lastGeometry = { key, band, t };
  return lastGeometry;
}

/** Mean of a per-bin power plane per band, per texel of the image it came from. */
function bandMeans(power: Float64Array, width: number, height: number, fmin: number): Float64Array {
  const sums = new Float64Array(SPECTRUM_MATCH_BANDS);
  const counts = new Float64Array(SPECTRUM_MATCH_BANDS);
  const { band } = binGeometry(width, height, fmin);
  for (let i = 0; i < band.length; i++) {
    const b = band[i];
    if (b < 0) continue;
    sums[b] += power[i];
    counts[b]++;
  }
  const n = width * height;
  return sums.map((s, b) => (counts[b] ? s / counts[b] / n : 0));
}

/** Mean power per band of a spectrum, per texel of the image it came from. */
function bandPowers(re: Float64Array, im: Float64Array, width: number, height: number, fmin: number): Float64Array {
  const power = new Float64Array(re.length);
  for (let i = 0; i < power.length; i++) power[i] = re[i] * re[i] + im[i] * im[i];
  return bandMeans(power, width, height, fmin);
}

/** Mean power per band of a plane, mean removed, Hann-windowed (as the eval's spectrum), per texel. */
function windowedBands(plane: Float64Array, width: number, height: number, fmin: number): Float64Array {
  let mean = 0;
  for (let i = 0; i < plane.length; i++) mean += plane[i];
  mean /= plane.length;
  const re = new Float64Array(plane.length);
  const im = new Float64Array(plane.length);
  for (let y = 0; y < height; y++) {
    const wy = 0.5 - 0.5 * Math.cos((2 * Math.PI * (y + 0.5)) / height);
    for (let x = 0; x < width; x++) {
      const wx = 0.5 - 0.5 * Math.cos((2 * Math.PI * (x + 0.5)) / width);
      re[y * width + x] = (plane[y * width + x] - mean) * wx * wy;
    }
  }
  fft2d({ re, im }, width, height);
  return bandPowers(re, im, width, height, fmin);
}

/**
 * The same windowed spectrum from the plane's CYCLIC spectrum (saves a transform: the filter needs the cyclic
 * one anyway). The Hann window 0.5 − 0.5·cos(2π(n + ½)/N) has three Fourier coefficients, so windowing is a
 * 3-tap convolution per axis: X_w[k] = ½X[k] − ¼e^{iπ/N}X[k−1] − ¼e^{−iπ/N}X[k+1]. DC zeroed = mean removed.
 * Both passes walk rows in memory order (the vertical one used to walk columns, a cache miss per bin), and
 * the vertical pass adds each bin's power straight into its band in bin order, so the sums are the same
 * numbers bandPowers made from a windowed copy.
 */
function windowedBandsFromSpectrum(cre: Float64Array, cim: Float64Array, width: number, height: number, fmin: number): Float64Array {
  // Horizontal pass (along each row): X[k−1], X[k+1] cyclic within the row.
  const re1 = new Float64Array(cre.length);
  const im1 = new Float64Array(cim.length);
  {
    const cr = Math.cos(Math.PI / width);
    const ci = Math.sin(Math.PI / width);
    for (let y = 0; y < height; y++) {
      const o = y * width;
      for (let k = 0; k < width; k++) {
        const i = o + k;
        const a = o + (k === 0 ? width - 1 : k - 1);
        const b = o + (k === width - 1 ? 0 : k + 1);
        // DC (bin 0) counts as zero: the mean removed.
        const ir = i === 0 ? 0 : cre[i], ii = i === 0 ? 0 : cim[i];
        const ar = a === 0 ? 0 : cre[a], ai = a === 0 ? 0 : cim[a];
        const br = b === 0 ? 0 : cre[b], bi = b === 0 ? 0 : cim[b];
        re1[i] = 0.5 * ir - 0.25 * (cr * ar - ci * ai) - 0.25 * (cr * br + ci * bi);
        im1[i] = 0.5 * ii - 0.25 * (cr * ai + ci * ar) - 0.25 * (cr * bi - ci * br);
      }
    }
  }
  // Vertical pass (along each column, rows above and below cyclic), each bin's power into its band.
  const cr = Math.cos(Math.PI / height);
  const ci = Math.sin(Math.PI / height);
  const sums = new Float64Array(SPECTRUM_MATCH_BANDS);
  const counts = new Float64Array(SPECTRUM_MATCH_BANDS);
  const { band } = binGeometry(width, height, fmin);
  for (let k = 0; k < height; k++) {
    const o = k * width;
    const oa = (k === 0 ? height - 1 : k - 1) * width;
    const ob = (k === height - 1 ? 0 : k + 1) * width;
    for (let x = 0; x < width; x++) {
      const bnd = band[o + x];
      if (bnd < 0) continue;
      const i = o + x;
      const a = oa + x;
      const b = ob + x;
      const re = 0.5 * re1[i] - 0.25 * (cr * re1[a] - ci * im1[a]) - 0.25 * (cr * re1[b] + ci * im1[b]);
      const im = 0.5 * im1[i] - 0.25 * (cr * im1[a] + ci * re1[a]) - 0.25 * (cr * im1[b] - ci * re1[b]);
      sums[bnd] += re * re + im * im;
      counts[bnd]++;
    }
  }
  const n = width * height;
  return sums.map((v, b) => (counts[b] ? v / counts[b] / n : 0));
}

/**
 * The Hann-windowed band powers AVERAGED OVER EVERY CYCLIC SHIFT of the image, from its cyclic spectrum: the
 * power per bin smoothed by the window's power kernel (shiftAveragedPower, shared with the eval's metric; the
 * cross terms of windowedBandsFromSpectrum average out). The same at every shift: a tiling
 * exemplar whose panel frame lies on its edge is not read with the frame damped (the one-origin window
 * damps it, and the filter then took the frame's power out of variants where it lies inside).
 */
function shiftAveragedBands(cre: Float64Array, cim: Float64Array, width: number, height: number, fmin: number): Float64Array {
  return bandMeans(shiftAveragedPower(cre, cim, width, height), width, height, fmin);
}

/** The band powers of a luma plane's cyclic spectrum the way `ref` reads them. */
function bandsOf(tiling: boolean, lre: Float64Array, lim: Float64Array, width: number, height: number, fmin: number): Float64Array {
  return tiling ? shiftAveragedBands(lre, lim, width, height, fmin) : windowedBandsFromSpectrum(lre, lim, width, height, fmin);
}

/**
 * The exemplar's side of the match (compute once per exemplar map). `tiling`: the exemplar and its variants
 * tile (default false: the one-origin window, for a crop).
 */
export function spectrumReference(exemplar: RawImage, tiling = false): SpectrumReference {
  const fmin = 1 / Math.min(exemplar.width, exemplar.height);
  const { width, height } = exemplar;
  let power: Float64Array;
  if (tiling) {
    const re = lumaOf(exemplar);
    const im = new Float64Array(re.length);
    fft2d({ re, im }, width, height);
    power = shiftAveragedBands(re, im, width, height, fmin);
  } else {
    power = windowedBands(lumaOf(exemplar), width, height, fmin);
  }
  return { fmin, tiling, power, detail: imageDetail(exemplar) };
}

/**
 * Gain per FFT bin from per-band amplitude gains: piecewise linear in log gain between band centres (no
 * steps, which would ring), the end bands' gains beyond the last centre, 1 below the exemplar's lowest
 * frequency (a variant larger than its exemplar has scales the exemplar says nothing about).
 */
function binGains(bandGain: Float64Array, fmin: number, width: number, height: number): Float64Array {
  const out = new Float64Array(width * height);
  const { t } = binGeometry(width, height, fmin);
  const logG = bandGain.map((g) => Math.log(g));
  const last = SPECTRUM_MATCH_BANDS - 1;
  for (let i = 0; i < out.length; i++) {
    const ti = t[i];
    if (Number.isNaN(ti)) { out[i] = 1; continue; }
    let v: number;
    if (ti <= 0) v = logG[0];
    else if (ti >= last) v = logG[last];
    else {
      const b = Math.floor(ti);
      v = logG[b] + (ti - b) * (logG[b + 1] - logG[b]);
    }
    out[i] = Math.exp(v);
  }
  return out;
}


/**
 * Maps `values` onto the distribution of the 8-bit `target` values (same count), rank for rank:
 * values are binned at 1/64 level and each bin takes the target value at its middle rank.
 */
function matchHistogram(values: Float64Array, target: Uint8Array | number[], stride: number, offset: number, out: Uint8Array): void {
  const n = values.length;
  const cum = new Float64Array(257);
  for (let i = 0; i < n; i++) cum[target[i * stride + offset] + 1]++;
  for (let v = 0; v < 256; v++) cum[v + 1] += cum[v];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) { if (values[i] < lo) lo = values[i]; if (values[i] > hi) hi = values[i]; }
  const bins = Math.max(1, Math.min(1 << 16, Math.ceil((hi - lo) * 64) + 1));
  const scale = (bins - 1) / Math.max(hi - lo, 1e-9);
  const binOf = new Int32Array(n);
  const count = new Float64Array(bins);
  for (let i = 0; i < n; i++) { const b = Math.round((values[i] - lo) * scale); binOf[i] = b; count[b]++; }
  const valueOfBin = new Uint8Array(bins);
  let below = 0;
  let v = 0;
  for (let b = 0; b < bins; b++) {
    if (!count[b]) continue;
    const mid = below + count[b] / 2;
    while (v < 255 && cum[v + 1] <= mid) v++;
    valueOfBin[b] = v;
    below += count[b];
  }
  for (let i = 0; i < n; i++) out[i * stride + offset] = valueOfBin[binOf[i]];
}

/**
 * The variant with its luma's radial power spectrum moved onto the exemplar's (all colour channels
 * filtered alike, then each mapped back onto its own histogram); alpha carried. The strongest filter the
 * grain guard accepts (STRENGTHS: the log gain scaled), else the variant unchanged.
 */
export function matchSpectrum(variant: RawImage, ref: SpectrumReference, threads?: VaryThreads): RawImage {
  const far = (image: RawImage) => Math.abs(Math.log((imageDetail(image) + 1e-6) / (ref.detail + 1e-6)));
  const limit = far(variant) + Math.log(DETAIL_TOLERANCE);
  // The first round's transforms of the variant are the same at every strength: made once.
  const first = forward(variant, ref.fmin, ref.tiling, threads);
  for (const strength of STRENGTHS) {
    const out = filterRounds(variant, ref, strength, first, threads);
    if (far(out) <= limit) return out;
  }
  return variant;
}

/**
 * Strengths tried, strongest first: the first whose texel-to-texel luma energy is no further from the
 * exemplar's than the unfiltered variant's (x/÷ DETAIL_TOLERANCE) is used, else the variant unfiltered.
 */
const STRENGTHS = [1, 0.75, 0.5, 0.25];

/** Texel-to-texel luma energy of an image (detail-energy.ts). */
function imageDetail(image: RawImage): number {
  const l = lumaOf(image);
  return detailEnergy((i) => l[i], image.width, image.height);
}

/** One round's view of an image: its colour channels' cyclic spectra, and its luma's windowed band powers. */
interface Forward {
  /** Two real planes per complex transform: (R + iG), (B) — or the one grey plane. */
  pairs: { re: Float64Array; im: Float64Array }[];
  have: Float64Array;
}

/** A plane for a transform: shared when the transforms are split over threads. */
function plane(n: number, threads?: VaryThreads): Float64Array {
  return threads ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n);
}

function planeCopy(a: Float64Array, threads?: VaryThreads): Float64Array {
  return threads ? sharedCopy(a) : a.slice();
}

/** The 2-D FFTs of independent planes (the two colour pairs), in place; on two threads when given. */
function fftPairs(pairs: { re: Float64Array; im: Float64Array }[], width: number, height: number, inverse: boolean, threads?: VaryThreads): void {
  if (threads && pairs.length > 1 && pairs.length <= threads.count) {
    const rest = pairs.slice(1).map(({ re, im }) => ({ kind: 'fft2d' as const, re, im, width, height, inverse }));
    threads.together(rest, () => fft2d(pairs[0], width, height, inverse));
    return;
  }
  for (const p of pairs) fft2d(p, width, height, inverse);
}

function forward(current: RawImage, fmin: number, tiling: boolean, threads?: VaryThreads): Forward {
  const { width, height, channels } = current;
  const n = width * height;
  const cc = channels >= 3 ? 3 : 1;
  const pairs: { re: Float64Array; im: Float64Array }[] = [];
  for (let c = 0; c < cc; c += 2) {
    const re = plane(n, threads);
    const im = plane(n, threads);
    for (let i = 0; i < n; i++) {
      re[i] = current.data[i * channels + c];
      if (c + 1 < cc) im[i] = current.data[i * channels + c + 1];
    }
    pairs.push({ re, im });
  }
  fftPairs(pairs, width, height, false, threads);
  // The luma's cyclic spectrum from the channels' (linear): R̂ = (Z[k] + conj Z[−k])/2, Ĝ = (Z[k] − conj Z[−k])/2i.
  let lre: Float64Array;
  let lim: Float64Array;
  if (cc === 3) {
    lre = new Float64Array(n);
    lim = new Float64Array(n);
    const z = pairs[0];
    const bz = pairs[1];
    for (let y = 0; y < height; y++) {
      const my = (height - y) % height;
      for (let x = 0; x < width; x++) {
        const k = y * width + x;
        const m = my * width + ((width - x) % width);
        const rr = (z.re[k] + z.re[m]) / 2;
        const ri = (z.im[k] - z.im[m]) / 2;
        const gr = (z.im[k] + z.im[m]) / 2;
        const gi = -(z.re[k] - z.re[m]) / 2;
        lre[k] = LUMA[0] * rr + LUMA[1] * gr + LUMA[2] * bz.re[k];
        lim[k] = LUMA[0] * ri + LUMA[1] * gi + LUMA[2] * bz.im[k];
      }
    }
  } else {
    lre = pairs[0].re;
    lim = pairs[0].im;
  }
  return { pairs, have: bandsOf(tiling, lre, lim, width, height, fmin) };
}

/** `rounds` of filter + histogram at one strength; `first` is forward(variant), not modified (copied). */
function filterRounds(variant: RawImage, ref: SpectrumReference, strength: number, first: Forward, threads?: VaryThreads, rounds = SPECTRUM_ROUNDS): RawImage {
  const { width, height, channels } = variant;
  const n = width * height;
  const cc = channels >= 3 ? 3 : 1;
  let current = variant;
  for (let round = 0; round < rounds; round++) {
    const { pairs, have } = round === 0 ? { pairs: first.pairs.map(({ re, im }) => ({ re: planeCopy(re, threads), im: planeCopy(im, threads) })), have: first.have } : forward(current, ref.fmin, ref.tiling, threads);
    const bandGain = new Float64Array(SPECTRUM_MATCH_BANDS);
    for (let b = 0; b < SPECTRUM_MATCH_BANDS; b++) {
      const g = have[b] > 0 && ref.power[b] > 0 ? Math.sqrt(ref.power[b] / have[b]) : 1;
      bandGain[b] = Math.exp(strength * Math.log(Math.min(MAX_GAIN, Math.max(1 / MAX_GAIN, g))));
    }
    const gain = binGains(bandGain, ref.fmin, width, height);
    const filtered: Float64Array[] = [];
    for (const { re, im } of pairs) {
      for (let i = 0; i < n; i++) { re[i] *= gain[i]; im[i] *= gain[i]; }
      filtered.push(re, im);
    }
    fftPairs(pairs, width, height, true, threads);
    const out = new Uint8Array(current.data);
    // Each channel back onto the histogram it had before this round (the graded variant's, round 0).
    for (let c = 0; c < cc; c++) matchHistogram(filtered[c], variant.data, channels, c, out);
    current = { ...current, data: out };
  }
  return current;
}
