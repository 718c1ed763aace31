/**
 * Resampling between the full texture and the smaller grid the `gram` method optimises on: area
 * averaging down by an integer factor, bilinear back up; both wrap around for tiling textures.
 */

import type { ColourPlanes } from './planes';

/** Averages f x f blocks (the last partial block wraps or repeats the edge). */
export function shrink(p: ColourPlanes, f: number, wrap: boolean): ColourPlanes {
  if (f === 1) return { ...p, planes: p.planes.map((q) => q.slice()) };
  const w = Math.ceil(p.width / f);
  const h = Math.ceil(p.height / f);
  const planes = p.planes.map((src) => {
    const out = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let dy = 0; dy < f; dy++) {
          const sy = index(y * f + dy, p.height, wrap);
          for (let dx = 0; dx < f; dx++) s += src[sy * p.width + index(x * f + dx, p.width, wrap)];
        }
        out[y * w + x] = s / (f * f);
      }
    }
    return out;
  });
  return { width: w, height: h, planes };
}

/** Bilinear enlargement of `small` (made by `shrink(…, f)`) back onto a width x height grid. */
export function enlarge(small: ColourPlanes, f: number, width: number, height: number, wrap: boolean): ColourPlanes {
  const planes = small.planes.map((src) => {
    const out = new Float32Array(width * height);
    for (let y = 0; y < height; y++) {
      // Texel centres: full-res y maps to small-grid coordinate (y + 0.5) / f - 0.5.
      const fy = (y + 0.5) / f - 0.5;
      const y0 = Math.floor(fy);
      const ty = fy - y0;
      const r0 = index(y0, small.height, wrap) * small.width;
      const r1 = index(y0 + 1, small.height, wrap) * small.width;
      for (let x = 0; x < width; x++) {
        const fx = (x + 0.5) / f - 0.5;
        const x0 = Math.floor(fx);
        const tx = fx - x0;
        const c0 = index(x0, small.width, wrap);
        const c1 = index(x0 + 1, small.width, wrap);
        out[y * width + x] = (1 - ty) * ((1 - tx) * src[r0 + c0] + tx * src[r0 + c1]) + ty * ((1 - tx) * src[r1 + c0] + tx * src[r1 + c1]);
      }
    }
    return out;
  });
  return { width, height, planes };
}

function index(i: number, n: number, wrap: boolean): number {
  if (wrap) return ((i % n) + n) % n;
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}
