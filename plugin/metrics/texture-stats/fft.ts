/**
 * Complex FFT of any length (radix-2 when the length is a power of two, Bluestein's chirp-z otherwise)
 * and the 2-D transform built from it. Textures are often 384 or 640 texels wide, so power-of-two-only
 * transforms would force padding, which breaks the cyclic (wrap-around) maths the metrics rely on.
 */

/** Split complex signal: separate real and imaginary arrays of the same length. */
export interface Complex {
  re: Float64Array;
  im: Float64Array;
}

function isPow2(n: number): boolean {
  return (n & (n - 1)) === 0;
}

/** In-place iterative radix-2 FFT; `inverse` uses e^{+i} and does NOT scale by 1/n. */
function radix2(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = ((inverse ? 2 : -2) * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    const half = len >> 1;
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < half; k++) {
        const a = i + k;
        const b = a + half;
        const xr = re[b] * cr - im[b] * ci;
        const xi = re[b] * ci + im[b] * cr;
        re[b] = re[a] - xr; im[b] = im[a] - xi;
        re[a] += xr; im[a] += xi;
        const t = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = t;
      }
    }
  }
}

interface BluesteinPlan {
  m: number;
  chirpRe: Float64Array;
  chirpIm: Float64Array;
  /** FFT of the conjugate chirp filter, length m. */
  filterRe: Float64Array;
  filterIm: Float64Array;
}

const plans = new Map<number, BluesteinPlan>();

function bluesteinPlan(n: number): BluesteinPlan {
  let plan = plans.get(n);
  if (plan) return plan;
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const chirpRe = new Float64Array(n);
  const chirpIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // k² mod 2n keeps the angle exact for large k.
    const a = (Math.PI * ((k * k) % (2 * n))) / n;
    chirpRe[k] = Math.cos(a);
    chirpIm[k] = -Math.sin(a);
  }
  const filterRe = new Float64Array(m);
  const filterIm = new Float64Array(m);
  filterRe[0] = chirpRe[0];
  filterIm[0] = -chirpIm[0];
  for (let k = 1; k < n; k++) {
    filterRe[k] = filterRe[m - k] = chirpRe[k];
    filterIm[k] = filterIm[m - k] = -chirpIm[k];
  }
  radix2(filterRe, filterIm, false);
  plan = { m, chirpRe, chirpIm, filterRe, filterIm };
  if (plans.size > 16) plans.clear();
  plans.set(n, plan);
  return plan;
}

/** In-place 1-D FFT of any length; the inverse is scaled by 1/n. */
export function fft1d(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (n <= 1) return;
  if (isPow2(n)) {
    radix2(re, im, inverse);
  } else {
    const { m, chirpRe, chirpIm, filterRe, filterIm } = bluesteinPlan(n);
    const ar = new Float64Array(m);
    const ai = new Float64Array(m);
    for (let k = 0; k < n; k++) {
      const xr = re[k];
      const xi = inverse ? -im[k] : im[k];
      ar[k] = xr * chirpRe[k] - xi * chirpIm[k];
      ai[k] = xr * chirpIm[k] + xi * chirpRe[k];
    }
    radix2(ar, ai, false);
    for (let k = 0; k < m; k++) {
      const t = ar[k] * filterRe[k] - ai[k] * filterIm[k];
      ai[k] = ar[k] * filterIm[k] + ai[k] * filterRe[k];
      ar[k] = t;
    }
    radix2(ar, ai, true);
    for (let k = 0; k < n; k++) {
      const yr = ar[k] / m;
      const yi = ai[k] / m;
      re[k] = yr * chirpRe[k] - yi * chirpIm[k];
      const outIm = yr * chirpIm[k] + yi * chirpRe[k];
      im[k] = inverse ? -outIm : outIm;
    }
  }
  if (inverse) {
    for (let k = 0; k < n; k++) {
      re[k] /= n;
      im[k] /= n;
    }
  }
}

/** In-place 2-D FFT of a row-major width×height complex image (inverse scaled by 1/(w·h)). */
export function fft2d(data: Complex, width: number, height: number, inverse = false): void {
  const rowRe = new Float64Array(width);
  const rowIm = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) { rowRe[x] = data.re[o + x]; rowIm[x] = data.im[o + x]; }
    fft1d(rowRe, rowIm, inverse);
    for (let x = 0; x < width; x++) { data.re[o + x] = rowRe[x]; data.im[o + x] = rowIm[x]; }
  }
  const colRe = new Float64Array(height);
  const colIm = new Float64Array(height);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) { colRe[y] = data.re[y * width + x]; colIm[y] = data.im[y * width + x]; }
    fft1d(colRe, colIm, inverse);
    for (let y = 0; y < height; y++) { data.re[y * width + x] = colRe[y]; data.im[y * width + x] = colIm[y]; }
  }
}
