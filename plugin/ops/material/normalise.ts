/**
 * Absolute scale: the flash's power and the exposure are unknown, so the fit's albedos are relative.
 * They are normalised so that the brightest plausible diffuse albedo (the 99.5th percentile of the
 * per-texel maximum channel, ignoring a few outliers) is 0.95; the specular F0 takes the same factor.
 * The diffuse fitted under the flash is ρ' = (1 − max F0)·baseColor; it is divided out here.
 */
import type { MaterialMaps } from './types';

export const BRIGHTEST_ALBEDO = 0.95;

/** Normalises in place; returns the factor applied. */
export function normaliseAlbedo(maps: MaterialMaps): number {
  const n = maps.width * maps.height;
  const peak = new Float32Array(n);
  for (let i = 0; i < n; i++) peak[i] = Math.max(maps.baseColor[i * 3], maps.baseColor[i * 3 + 1], maps.baseColor[i * 3 + 2]);
  const sorted = Float32Array.from(peak).sort();
  // Brightest plausible: the 99.5th percentile, but at most twice the 95th (a few badly fitted texels must not set the scale).
  const p = Math.min(sorted[Math.min(n - 1, Math.floor(n * 0.995))], 2 * sorted[Math.floor(n * 0.95)]);
  const k = p > 1e-9 ? BRIGHTEST_ALBEDO / p : 1;
  // F0 at the normalised scale, then the diffuse weight (1 − max F0) divided out of ρ'.
  for (let i = 0; i < n; i++) {
    let maxF = 0;
    for (let c = 0; c < 3; c++) {
      maps.specular[i * 3 + c] = Math.min(1, maps.specular[i * 3 + c] * k);
      maxF = Math.max(maxF, maps.specular[i * 3 + c]);
    }
    const kd = Math.max(0.05, 1 - maxF);
    for (let c = 0; c < 3; c++) maps.baseColor[i * 3 + c] = (maps.baseColor[i * 3 + c] * k) / kd;
    peak[i] = Math.max(maps.baseColor[i * 3], maps.baseColor[i * 3 + 1], maps.baseColor[i * 3 + 2]);
  }
  // Dividing out the diffuse weight raised some texels a little: bring the brightest plausible back to 0.95.
  const again = Float32Array.from(peak).sort();
  const p2 = Math.min(again[Math.min(n - 1, Math.floor(n * 0.995))], 2 * again[Math.floor(n * 0.95)]);
  const k2 = p2 > BRIGHTEST_ALBEDO ? BRIGHTEST_ALBEDO / p2 : 1;
  for (let i = 0; i < n * 3; i++) maps.baseColor[i] = Math.min(1, maps.baseColor[i] * k2);
  return k * k2;
}
