/**
 * An undecimated band-pass decomposition (the "à trous" starlet transform): smooth with the 5-tap
 * B3-spline kernel dilated by 2^k, the difference between successive smoothings is band k. Bands keep
 * the image size (no power-of-two constraint), sum back exactly to the image, and the smoothing wraps
 * around the edges for tiling textures (mirrors otherwise), so no seam is introduced.
 */

const KERNEL = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];

export interface BandStack {
  /** Fine to coarse detail bands (band 0: 1–2 texel detail, i.e. grain). */
  bands: Float32Array[];
  /** What is left after the last band: the coarse structure. */
  residual: Float32Array;
}

/** Splits a plane into `levels` detail bands plus a coarse residual. */
export function decompose(plane: Float32Array, width: number, height: number, levels: number, wrap: boolean): BandStack {
  const bands: Float32Array[] = [];
  let current = plane;
  for (let k = 0; k < levels; k++) {
    const smooth = smoothDilated(current, width, height, 1 << k, wrap);
    const band = new Float32Array(current.length);
    for (let i = 0; i < band.length; i++) band[i] = current[i] - smooth[i];
    bands.push(band);
    current = smooth;
  }
  return { bands, residual: current };
}

/** Sums bands and residual back into one plane. */
export function reconstruct(stack: BandStack): Float32Array {
  const out = stack.residual.slice();
  for (const band of stack.bands) for (let i = 0; i < out.length; i++) out[i] += band[i];
  return out;
}

/** Levels that fit the image: dilation 2^k times the kernel reach must stay below the smaller side. */
export function levelsFor(width: number, height: number, wanted: number): number {
  let levels = 0;
  while (levels < wanted && 4 * (1 << levels) < Math.min(width, height)) levels++;
  return levels;
}

/** Separable 5-tap B3 smoothing with taps `step` texels apart, wrapping or mirroring at the edges. */
export function smoothDilated(src: Float32Array, width: number, height: number, step: number, wrap: boolean): Float32Array {
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  const xs = taps(width, step, wrap);
  const ys = taps(height, step, wrap);
  // Rows: the texels whose taps all fall inside read them at fixed offsets; the few near an edge go through
  // the wrapped/mirrored tap table. The same five products summed in the same order either way.
  const [k0, k1, k2, k3, k4] = KERNEL;
  const reach = 2 * step;
  const innerStart = Math.min(width, reach);
  const innerEnd = Math.max(innerStart, width - reach);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < innerStart; x++) tmp[row + x] = tapSum(src, row, xs, x);
    for (let i = row + innerStart; i < row + innerEnd; i++) {
      let s = 0;
      s += k0 * src[i - reach];
      s += k1 * src[i - step];
      s += k2 * src[i];
      s += k3 * src[i + step];
      s += k4 * src[i + reach];
      tmp[i] = s;
    }
    for (let x = innerEnd; x < width; x++) tmp[row + x] = tapSum(src, row, xs, x);
  }
  for (let y = 0; y < height; y++) {
    const t = y * 5;
    const r0 = ys[t] * width, r1 = ys[t + 1] * width, r2 = ys[t + 2] * width, r3 = ys[t + 3] * width, r4 = ys[t + 4] * width;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      out[row + x] = KERNEL[0] * tmp[r0 + x] + KERNEL[1] * tmp[r1 + x] + KERNEL[2] * tmp[r2 + x] + KERNEL[3] * tmp[r3 + x] + KERNEL[4] * tmp[r4 + x];
    }
  }
  return out;
}

/** The smoothing at texel x of the row starting at `row`, through the tap table `xs`. */
function tapSum(src: Float32Array, row: number, xs: Int32Array, x: number): number {
  const t = x * 5;
  let s = 0;
  for (let k = 0; k < 5; k++) s += KERNEL[k] * src[row + xs[t + k]];
  return s;
}

/** For each position, the 5 source indices its taps read (wrapped or mirrored). */
function taps(size: number, step: number, wrap: boolean): Int32Array {
  const out = new Int32Array(size * 5);
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < 5; k++) out[i * 5 + k] = edge(i + (k - 2) * step, size, wrap);
  }
  return out;
}

function edge(i: number, n: number, wrap: boolean): number {
  if (wrap) return ((i % n) + n) % n;
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - j;
  return j;
}
