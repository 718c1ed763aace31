/**
 * Discrete Fourier transforms for the period search (autocorrelation) and height integration
 * (Frankot–Chellappa on the periodic tile): iterative radix-2 for powers of two, Bluestein's chirp-z
 * for any other length. Arrays are split real/imaginary Float64Arrays.
 */

function isPow2(n: number): boolean {
  return (n & (n - 1)) === 0;
}

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
    const wr = Math.cos(ang), wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1, ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k, b = a + len / 2;
        const xr = re[b] * cr - im[b] * ci, xi = re[b] * ci + im[b] * cr;
        re[b] = re[a] - xr; im[b] = im[a] - xi;
        re[a] += xr; im[a] += xi;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr; cr = nr;
      }
    }
  }
}

/** Plans per length for Bluestein (chirp and its padded transform), built once. */
const bluesteinPlans = new Map<string, { m: number; wr: Float64Array; wi: Float64Array; br: Float64Array; bi: Float64Array }>();

function bluestein(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  const key = `${n}${inverse ? 'i' : 'f'}`;
  let plan = bluesteinPlans.get(key);
  if (!plan) {
    let m = 1;
    while (m < 2 * n - 1) m <<= 1;
    const wr = new Float64Array(n), wi = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const ang = ((inverse ? 1 : -1) * Math.PI * ((k * k) % (2 * n))) / n;
      wr[k] = Math.cos(ang); wi[k] = Math.sin(ang);
    }
    const br = new Float64Array(m), bi = new Float64Array(m);
    br[0] = wr[0]; bi[0] = -wi[0];
    for (let k = 1; k < n; k++) { br[k] = br[m - k] = wr[k]; bi[k] = bi[m - k] = -wi[k]; }
    radix2(br, bi, false);
    plan = { m, wr, wi, br, bi };
    bluesteinPlans.set(key, plan);
  }
  const { m, wr, wi, br, bi } = plan;
  const ar = new Float64Array(m), ai = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    ar[k] = re[k] * wr[k] - im[k] * wi[k];
    ai[k] = re[k] * wi[k] + im[k] * wr[k];
  }
  radix2(ar, ai, false);
  for (let k = 0; k < m; k++) {
    const r = ar[k] * br[k] - ai[k] * bi[k];
    ai[k] = ar[k] * bi[k] + ai[k] * br[k]; ar[k] = r;
  }
  radix2(ar, ai, true);
  for (let k = 0; k < n; k++) {
    const r = ar[k] / m, i = ai[k] / m;
    re[k] = r * wr[k] - i * wi[k];
    im[k] = r * wi[k] + i * wr[k];
  }
}

/** In-place 1-D DFT (unnormalised forward; inverse divides by n). */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (n <= 1) return;
  if (isPow2(n)) radix2(re, im, inverse);
  else bluestein(re, im, inverse);
  if (inverse) for (let k = 0; k < n; k++) { re[k] /= n; im[k] /= n; }
}

/** In-place 2-D DFT of a width×height row-major array. */
export function fft2(re: Float64Array, im: Float64Array, width: number, height: number, inverse = false): void {
  const rr = new Float64Array(width), ri = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    rr.set(re.subarray(o, o + width)); ri.set(im.subarray(o, o + width));
    fft(rr, ri, inverse);
    re.set(rr, o); im.set(ri, o);
  }
  const cr = new Float64Array(height), ci = new Float64Array(height);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) { cr[y] = re[y * width + x]; ci[y] = im[y * width + x]; }
    fft(cr, ci, inverse);
    for (let y = 0; y < height; y++) { re[y * width + x] = cr[y]; im[y * width + x] = ci[y]; }
  }
}
