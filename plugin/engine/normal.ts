/**
 * Tangent-space normal maps store unit vectors as (v + 1) / 2. Any resampling or neural filter
 * shortens or bends them, so after every resize the XYZ channels are decoded, renormalised and
 * re-encoded. Tangent-space normals point out of the surface, so z < 0 is clamped to 0 first;
 * a vector that collapses to zero length becomes the flat normal (0, 0, 1).
 */

import type { RawImage } from '../types';
import { toByte } from './pixels';

/** Renormalises one decoded vector in place of x,y,z; returns the unit vector as a tuple. */
export function unitNormal(x: number, y: number, z: number): [number, number, number] {
  if (z < 0) z = 0;
  const len = Math.sqrt(x * x + y * y + z * z);
  if (len < 1e-6) return [0, 0, 1];
  return [x / len, y / len, z / len];
}

/** Renormalises float planes of encoded normals (0..1) in place. */
export function renormalisePlanes(x: Float32Array, y: Float32Array, z: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const [nx, ny, nz] = unitNormal(x[i] * 2 - 1, y[i] * 2 - 1, z[i] * 2 - 1);
    x[i] = (nx + 1) / 2;
    y[i] = (ny + 1) / 2;
    z[i] = (nz + 1) / 2;
  }
}

/**
 * Renormalises channels 0..2 of a 16-bit interleaved buffer (as sharp returns it) and writes
 * them as 8-bit into `out` channels 0..2.
 */
export function renormalise16To8(src: Uint16Array, srcChannels: number, out: RawImage): void {
  const n = out.width * out.height;
  for (let i = 0; i < n; i++) {
    const s = i * srcChannels;
    const [nx, ny, nz] = unitNormal(src[s] / 32767.5 - 1, src[s + 1] / 32767.5 - 1, src[s + 2] / 32767.5 - 1);
    const o = i * out.channels;
    out.data[o] = toByte((nx + 1) / 2);
    out.data[o + 1] = toByte((ny + 1) / 2);
    out.data[o + 2] = toByte((nz + 1) / 2);
  }
}

/** Mean and worst deviation from unit length of an 8-bit normal map (for tests and reports). */
export function normalLengthError(image: RawImage): { mean: number; max: number } {
  const n = image.width * image.height;
  let sum = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const o = i * image.channels;
    const x = (image.data[o] / 255) * 2 - 1;
    const y = (image.data[o + 1] / 255) * 2 - 1;
    const z = (image.data[o + 2] / 255) * 2 - 1;
    const err = Math.abs(Math.sqrt(x * x + y * y + z * z) - 1);
    sum += err;
    if (err > max) max = err;
  }
  return { mean: sum / n, max };
}
