/**
 * Two-shot fit on one period of the pattern (Aittala et al. 2015's stationarity): every point of the
 * period tile is seen once per period in the flash photo, each time at a different angle to the flash,
 * so its pooled samples sample its BRDF. Fits each tile point (fit-point.ts) and returns tile-sized maps.
 */
import { pixelSize } from './camera';
import { SRGB8_TO_LINEAR, srgbToLinear } from './color';
import { allocObservations, PointFitter, type FitOptions, type Observations } from './fit-point';
import type { Lattice } from './period';
import { emptyMaps, type Camera, type MaterialMaps, type Photo } from './types';

/** A flash sample is treated as clipped (unusable) at or above this sRGB value in any channel. */
export const CLIP_LEVEL = 250 / 255;

export interface TileFit {
  /** Tile-sized maps; ρ' in baseColor (not yet normalised), F0 in specular. */
  maps: MaterialMaps;
  /** Tile point (i, j) sits at image position origin + (i/width)·a + (j/height)·b. */
  lattice: Lattice;
  /** Mean squared residual per sample (linear), per tile point. */
  mse: Float32Array;
  /** Usable samples per tile point. */
  samples: Uint16Array;
}

/** Linear flash plane and a per-pixel "clipped" flag. */
export interface FlashData {
  width: number;
  height: number;
  linear: Float32Array;
  clipped: Uint8Array;
}

export function flashData(photo: Photo): FlashData {
  const n = photo.width * photo.height;
  const linear = new Float32Array(n * 3), clipped = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let clip = 0;
    for (let c = 0; c < 3; c++) {
      const v = photo.data[i * 3 + c];
      const q = Math.round(v * 255);
      linear[i * 3 + c] = Math.abs(q - v * 255) < 1e-3 ? SRGB8_TO_LINEAR[q] : srgbToLinear(v);
      if (v >= CLIP_LEVEL) clip = 1;
    }
    clipped[i] = clip;
  }
  return { width: photo.width, height: photo.height, linear, clipped };
}

/** Tile size in points for a lattice: one point per pixel along each basis vector. */
export function tileSize(lattice: Lattice): [number, number] {
  return [Math.max(1, Math.round(Math.hypot(...lattice.a))), Math.max(1, Math.round(Math.hypot(...lattice.b)))];
}

function isIntegerAxisAligned(l: Lattice): boolean {
  return Number.isInteger(l.a[0]) && l.a[1] === 0 && l.b[0] === 0 && Number.isInteger(l.b[1]);
}

/**
 * Gathers the observations of the tile point at image position (px, py) across all periods. Bilinear
 * samples when the lattice is not integer; a sample touching a clipped pixel is unusable.
 */
export function gather(flash: FlashData, camera: Camera, lattice: Lattice, px: number, py: number, out: Observations): void {
  const { width: W, height: H } = flash;
  const [ax, ay] = lattice.a, [bx, by] = lattice.b;
  const det = ax * by - ay * bx;
  // Range of (m, n) whose translate can land in the frame: from the inverse lattice at the corners.
  let mMin = Infinity, mMax = -Infinity, nMin = Infinity, nMax = -Infinity;
  for (const [cx, cy] of [[0, 0], [W - 1, 0], [0, H - 1], [W - 1, H - 1]]) {
    const dx = cx - px, dy = cy - py;
    const m = (dx * by - dy * bx) / det, n = (ax * dy - ay * dx) / det;
    mMin = Math.min(mMin, m); mMax = Math.max(mMax, m); nMin = Math.min(nMin, n); nMax = Math.max(nMax, n);
  }
  const s = pixelSize(camera);
  const exact = isIntegerAxisAligned(lattice) && Number.isInteger(px) && Number.isInteger(py);
  let k = 0;
  for (let n = Math.floor(nMin); n <= Math.ceil(nMax); n++) {
    for (let m = Math.floor(mMin); m <= Math.ceil(mMax); m++) {
      const x = px + m * ax + n * bx, y = py + m * ay + n * by;
      if (x < 0 || y < 0 || x > W - 1 || y > H - 1 || k >= out.lx.length) continue;
      let r: number, g: number, b: number, clip: number;
      if (exact) {
        const i = y * W + x;
        r = flash.linear[i * 3]; g = flash.linear[i * 3 + 1]; b = flash.linear[i * 3 + 2];
        clip = flash.clipped[i];
      } else {
        const x0 = Math.min(W - 2, Math.floor(x)), y0 = Math.min(H - 2, Math.floor(y));
        const fx = x - x0, fy = y - y0;
        const i00 = y0 * W + x0, i10 = i00 + 1, i01 = i00 + W, i11 = i01 + 1;
        const w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
        const L = flash.linear;
        r = L[i00 * 3] * w00 + L[i10 * 3] * w10 + L[i01 * 3] * w01 + L[i11 * 3] * w11;
        g = L[i00 * 3 + 1] * w00 + L[i10 * 3 + 1] * w10 + L[i01 * 3 + 1] * w01 + L[i11 * 3 + 1] * w11;
        b = L[i00 * 3 + 2] * w00 + L[i10 * 3 + 2] * w10 + L[i01 * 3 + 2] * w01 + L[i11 * 3 + 2] * w11;
        clip = flash.clipped[i00] | flash.clipped[i10] | flash.clipped[i01] | flash.clipped[i11];
      }
      const wx = (x + 0.5 - W / 2) * s, wy = -(y + 0.5 - H / 2) * s;
      const r2 = wx * wx + wy * wy + 1, inv = 1 / Math.sqrt(r2);
      out.lx[k] = -wx * inv; out.ly[k] = -wy * inv; out.lz[k] = inv; out.ir2[k] = 1 / r2;
      out.r[k] = r; out.g[k] = g; out.b[k] = b; out.w[k] = clip ? 0 : 1;
      k++;
    }
  }
  out.count = k;
}

/** The most observations any tile point can have (periods in the frame, with margin). */
export function maxObservations(width: number, height: number, lattice: Lattice): number {
  const area = Math.abs(lattice.a[0] * lattice.b[1] - lattice.a[1] * lattice.b[0]);
  return Math.ceil((width + Math.hypot(...lattice.a) * 2) * (height + Math.hypot(...lattice.b) * 2) / Math.max(1, area)) + 8;
}

/**
 * Fits tile rows [rowStart, rowEnd) (all rows by default) into `into` (tile-sized maps).
 * Split by rows so workers can share the job.
 */
export function fitTileRows(flash: FlashData, camera: Camera, lattice: Lattice, into: TileFit, rowStart = 0, rowEnd = into.maps.height, options: FitOptions = {}): void {
  const { width: tw, height: th } = into.maps;
  const maxObs = maxObservations(flash.width, flash.height, lattice);
  const obs = allocObservations(maxObs);
  const fitter = new PointFitter(maxObs);
  const m = into.maps;
  for (let j = rowStart; j < Math.min(rowEnd, th); j++) {
    for (let i = 0; i < tw; i++) {
      const px = (i / tw) * lattice.a[0] + (j / th) * lattice.b[0];
      const py = (i / tw) * lattice.a[1] + (j / th) * lattice.b[1];
      gather(flash, camera, lattice, px, py, obs);
      const t = j * tw + i;
      const fit = fitter.fit(obs, options);
      for (let c = 0; c < 3; c++) {
        m.baseColor[t * 3 + c] = fit.baseColor[c];
        m.specular[t * 3 + c] = fit.f0[c];
        m.normal[t * 3 + c] = fit.normal[c];
      }
      m.roughness[t] = fit.roughness;
      m.anisotropy[t * 2] = fit.anisotropyStrength;
      m.anisotropy[t * 2 + 1] = fit.anisotropyAngle;
      into.mse[t] = fit.mse;
      into.samples[t] = fit.samples;
    }
  }
}

export function emptyTileFit(lattice: Lattice): TileFit {
  const [tw, th] = tileSize(lattice);
  return { maps: emptyMaps(tw, th), lattice, mse: new Float32Array(tw * th), samples: new Uint16Array(tw * th) };
}
