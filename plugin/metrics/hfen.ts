/**
 * High-frequency error norm (Ravishankar & Bresler 2011): the relative L2 error of the
 * Laplacian-of-Gaussian filtered images, ||LoG(test) - LoG(ref)||2 / ||LoG(ref)||2, with their
 * 15x15 kernel and sigma 1.5. Lower is better; 0 means identical edges and fine detail. A flat
 * brightness change does not count (the LoG has zero DC response); lost or invented detail does.
 */

import { filter2, gaussian1d } from './filter';
import type { Plane } from './image-planes';

const SIZE = 15;
const SIGMA = 1.5;

/**
 * MATLAB's fspecial('log', 15, 1.5), which the HFEN papers use, written separably:
 * G(x)G(y)(x²+y²-2σ²)/σ⁴ = G''(x)G(y) + G(x)G''(y), minus a constant that makes the kernel sum to
 * zero (a 15x15 box filter times that constant).
 */
const G = gaussian1d(SIZE, SIGMA);
const R = (SIZE - 1) / 2;
const G2 = G.map((g, i) => (g * ((i - R) ** 2 - SIGMA * SIGMA)) / SIGMA ** 4);
const BOX = new Float64Array(SIZE).fill(1);
/** sum over the 2-D kernel before the zero-sum correction, spread over its 225 taps. */
const DC = (2 * G2.reduce((s, v) => s + v, 0) * G.reduce((s, v) => s + v, 0)) / (SIZE * SIZE);

export function laplacianOfGaussian(plane: Plane): Plane {
  const xx = filter2(plane, G2, G, 'same').data;
  const yy = filter2(plane, G, G2, 'same').data;
  const box = filter2(plane, BOX, BOX, 'same').data;
  return { data: xx.map((v, i) => v + yy[i] - DC * box[i]), width: plane.width, height: plane.height };
}

export function hfen(reference: Plane, test: Plane): number {
  const r = laplacianOfGaussian(reference).data;
  const t = laplacianOfGaussian(test).data;
  let num = 0;
  let den = 0;
  for (let i = 0; i < r.length; i++) {
    num += (t[i] - r[i]) ** 2;
    den += r[i] * r[i];
  }
  if (den === 0) return num === 0 ? 0 : Infinity;
  return Math.sqrt(num / den);
}
