/**
 * Photo mode: a photo of a surface carries the room's light (a brighter side, vignetting) that a
 * base colour must not. The low-frequency part of the luminance, in linear light, is taken as that
 * illumination and divided out; then the albedo is scaled so its brightest plausible value (99.5th
 * percentile) is at most 0.95 (absolute scale is unknown from one photo).
 */
import { gaussianBlur } from './blur';
import { linearToSrgb, srgbToLinear } from '../../engine/pixels';

/** Returns de-lit RGBA (alpha copied) from 8-bit sRGB RGBA. */
export function delightPhoto(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const n = width * height;
  const lut = new Float32Array(256);
  for (let i = 0; i < 256; i++) lut[i] = srgbToLinear(i / 255);
  const lin = new Float32Array(n * 3);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = lut[rgba[4 * i]];
    const g = lut[rgba[4 * i + 1]];
    const b = lut[rgba[4 * i + 2]];
    lin[3 * i] = r;
    lin[3 * i + 1] = g;
    lin[3 * i + 2] = b;
    y[i] = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  const light = gaussianBlur(y, width, height, Math.max(4, Math.min(width, height) / 6));
  let mean = 0;
  for (let i = 0; i < n; i++) mean += light[i];
  mean /= n;
  const albedo = new Float32Array(n * 3);
  const peaks = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const gain = mean / Math.max(light[i], 1e-4);
    for (let c = 0; c < 3; c++) albedo[3 * i + c] = lin[3 * i + c] * gain;
    peaks[i] = Math.max(albedo[3 * i], albedo[3 * i + 1], albedo[3 * i + 2]);
  }
  const sorted = peaks.sort();
  const top = sorted[Math.floor(0.995 * (n - 1))];
  const scale = top > 0.95 ? 0.95 / top : 1;
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) out[4 * i + c] = Math.round(Math.min(1, linearToSrgb(Math.min(1, albedo[3 * i + c] * scale))) * 255);
    out[4 * i + 3] = rgba[4 * i + 3];
  }
  return out;
}
