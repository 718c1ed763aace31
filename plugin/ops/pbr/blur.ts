/**
 * Gaussian blur of a float plane by three box passes per axis (Wells 1986; Kovesi's box sizes), so
 * the cost per texel does not grow with sigma: the pyramids here reach sigma 32 on 4096² maps.
 * Edges wrap (tiling textures: the blur sees the neighbouring tile) or clamp (photos).
 */

/** Box widths (odd) whose three passes approximate a Gaussian of `sigma`. */
function boxSizes(sigma: number): number[] {
  const n = 3;
  const ideal = Math.sqrt((12 * sigma * sigma) / n + 1);
  let wl = Math.floor(ideal);
  if (wl % 2 === 0) wl--;
  const wu = wl + 2;
  const m = Math.round((12 * sigma * sigma - n * wl * wl - 4 * n * wl - 3 * n) / (-4 * wl - 4));
  return Array.from({ length: n }, (_, i) => (i < m ? wl : wu));
}

/** One box pass along rows (stride 1) or columns (stride width), in place via `tmp`. */
function boxPass(src: Float32Array, dst: Float32Array, width: number, height: number, radius: number, horizontal: boolean, wrap: boolean): void {
  const len = horizontal ? width : height;
  const lines = horizontal ? height : width;
  const step = horizontal ? 1 : width;
  const inv = 1 / (2 * radius + 1);
  const at = (i: number) => (wrap ? ((i % len) + len) % len : i < 0 ? 0 : i >= len ? len - 1 : i);
  for (let line = 0; line < lines; line++) {
    const base = horizontal ? line * width : line;
    let sum = 0;
    for (let k = -radius; k <= radius; k++) sum += src[base + at(k) * step];
    for (let i = 0; i < len; i++) {
      dst[base + i * step] = sum * inv;
      sum += src[base + at(i + radius + 1) * step] - src[base + at(i - radius) * step];
    }
  }
}

/**
 * Returns a blurred copy of `plane` (width x height).
 *
 * @example
 * const soft = gaussianBlur(luma, 512, 512, 4, { wrap: true });
 */
export function gaussianBlur(plane: Float32Array, width: number, height: number, sigma: number, options: { wrap?: boolean } = {}): Float32Array {
  const wrap = options.wrap ?? false;
  let a = Float32Array.from(plane);
  if (sigma <= 0) return a;
  let b = new Float32Array(plane.length);
  for (const size of boxSizes(sigma)) {
    const r = (size - 1) / 2;
    if (r === 0) continue;
    boxPass(a, b, width, height, r, true, wrap);
    boxPass(b, a, width, height, r, false, wrap);
  }
  b = a;
  return b;
}
