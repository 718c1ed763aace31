/**
 * Structural similarity (Wang, Bovik, Sheikh, Simoncelli 2004) with the paper's constants:
 * 11x11 Gaussian window, sigma 1.5, K1 = 0.01, K2 = 0.03, L = 255, mean over the 'valid' window
 * positions, as the authors' reference implementation computes it.
 */

import { filter2, gaussian1d } from './filter';
import type { Plane } from './image-planes';

const WINDOW = gaussian1d(11, 1.5);
const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

export function ssim(a: Plane, b: Plane): number {
  return ssimTo(a)(b);
}

/**
 * SSIM against a fixed image `a`, for scoring many images against one: `a`'s local means and second
 * moments are blurred once, not per call (the same arithmetic as `ssim`, so the same values).
 *
 * @example
 * const against = ssimTo(original);
 * const kept = candidates.filter((c) => against(c) >= 0.7);
 */
export function ssimTo(a: Plane): (b: Plane) => number {
  const mapOf = ssimMapTo(a);
  return (b) => {
    const map = mapOf(b);
    let sum = 0;
    for (let i = 0; i < map.length; i++) sum += map[i];
    return sum / map.length;
  };
}

/**
 * SSIM per 'valid' window position against a fixed image `a` (row-major, (width - 10) x (height - 10)):
 * `ssimTo` is its mean.
 */
export function ssimMapTo(a: Plane): (b: Plane) => Float64Array {
  const blur = (p: Float64Array) => filter2({ data: p, width: a.width, height: a.height }, WINDOW, WINDOW, 'valid').data;
  const muA = blur(a.data);
  const aa = blur(product(a.data, a.data));
  return (b) => {
    const muB = blur(b.data);
    const bb = blur(product(b.data, b.data));
    const ab = blur(product(a.data, b.data));
    const map = new Float64Array(muA.length);
    for (let i = 0; i < muA.length; i++) {
      const ma = muA[i];
      const mb = muB[i];
      const va = aa[i] - ma * ma;
      const vb = bb[i] - mb * mb;
      const cov = ab[i] - ma * mb;
      map[i] = ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
    }
    return map;
  };
}

function product(x: Float64Array, y: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * y[i];
  return out;
}
