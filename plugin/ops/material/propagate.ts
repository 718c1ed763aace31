/**
 * Tile → full frame: every image pixel takes the fitted values of the tile point it repeats, so the
 * outputs are pixel-aligned with the photos. Exact copies for an integer, axis-aligned lattice;
 * bilinear (with wrap-around, normals renormalised) otherwise.
 */
import type { Lattice } from './period';
import { emptyMaps, type MaterialMaps } from './types';

/** Per-pixel tile coordinates (continuous, in tile texels) of image pixel (x, y). */
function tileCoords(lattice: Lattice, tw: number, th: number): (x: number, y: number) => [number, number] {
  const [ax, ay] = lattice.a, [bx, by] = lattice.b;
  const det = ax * by - ay * bx;
  return (x, y) => {
    const m = (x * by - y * bx) / det, n = (ax * y - ay * x) / det;
    return [(m - Math.floor(m)) * tw, (n - Math.floor(n)) * th];
  };
}

/** Samples a per-texel plane of `channels` values of the tile at continuous (u, v), wrapping. */
function sampleInto(src: Float32Array, channels: number, tw: number, th: number, u: number, v: number, dst: Float32Array, di: number): void {
  const x0 = Math.floor(u), y0 = Math.floor(v), fx = u - x0, fy = v - y0;
  const x1 = (x0 + 1) % tw, y1 = (y0 + 1) % th, xa = x0 % tw, ya = y0 % th;
  for (let c = 0; c < channels; c++) {
    const a = src[(ya * tw + xa) * channels + c], b = src[(ya * tw + x1) * channels + c];
    const cc = src[(y1 * tw + xa) * channels + c], d = src[(y1 * tw + x1) * channels + c];
    dst[di * channels + c] = (a * (1 - fx) + b * fx) * (1 - fy) + (cc * (1 - fx) + d * fx) * fy;
  }
}

/** Expands a plane (any channel count) of the tile to the frame. */
export function propagatePlane(src: Float32Array, channels: number, tw: number, th: number, lattice: Lattice, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height * channels);
  const exact = Number.isInteger(lattice.a[0]) && lattice.a[1] === 0 && lattice.b[0] === 0 && Number.isInteger(lattice.b[1])
    && lattice.a[0] === tw && lattice.b[1] === th;
  const coords = tileCoords(lattice, tw, th);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = y * width + x;
      if (exact) {
        const s = (y % th) * tw + (x % tw);
        for (let c = 0; c < channels; c++) out[d * channels + c] = src[s * channels + c];
      } else {
        const [u, v] = coords(x, y);
        sampleInto(src, channels, tw, th, u, v, out, d);
      }
    }
  }
  return out;
}

/** Expands all maps of the tile to the frame; normals renormalised, anisotropy copied nearest-free. */
export function propagateMaps(tile: MaterialMaps, lattice: Lattice, width: number, height: number): MaterialMaps {
  const { width: tw, height: th } = tile;
  const out = emptyMaps(width, height);
  out.baseColor = propagatePlane(tile.baseColor, 3, tw, th, lattice, width, height);
  out.specular = propagatePlane(tile.specular, 3, tw, th, lattice, width, height);
  out.roughness = propagatePlane(tile.roughness, 1, tw, th, lattice, width, height);
  out.normal = propagatePlane(tile.normal, 3, tw, th, lattice, width, height);
  for (let i = 0; i < width * height; i++) {
    const l = Math.hypot(out.normal[i * 3], out.normal[i * 3 + 1], out.normal[i * 3 + 2]) || 1;
    out.normal[i * 3] /= l; out.normal[i * 3 + 1] /= l; out.normal[i * 3 + 2] /= l;
  }
  // Anisotropy as a strength-weighted direction vector (angles do not interpolate; doubled angle for π-periodicity).
  const vec = new Float32Array(tw * th * 2);
  for (let i = 0; i < tw * th; i++) {
    const s = tile.anisotropy[i * 2], a = tile.anisotropy[i * 2 + 1];
    vec[i * 2] = s * Math.cos(2 * a); vec[i * 2 + 1] = s * Math.sin(2 * a);
  }
  const big = propagatePlane(vec, 2, tw, th, lattice, width, height);
  for (let i = 0; i < width * height; i++) {
    out.anisotropy[i * 2] = Math.hypot(big[i * 2], big[i * 2 + 1]);
    out.anisotropy[i * 2 + 1] = Math.atan2(big[i * 2 + 1], big[i * 2]) / 2;
  }
  return out;
}
