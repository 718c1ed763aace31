/**
 * The large-scale layout of a variant: a random field with the exemplar's own low-frequency statistics,
 * which the coarsest synthesis level follows.
 *
 * Why: the coarsest level used to give each block an independent random offset, so everything larger
 * than a block (45 texels for a 256² exemplar at variation 0.5) was white noise — the exemplar's slow
 * shading, blotches and large stains (most of a rock's or a carpet's power sits there, falling as 1/f²)
 * were lost. Measured on 59 tuning textures: the two lowest spectrum bands (periods > 140 texels) of the
 * variants had 4x less power than the exemplar's (log10 -0.60 / -0.56), the main reason the spectrum
 * distance was 2.2x its floor. A copy of the exemplar's layout would keep them but is a shifted copy
 * (NCC ~1); a RANDOM-PHASE field with the same spectrum keeps them and correlates with nothing.
 *
 * The field is Galerne, Gousseau & Morel 2011's random phase noise (RPN): the exemplar's level-L features,
 * subsampled on the level's grid, mean removed, with their Fourier amplitudes kept and one random phase
 * field added to every channel (cyclic, so it tiles) — the same mean, covariance and power spectrum as the
 * exemplar at that scale EXACTLY, new phases. Noise values are position-keyed hashes: deterministic per seed.
 *
 * Why RPN and not their asymptotic discrete spot noise (ADSN: the same spot convolved with white Gaussian
 * noise, which vary3 used): ADSN matches the spectrum only in expectation; each frequency's power is the
 * exemplar's times an exponential random variable. The coarse grid is small (8x8 for a 256² variant), so
 * its lowest bands hold two or three independent coefficients, and a draw typically lost much of their
 * power (E log10 of an exponential variable = -0.25, with a long tail down); the acceptance rule (first
 * draw correlating ≤ `accept` with the exemplar) also rejects the draws with the strongest large shapes.
 * Measured on the tuning sets (59 nexuiz textures outside the held-out rule, 2 variants each): the
 * variants' absolute power at periods > 100 texels was 2-4x below the exemplar's (log10 -0.61/-0.45/-0.34
 * in the three lowest bands, 12 non-lattice textures with spectrum misses); with RPN -0.01/+0.02/-0.06.
 */

import { fft2d } from '../../metrics/texture-stats/fft';
import { hashRandom } from './hash-random';
import type { Exemplar } from './exemplar';

export interface LowFrequencyGuide {
  /** Guide width × height = the level's coordinate-map size. */
  width: number;
  height: number;
  channels: number;
  /** Target features per map texel, interleaved like the exemplar stack. */
  data: Float32Array;
  /** Largest normalised cross-correlation of the field with the exemplar's subsampled level, over all cyclic shifts. */
  ncc: number;
}

/** Standard normal from two position-keyed uniforms (Box-Muller). */
function gaussianAt(seed: number, draw: number, x: number, y: number): number {
  const u1 = Math.max(1e-12, hashRandom(seed, 3000 + 2 * draw, x, y));
  const u2 = hashRandom(seed, 3001 + 2 * draw, x, y);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * RPN (random phase noise) of the exemplar's stack at `level`, on a width×height grid (the level's coordinate map; one
 * cell = 2^level output texels).
 *
 * @example lowFrequencyGuide(ex, 5, 8, 8, seed) // 8x8 targets for a 256² variant's coarsest level
 */
export function lowFrequencyGuide(ex: Exemplar, level: number, width: number, height: number, seed: number, draws = 1, accept = 1): LowFrequencyGuide {
  const h = 1 << level;
  const C = ex.channels;
  const F = ex.stack[level];
  const sw = Math.max(1, Math.floor(ex.width / h));
  const sh = Math.max(1, Math.floor(ex.height / h));
  const n = sw * sh;
  const size = width * height;
  // The exemplar on the level's grid, mean removed per channel.
  const grid = new Float64Array(n * C);
  const means = new Float64Array(C);
  for (let sy = 0; sy < sh; sy++) for (let sx = 0; sx < sw; sx++) for (let c = 0; c < C; c++) means[c] += F[(sy * h * ex.width + sx * h) * C + c] / n;
  for (let sy = 0; sy < sh; sy++) for (let sx = 0; sx < sw; sx++) for (let c = 0; c < C; c++) grid[(sy * sw + sx) * C + c] = F[(sy * h * ex.width + sx * h) * C + c] - means[c];
  // The spot's spectrum per channel: the grid / √n, wrapped onto the guide grid (cyclic: the field tiles).
  const spots = Array.from({ length: C }, (_, c) => {
    const spot = { re: new Float64Array(size), im: new Float64Array(size) };
    for (let sy = 0; sy < sh; sy++) for (let sx = 0; sx < sw; sx++) spot.re[(sy % height) * width + (sx % width)] += grid[(sy * sw + sx) * C + c] / Math.sqrt(n);
    fft2d(spot, width, height);
    return spot;
  });
  let best: LowFrequencyGuide | undefined;
  for (let draw = 0; draw < draws; draw++) {
    // Random phases from white noise, shared by every channel (keeps the channels' cross-correlation: colour stays colour).
    const noise = { re: new Float64Array(size), im: new Float64Array(size) };
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) noise.re[y * width + x] = gaussianAt(seed, draw, x, y);
    fft2d(noise, width, height);
    // Unit modulus × √size (white noise's expected modulus): its phases only. A real field's transform is
    // Hermitian, so the phases are too and the field stays real.
    const norm = Math.sqrt(size);
    for (let i = 0; i < size; i++) {
      const m = Math.hypot(noise.re[i], noise.im[i]) || 1;
      noise.re[i] *= norm / m;
      noise.im[i] *= norm / m;
    }
    const data = new Float32Array(size * C);
    for (let c = 0; c < C; c++) {
      const { re: sr, im: si } = spots[c];
      const out = { re: new Float64Array(size), im: new Float64Array(size) };
      for (let i = 0; i < size; i++) {
        out.re[i] = sr[i] * noise.re[i] - si[i] * noise.im[i];
        out.im[i] = sr[i] * noise.im[i] + si[i] * noise.re[i];
      }
      fft2d(out, width, height, true);
      for (let i = 0; i < size; i++) data[i * C + c] = out.re[i];
    }
    const ncc = maxShiftCorrelation(data, width, height, grid, sw, sh, C);
    if (!best || ncc < best.ncc) best = { width, height, channels: C, data, ncc };
    if (ncc <= accept) break; // the first acceptable draw, not the least correlated one (that biases towards weak structure)
  }
  for (let i = 0; i < size; i++) for (let c = 0; c < C; c++) best!.data[i * C + c] += means[c];
  return best!;
}

/**
 * Max over cyclic shifts of the normalised correlation between a zero-mean field (width×height) and the
 * zero-mean exemplar grid (sw×sh, cropped to the field), all channels together; the grid slides over the
 * field. By FFT: Σ_c field_c ⋆ grid_c for the dot products, (Σ_c field_c²) ⋆ window for the energies under
 * the window — cost independent of the grid size (a 128² guide of a 32² grid would be 10⁸ steps by hand).
 */
function maxShiftCorrelation(field: Float32Array, width: number, height: number, grid: Float64Array, sw: number, sh: number, C: number): number {
  const gw = Math.min(sw, width);
  const gh = Math.min(sh, height);
  const size = width * height;
  const dot = { re: new Float64Array(size), im: new Float64Array(size) };
  let gridEnergy = 0;
  for (let c = 0; c < C; c++) {
    const f = { re: new Float64Array(size), im: new Float64Array(size) };
    const g = { re: new Float64Array(size), im: new Float64Array(size) };
    for (let i = 0; i < size; i++) f.re[i] = field[i * C + c];
    for (let y = 0; y < gh; y++) {
      for (let x = 0; x < gw; x++) {
        const v = grid[(y * sw + x) * C + c];
        g.re[y * width + x] = v;
        gridEnergy += v * v;
      }
    }
    fft2d(f, width, height);
    fft2d(g, width, height);
    // F · conj(G): correlation, r(s) = Σ_p f(p + s) g(p)
    for (let i = 0; i < size; i++) {
      dot.re[i] += f.re[i] * g.re[i] + f.im[i] * g.im[i];
      dot.im[i] += f.im[i] * g.re[i] - f.re[i] * g.im[i];
    }
  }
  fft2d(dot, width, height, true);
  const sq = { re: new Float64Array(size), im: new Float64Array(size) };
  const win = { re: new Float64Array(size), im: new Float64Array(size) };
  for (let i = 0; i < size; i++) for (let c = 0; c < C; c++) sq.re[i] += field[i * C + c] ** 2;
  for (let y = 0; y < gh; y++) for (let x = 0; x < gw; x++) win.re[y * width + x] = 1;
  fft2d(sq, width, height);
  fft2d(win, width, height);
  for (let i = 0; i < size; i++) {
    const re = sq.re[i] * win.re[i] + sq.im[i] * win.im[i];
    sq.im[i] = sq.im[i] * win.re[i] - sq.re[i] * win.im[i];
    sq.re[i] = re;
  }
  fft2d(sq, width, height, true);
  let best = 0;
  for (let i = 0; i < size; i++) {
    const r = dot.re[i] / Math.sqrt(Math.max(1e-12, sq.re[i] * gridEnergy));
    if (r > best) best = r;
  }
  return best;
}
