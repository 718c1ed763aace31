/**
 * Height from a normal map: the least-squares surface whose gradient best matches the normals'
 * slopes (a Poisson equation, ∇²h = div g), solved coarse-to-fine: the slope field is averaged down
 * a pyramid, solved exactly enough at the coarsest level, and each finer level starts from the
 * upsampled coarser solution and runs a few Gauss-Seidel sweeps. Wrapped edges for tiling textures
 * (the solution tiles too), reflecting edges otherwise.
 */

/** Gauss-Seidel sweeps per level; the coarsest level gets more. */
const SWEEPS = 24;
const COARSEST = 8;

function at(i: number, n: number, wrap: boolean): number {
  if (wrap) return ((i % n) + n) % n;
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/** Half-size average (odd sizes: the last texel averages with itself); slopes double per texel. */
function down(g: Float32Array, w: number, h: number, factor: number): { p: Float32Array; w: number; h: number } {
  const w2 = Math.ceil(w / 2);
  const h2 = Math.ceil(h / 2);
  const p = new Float32Array(w2 * h2);
  for (let y = 0; y < h2; y++) {
    for (let x = 0; x < w2; x++) {
      const x0 = 2 * x;
      const y0 = 2 * y;
      const x1 = Math.min(x0 + 1, w - 1);
      const y1 = Math.min(y0 + 1, h - 1);
      p[y * w2 + x] = factor * 0.25 * (g[y0 * w + x0] + g[y0 * w + x1] + g[y1 * w + x0] + g[y1 * w + x1]);
    }
  }
  return { p, w: w2, h: h2 };
}

function solve(gx: Float32Array, gy: Float32Array, w: number, h: number, wrap: boolean): Float32Array {
  let u: Float32Array;
  let sweeps = SWEEPS;
  if (Math.min(w, h) <= COARSEST) {
    u = new Float32Array(w * h);
    sweeps = 400;
  } else {
    const cx = down(gx, w, h, 2);
    const cy = down(gy, w, h, 2);
    const coarse = solve(cx.p, cy.p, cx.w, cx.h, wrap);
    u = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) u[y * w + x] = coarse[(y >> 1) * cx.w + (x >> 1)];
  }
  // Divergence of the slope field with half-texel forward/backward differences of centred slopes.
  const div = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const xr = at(x + 1, w, wrap);
      const xl = at(x - 1, w, wrap);
      const yd = at(y + 1, h, wrap);
      const yu = at(y - 1, h, wrap);
      // h(x+1) - h(x) ≈ (g(x) + g(x+1)) / 2; at a reflecting edge that difference is 0.
      const ex = xr === x ? 0 : 0.5 * (gx[i] + gx[y * w + xr]);
      const wx = xl === x ? 0 : 0.5 * (gx[i] + gx[y * w + xl]);
      const sy = yd === y ? 0 : 0.5 * (gy[i] + gy[yd * w + x]);
      const ny = yu === y ? 0 : 0.5 * (gy[i] + gy[yu * w + x]);
      div[i] = ex - wx + sy - ny;
    }
  }
  for (let s = 0; s < sweeps; s++) {
    for (let y = 0; y < h; y++) {
      const yd = at(y + 1, h, wrap);
      const yu = at(y - 1, h, wrap);
      for (let x = 0; x < w; x++) {
        const xr = at(x + 1, w, wrap);
        const xl = at(x - 1, w, wrap);
        let sum = 0;
        let count = 0;
        if (xr !== x) { sum += u[y * w + xr]; count++; }
        if (xl !== x) { sum += u[y * w + xl]; count++; }
        if (yd !== y) { sum += u[yd * w + x]; count++; }
        if (yu !== y) { sum += u[yu * w + x]; count++; }
        if (count > 0) u[y * w + x] = (sum - div[y * w + x]) / count;
      }
    }
  }
  return u;
}

/**
 * Integrates slopes dh/dx (`gx`, along rows) and dh/drow (`gy`, down the image) into a height
 * field (zero mean, texel units).
 *
 * @example
 * const h = integrateSlopes(gx, gy, 256, 256, { wrap: true });
 */
export function integrateSlopes(gx: Float32Array, gy: Float32Array, width: number, height: number, options: { wrap?: boolean } = {}): Float32Array {
  const u = solve(gx, gy, width, height, options.wrap ?? false);
  let mean = 0;
  for (let i = 0; i < u.length; i++) mean += u[i];
  mean /= u.length;
  for (let i = 0; i < u.length; i++) u[i] -= mean;
  return u;
}
