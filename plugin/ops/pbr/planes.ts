/** Float-plane helpers for the PBR estimators (one Float32Array of width*height per quantity). */

/** Rec. 709 luma of 8-bit sRGB-encoded RGB(A) pixels, on the encoded values, 0..1. */
export function lumaOf(rgba: ArrayLike<number>, width: number, height: number, channels = 4): Float32Array {
  const n = width * height;
  const out = new Float32Array(n);
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    out[i] = (0.2126 * rgba[j] + 0.7152 * rgba[j + 1] + 0.0722 * rgba[j + 2]) / 255;
  }
  return out;
}

/** Rescales a plane to 0..1 between its `lo` and `hi` quantiles (robust to a few outliers); flat → 0.5. */
export function normaliseRange(plane: Float32Array, lo = 0.005, hi = 0.995): Float32Array {
  const sorted = Float32Array.from(plane).sort();
  const a = sorted[Math.floor(lo * (sorted.length - 1))];
  const b = sorted[Math.ceil(hi * (sorted.length - 1))];
  const out = new Float32Array(plane.length);
  if (!(b - a > 1e-6)) return out.fill(0.5);
  const inv = 1 / (b - a);
  for (let i = 0; i < plane.length; i++) out[i] = Math.min(1, Math.max(0, (plane[i] - a) * inv));
  return out;
}

/** Central-difference gradient (d/dx along rows, d/dy down the image), edges wrapped or clamped. */
export function gradient(plane: Float32Array, width: number, height: number, wrap: boolean): { dx: Float32Array; dy: Float32Array } {
  const dx = new Float32Array(plane.length);
  const dy = new Float32Array(plane.length);
  const ix = (x: number) => (wrap ? (x + width) % width : Math.min(width - 1, Math.max(0, x)));
  const iy = (y: number) => (wrap ? (y + height) % height : Math.min(height - 1, Math.max(0, y)));
  for (let y = 0; y < height; y++) {
    const u = iy(y - 1);
    const d = iy(y + 1);
    const ydist = wrap ? 2 : d - u || 1;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const l = ix(x - 1);
      const r = ix(x + 1);
      dx[row + x] = (plane[row + r] - plane[row + l]) / (wrap ? 2 : r - l || 1);
      dy[row + x] = (plane[d * width + x] - plane[u * width + x]) / ydist;
    }
  }
  return { dx, dy };
}

/** Unit normals (interleaved XYZ) from slopes: n = normalize(sx, sy, 1). */
export function normalsFromSlopes(sx: Float32Array, sy: Float32Array): Float32Array {
  const n = new Float32Array(sx.length * 3);
  for (let i = 0; i < sx.length; i++) {
    const inv = 1 / Math.sqrt(sx[i] * sx[i] + sy[i] * sy[i] + 1);
    n[3 * i] = sx[i] * inv;
    n[3 * i + 1] = sy[i] * inv;
    n[3 * i + 2] = inv;
  }
  return n;
}
