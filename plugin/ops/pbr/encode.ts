/** PbrMaps → 8-bit images as glTF stores them. */
import type { RawImage } from '../../types';
import type { PbrMaps } from './types';

const byte = (v: number) => (v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255));

/** Tangent-space normal map, RGB = (n + 1) / 2 (glTF `normalTexture`). */
export function encodeNormalMap(maps: PbrMaps): RawImage {
  const n = maps.width * maps.height;
  const data = new Uint8Array(n * 3);
  for (let i = 0; i < 3 * n; i++) data[i] = byte((maps.normal[i] + 1) / 2);
  return { data, width: maps.width, height: maps.height, channels: 3 };
}

/**
 * ORM texture as glTF packs it: R occlusion (`occlusionTexture`), G roughness and B metallic
 * (`metallicRoughnessTexture`). Metallic is constant (`metallic`, default 0): one colour photo or
 * texture does not tell metal from paint, so the material's `metallicFactor` decides.
 */
export function encodeOrm(maps: PbrMaps, options: { metallic?: number } = {}): RawImage {
  const n = maps.width * maps.height;
  const data = new Uint8Array(n * 3);
  const m = byte(options.metallic ?? 0);
  for (let i = 0; i < n; i++) {
    data[3 * i] = byte(maps.occlusion[i]);
    data[3 * i + 1] = byte(maps.roughness[i]);
    data[3 * i + 2] = m;
  }
  return { data, width: maps.width, height: maps.height, channels: 3 };
}

/** One 0..1 plane as an 8-bit grey image (height, roughness or occlusion on its own). */
export function encodeGrey(plane: Float32Array, width: number, height: number): RawImage {
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = byte(plane[i]);
  return { data, width, height, channels: 1 };
}
