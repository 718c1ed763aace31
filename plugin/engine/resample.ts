/**
 * Separable Lanczos-3 / Catmull-Rom resampling of float planes.
 *
 * sharp (libvips) only uses its kernels when shrinking: when enlarging, `kernel: 'lanczos3'` falls
 * back to a bicubic interpolator (documented in sharp's resize(); measured identical here). So the
 * engine enlarges with this resampler, and keeps sharp for shrinking, where it is exact and fast.
 *
 * Pixel centres are aligned (x_in = (x_out + 0.5) * in/out - 0.5); kernel taps that fall outside
 * the image are dropped and the rest renormalised, and shrinking widens the kernel by the ratio.
 * That is Pillow's convention, so Lanczos and bicubic here equal PIL's LANCZOS and BICUBIC, which
 * the model cards' evaluation (models/training/evaluate.py) uses. Rows are produced one at a time into a callback, so a caller can
 * quantise straight into its 8-bit output.
 */

/** Filters: Lanczos-3, and Catmull-Rom cubic (the eval's bicubic baseline). */
export type ResampleKernel = 'lanczos3' | 'cubic';

const RADIUS: Record<ResampleKernel, number> = { lanczos3: 3, cubic: 2 };

function kernelAt(filter: ResampleKernel, x: number): number {
  const ax = Math.abs(x);
  if (filter === 'lanczos3') {
    if (ax < 1e-9) return 1;
    if (ax >= 3) return 0;
    const px = Math.PI * x;
    return (3 * Math.sin(px) * Math.sin(px / 3)) / (px * px);
  }
  // Keys cubic with a = -0.5 (Catmull-Rom): what "bicubic" means in the SR literature.
  if (ax < 1) return 1.5 * ax ** 3 - 2.5 * ax ** 2 + 1;
  if (ax < 2) return -0.5 * ax ** 3 + 2.5 * ax ** 2 - 4 * ax + 2;
  return 0;
}

/** Per output coordinate: `taps` input indices (edge-clamped) and their normalised weights. */
interface Weights {
  taps: number;
  index: Int32Array;
  weights: Float32Array;
}

function weightsFor(inSize: number, outSize: number, filter: ResampleKernel): Weights {
  const ratio = inSize / outSize;
  const stretch = Math.max(1, ratio); // widen the kernel when shrinking (anti-aliasing)
  const support = RADIUS[filter] * stretch;
  const taps = Math.ceil(support) * 2 + 1;
  const index = new Int32Array(outSize * taps);
  const weights = new Float32Array(outSize * taps);
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * ratio - 0.5;
    const start = Math.floor(centre - support) + 1;
    let sum = 0;
    for (let t = 0; t < taps; t++) {
      const i = start + t;
      index[o * taps + t] = Math.min(inSize - 1, Math.max(0, i));
      const inside = i >= 0 && i < inSize;
      sum += weights[o * taps + t] = inside ? kernelAt(filter, (i - centre) / stretch) : 0;
    }
    for (let t = 0; t < taps; t++) weights[o * taps + t] /= sum;
  }
  return { taps, index, weights };
}

/**
 * Resamples `planes` (each width*height) to outWidth x outHeight; calls `row(y, rows)` for each
 * output row with one Float32Array of outWidth per plane (reused between calls).
 */
export function resamplePlanes(
  planes: Float32Array[],
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
  filter: ResampleKernel,
  row: (y: number, rows: Float32Array[]) => void,
): void {
  const wx = weightsFor(width, outWidth, filter);
  const wy = weightsFor(height, outHeight, filter);
  // Horizontally resampled input rows are kept in a ring of `wy.taps` slots: output rows need a
  // window of consecutive input rows that only slides forward, so memory stays a few rows wide
  // instead of outWidth x height per plane.
  const slots = wy.taps;
  const ring = planes.map(() => new Float32Array(slots * outWidth));
  const slotRow = new Int32Array(slots).fill(-1);
  const horizontalRow = (r: number): number => {
    const slot = r % slots;
    if (slotRow[slot] !== r) {
      slotRow[slot] = r;
      planes.forEach((plane, c) => {
        const dst = ring[c];
        const src = r * width;
        const base = slot * outWidth;
        for (let x = 0, k = 0; x < outWidth; x++) {
          let acc = 0;
          for (let t = 0; t < wx.taps; t++, k++) acc += plane[src + wx.index[k]] * wx.weights[k];
          dst[base + x] = acc;
        }
      });
    }
    return slot * outWidth;
  };
  const rows = planes.map(() => new Float32Array(outWidth));
  const bases = new Int32Array(wy.taps);
  for (let y = 0; y < outHeight; y++) {
    for (let t = 0; t < wy.taps; t++) bases[t] = horizontalRow(wy.index[y * wy.taps + t]);
    for (let c = 0; c < planes.length; c++) {
      const r = rows[c];
      const h = ring[c];
      r.fill(0);
      for (let t = 0; t < wy.taps; t++) {
        const w = wy.weights[y * wy.taps + t];
        if (w === 0) continue;
        const base = bases[t];
        for (let x = 0; x < outWidth; x++) r[x] += h[base + x] * w;
      }
    }
    row(y, rows);
  }
}
