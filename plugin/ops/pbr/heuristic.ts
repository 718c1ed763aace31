/**
 * The Materialize-style baseline (after Bounding Box Software's Materialize): a texture's luminance is
 * read as height (bright = raised, dark = crevice), summed over a blur pyramid so broad shapes and
 * fine grain both contribute; normals are the height's gradient; roughness is a per-texel linear
 * function of brightness and local detail.
 */
import { gaussianBlur } from './blur';
import { gradient } from './planes';
import type { HeuristicParams, RoughnessParams } from './types';

/** Pyramid levels: sigma 1, 2, 4, ... 32 texels. */
const SIGMAS = [1, 2, 4, 8, 16, 32];

/**
 * Defaults tuned on the validation split (never the held-out one) by
 * `remaster eval-pbr models/training/data/pbr/val --method heuristic --strength S --falloff F`.
 */
export const DEFAULT_HEURISTIC: HeuristicParams = { strength: 2, falloff: 1 };

/**
 * Least-squares fit of 1 - gloss on the training split's 374 gloss maps
 * (models/training/pbr/fit_roughness.py).
 */
export const DEFAULT_ROUGHNESS: RoughnessParams = { base: 0.9176, lumGain: -0.1657, detailGain: -0.855 };

/** Height in luminance units: a weighted sum of the luminance blurred at each pyramid level. */
export function heightFromLuma(luma: Float32Array, width: number, height: number, params: HeuristicParams, wrap: boolean): Float32Array {
  const out = new Float32Array(luma.length);
  let total = 0;
  SIGMAS.forEach((sigma, k) => {
    const w = Math.pow(params.falloff, k);
    total += w;
    const level = gaussianBlur(luma, width, height, sigma, { wrap });
    for (let i = 0; i < out.length; i++) out[i] += w * level[i];
  });
  for (let i = 0; i < out.length; i++) out[i] /= total;
  return out;
}

/**
 * Slopes (glTF tangent space: +X right, +Y up) of a height field whose rows run down the image:
 * n ∝ (-dh/dx, -dh/d(up), 1) and d(up) = -d(row), so sy = +dh/drow.
 */
export function slopesFromHeight(h: Float32Array, width: number, height: number, strength: number, wrap: boolean): { sx: Float32Array; sy: Float32Array } {
  const { dx, dy } = gradient(h, width, height, wrap);
  for (let i = 0; i < dx.length; i++) {
    dx[i] *= -strength;
    dy[i] *= strength;
  }
  return { sx: dx, sy: dy };
}

/** Local detail: blurred absolute difference between luminance and its sigma-2 blur. */
export function localDetail(luma: Float32Array, width: number, height: number, wrap: boolean): Float32Array {
  const soft = gaussianBlur(luma, width, height, 2, { wrap });
  const diff = new Float32Array(luma.length);
  for (let i = 0; i < diff.length; i++) diff[i] = Math.abs(luma[i] - soft[i]);
  return gaussianBlur(diff, width, height, 2, { wrap });
}

/** Roughness from brightness and detail (see DEFAULT_ROUGHNESS), clamped to 0.05..1. */
export function roughnessHeuristic(luma: Float32Array, width: number, height: number, params: RoughnessParams, wrap: boolean): Float32Array {
  const detail = localDetail(luma, width, height, wrap);
  const lum = gaussianBlur(luma, width, height, 1, { wrap });
  const out = new Float32Array(luma.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.min(1, Math.max(0.05, params.base + params.lumGain * lum[i] + params.detailGain * detail[i]));
  }
  return out;
}
