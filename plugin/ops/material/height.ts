/**
 * Height and occlusion derived from the fitted normals (not measured: a flat sample's photos carry no
 * absolute depth). Height: Frankot–Chellappa least-squares integration of the normal field's slopes on
 * the period tile, which is periodic, so the Fourier solution is exact for it. Occlusion: a cavity
 * term, how far a texel sits below its neighbourhood's mean height relative to the neighbourhood size.
 */
import { fft2d } from '../../metrics/texture-stats/fft';
import { boxBlurWrap } from './wrap-blur';

/** Height in texels (mean 0) of a periodic tangent-space normal field (+Y up, image rows downward). */
export function integrateNormals(normal: Float32Array, width: number, height: number): Float32Array {
  const n = width * height;
  const pr = new Float64Array(n), pi = new Float64Array(n), qr = new Float64Array(n), qi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const nz = Math.max(0.1, normal[i * 3 + 2]);
    pr[i] = -normal[i * 3] / nz; // dh/dx
    qr[i] = normal[i * 3 + 1] / nz; // dh/d(row): +Y up means rows go down the slope
  }
  fft2d({ re: pr, im: pi }, width, height);
  fft2d({ re: qr, im: qi }, width, height);
  const hr = new Float64Array(n), hi = new Float64Array(n);
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const i = v * width + u;
      if (i === 0) continue;
      // Derivative of the forward-difference-free (spectral) kind: i·ω.
      const wx = (2 * Math.PI * (u <= width / 2 ? u : u - width)) / width;
      const wy = (2 * Math.PI * (v <= height / 2 ? v : v - height)) / height;
      const d = wx * wx + wy * wy;
      // H = (−i wx P − i wy Q) / d
      hr[i] = (wx * pi[i] + wy * qi[i]) / d;
      hi[i] = -(wx * pr[i] + wy * qr[i]) / d;
    }
  }
  fft2d({ re: hr, im: hi }, width, height, true);
  return Float32Array.from(hr);
}

/** Ambient-occlusion-like cavity map in 0..1 (1 = open) from a periodic height field in texels. */
export function cavityOcclusion(heightField: Float32Array, width: number, height: number): Float32Array {
  const r = Math.max(2, Math.round(Math.min(width, height) / 16));
  const mean = boxBlurWrap(heightField, width, height, r);
  const out = new Float32Array(heightField.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(1, 1 - Math.max(0, mean[i] - heightField[i]) / (2 * r)));
  return out;
}
