/**
 * The Materialize-style heuristic baseline (one photo, no fitting): base colour = the guide photo,
 * height = a blur pyramid of its luminance (bright = high; the mean of box blurs at radii 1..32),
 * normals = the height field's gradients at a fixed strength, roughness 0.5, F0 0.04. Its parameters
 * are fixed here and were not tuned on the benchmark's scenes.
 */
import { SRGB8_TO_LINEAR, luminance } from './color';
import { boxBlur } from './period';
import { emptyMaps, type MaterialMaps, type Photo } from './types';

/** Height (in texels) of the brightest point above the darkest, per 100 texels of image width. */
export const HEURISTIC_DEPTH_PER_100 = 2;

export function heuristicMaterial(guide: Photo): MaterialMaps {
  const { width: w, height: h } = guide;
  const maps = emptyMaps(w, h);
  const lum = new Float64Array(w * h);
  for (let i = 0; i < w * h; i++) {
    for (let c = 0; c < 3; c++) maps.baseColor[i * 3 + c] = SRGB8_TO_LINEAR[Math.round(guide.data[i * 3 + c] * 255)];
    lum[i] = luminance(maps.baseColor[i * 3], maps.baseColor[i * 3 + 1], maps.baseColor[i * 3 + 2]);
  }
  const height = new Float64Array(w * h);
  const radii = [1, 2, 4, 8, 16, 32];
  for (const r of radii) {
    const b = boxBlur(lum, w, h, r);
    for (let i = 0; i < w * h; i++) height[i] += b[i] / radii.length;
  }
  let lo = Infinity, hi = -Infinity;
  for (const v of height) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const depth = (HEURISTIC_DEPTH_PER_100 * w) / 100 / Math.max(1e-6, hi - lo);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const dx = (height[y * w + Math.min(w - 1, x + 1)] - height[y * w + Math.max(0, x - 1)]) * 0.5 * depth;
      const dyUp = -(height[Math.min(h - 1, y + 1) * w + x] - height[Math.max(0, y - 1) * w + x]) * 0.5 * depth;
      const l = Math.hypot(dx, dyUp, 1);
      maps.normal[i * 3] = -dx / l; maps.normal[i * 3 + 1] = -dyUp / l; maps.normal[i * 3 + 2] = 1 / l;
    }
  }
  return maps;
}
