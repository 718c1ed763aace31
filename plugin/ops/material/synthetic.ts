/**
 * Procedural test materials and tiling: a known material for fixtures and tests (generated here, so
 * there is no third-party data to license), and a helper that repeats any tile over a frame.
 */
import { srgbToLinear } from './color';
import { emptyMaps, type MaterialMaps } from './types';

export interface SyntheticOptions {
  /** Tile side in texels. Default 48. */
  size?: number;
  /** Include a brushed (anisotropic) patch. Default true. */
  anisotropic?: boolean;
}

/**
 * A tile of "studded tiles": two painted colours in a checker of rounded plates with grooves between
 * them (normals from an analytic height field), smooth glossy plates, rough grooves, a brighter-F0
 * plate and, optionally, a brushed plate whose highlight stretches along 30°.
 */
export function syntheticMaterial(options: SyntheticOptions = {}): MaterialMaps {
  const size = options.size ?? 48;
  const maps = emptyMaps(size, size);
  const half = size / 2;
  const height = (x: number, y: number) => {
    // Plates: quadrants of the tile, each a low dome; grooves at the quadrant borders.
    const u = ((x % half) + half) % half / half, v = ((y % half) + half) % half / half;
    const edge = Math.min(u, 1 - u, v, 1 - v);
    const groove = Math.min(1, edge / 0.12);
    const dome = Math.sin(Math.PI * u) * Math.sin(Math.PI * v);
    return 0.6 * groove + 1.2 * dome;
  };
  const colours = [[0.62, 0.32, 0.18], [0.25, 0.42, 0.55], [0.7, 0.66, 0.5], [0.62, 0.32, 0.18]].map((c) => c.map(srgbToLinear));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const e = 0.5;
      // Height in texels; image y grows downward while the normal's +Y is up.
      const dhdx = (height(x + e, y) - height(x - e, y)) / (2 * e);
      const dhdyUp = -(height(x, y + e) - height(x, y - e)) / (2 * e);
      const len = Math.hypot(dhdx, dhdyUp, 1);
      maps.normal[i * 3] = -dhdx / len; maps.normal[i * 3 + 1] = -dhdyUp / len; maps.normal[i * 3 + 2] = 1 / len;
      const qx = x < half ? 0 : 1, qy = y < half ? 0 : 1;
      const u = (x % half) / half, v = (y % half) / half;
      const inGroove = Math.min(u, 1 - u, v, 1 - v) < 0.08;
      const colour = inGroove ? [0.05, 0.05, 0.05] : colours[qy * 2 + qx];
      // A little texture in the paint so the pattern is not piecewise flat.
      const speck = 0.85 + 0.15 * Math.sin(x * 1.7 + y * 0.9) * Math.sin(y * 2.3 - x * 0.4);
      for (let c = 0; c < 3; c++) maps.baseColor[i * 3 + c] = colour[c] * speck;
      const plate = qy * 2 + qx;
      maps.roughness[i] = inGroove ? 0.85 : [0.3, 0.45, 0.6, 0.35][plate];
      const f0 = !inGroove && plate === 1 ? 0.08 : 0.04;
      maps.specular.fill(f0, i * 3, i * 3 + 3);
      if ((options.anisotropic ?? true) && !inGroove && plate === 3) {
        maps.anisotropy[i * 2] = 0.7;
        maps.anisotropy[i * 2 + 1] = Math.PI / 6;
      }
    }
  }
  return maps;
}

/** Repeats a tile over a width×height frame; texel (x, y) of the frame is tile texel ((x + ox) mod w, (y + oy) mod h). */
export function tileMaps(tile: MaterialMaps, width: number, height: number, offset: [number, number] = [0, 0]): MaterialMaps {
  const out = emptyMaps(width, height);
  const tw = tile.width, th = tile.height;
  for (let y = 0; y < height; y++) {
    const ty = (((y + offset[1]) % th) + th) % th;
    for (let x = 0; x < width; x++) {
      const tx = (((x + offset[0]) % tw) + tw) % tw;
      const s = ty * tw + tx, d = y * width + x;
      for (let c = 0; c < 3; c++) {
        out.baseColor[d * 3 + c] = tile.baseColor[s * 3 + c];
        out.specular[d * 3 + c] = tile.specular[s * 3 + c];
        out.normal[d * 3 + c] = tile.normal[s * 3 + c];
      }
      out.roughness[d] = tile.roughness[s];
      out.anisotropy[d * 2] = tile.anisotropy[s * 2];
      out.anisotropy[d * 2 + 1] = tile.anisotropy[s * 2 + 1];
    }
  }
  return out;
}
