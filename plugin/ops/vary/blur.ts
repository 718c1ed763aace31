/**
 * The two passes of the exemplar stack's separable [1 4 6 4 1]/16 blur (exemplar.ts), by bands of rows,
 * so worker threads (vary-worker.ts) can run bands of one pass with the same code and result.
 */

/** Source texel of each output texel's 5 taps along an axis of n texels, `step` apart, wrapping or clamping. */
function tapIndex(n: number, step: number, wrap: boolean): Int32Array {
  const t = new Int32Array(n * 5);
  for (let v = 0; v < n; v++) {
    for (let k = 0; k < 5; k++) {
      const w = v + (k - 2) * step;
      t[v * 5 + k] = wrap ? ((w % n) + n) % n : w < 0 ? 0 : w >= n ? n - 1 : w;
    }
  }
  return t;
}

const TAPS = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];

/** One blur step's shape: image size, features per texel, tap spacing, wrap. */
export interface BlurShape {
  width: number;
  height: number;
  channels: number;
  step: number;
  wrap: boolean;
}

/** The horizontal pass of a blur step over rows [y0, y1): src → tmp (zeroed). */
export function blurRowsH(src: Float32Array, tmp: Float32Array, b: BlurShape, y0: number, y1: number): void {
  const { width, channels: C } = b;
  const ix = tapIndex(width, b.step, b.wrap);
  for (let y = y0; y < y1; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const o = (row + x) * C;
      for (let t = 0; t < 5; t++) {
        const s = (row + ix[x * 5 + t]) * C;
        const w = TAPS[t];
        for (let c = 0; c < C; c++) tmp[o + c] += w * src[s + c];
      }
    }
  }
}

/** The vertical pass of a blur step over rows [y0, y1): tmp (every row filled) → out (zeroed). */
export function blurRowsV(tmp: Float32Array, out: Float32Array, b: BlurShape, y0: number, y1: number): void {
  const iy = tapIndex(b.height, b.step, b.wrap);
  const rowLen = b.width * b.channels;
  for (let y = y0; y < y1; y++) {
    const o = y * rowLen;
    for (let t = 0; t < 5; t++) {
      const s = iy[y * 5 + t] * rowLen;
      const w = TAPS[t];
      for (let i = 0; i < rowLen; i++) out[o + i] += w * tmp[s + i];
    }
  }
}
