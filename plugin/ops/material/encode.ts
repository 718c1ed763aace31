/**
 * Material maps → PNG files in the glTF texture conventions: base colour and specular colour sRGB;
 * normal (x, y, z)·0.5 + 0.5 (+Y up); roughness, height and occlusion as linear greyscale;
 * anisotropy as KHR_materials_anisotropy's texture (RG = direction in tangent space · 0.5 + 0.5,
 * B = strength). The specular colour texture holds F0 / (0.04 · factor), with the factor returned
 * (KHR_materials_specular's specularColorFactor) so that F0 above 0.04 is representable.
 */
import sharp from 'sharp';
import { linearToSrgb } from './color';
import type { MaterialMaps } from './types';

export interface EncodedMaps {
  basecolor: Buffer;
  normal: Buffer;
  roughness: Buffer;
  specular: Buffer;
  anisotropy: Buffer;
  height: Buffer;
  occlusion: Buffer;
  /** ORM texture for glTF (R occlusion, G roughness, B metallic = 0). */
  orm: Buffer;
  /** specularColorFactor that goes with specular.png. */
  specularColorFactor: number;
}

const byte = (v: number) => Math.max(0, Math.min(255, Math.round(v * 255)));

function png(bytes: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<Buffer> {
  return sharp(bytes, { raw: { width, height, channels } }).png({ compressionLevel: 6 }).toBuffer();
}

/** The specularColorFactor for a map: the 99.5th-percentile F0 relative to 0.04 (at least 1); rarer outliers saturate. */
export function specularFactor(maps: MaterialMaps): number {
  const sorted = Float32Array.from(maps.specular).sort();
  const p = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.995))] ?? 0;
  return Math.max(1, p / 0.04);
}

export async function encodeMaps(maps: MaterialMaps, height: Float32Array, occlusion: Float32Array): Promise<EncodedMaps> {
  const { width: w, height: h } = maps;
  const n = w * h;
  const base = new Uint8Array(n * 3), nrm = new Uint8Array(n * 3), spec = new Uint8Array(n * 3), aniso = new Uint8Array(n * 3), orm = new Uint8Array(n * 3);
  const rough = new Uint8Array(n), hgt = new Uint8Array(n), occ = new Uint8Array(n);
  const factor = specularFactor(maps);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      base[i * 3 + c] = byte(linearToSrgb(maps.baseColor[i * 3 + c]));
      nrm[i * 3 + c] = byte(maps.normal[i * 3 + c] * 0.5 + 0.5);
      spec[i * 3 + c] = byte(linearToSrgb(maps.specular[i * 3 + c] / (0.04 * factor)));
    }
    const s = maps.anisotropy[i * 2], a = maps.anisotropy[i * 2 + 1];
    aniso[i * 3] = byte(Math.cos(a) * 0.5 + 0.5);
    aniso[i * 3 + 1] = byte(Math.sin(a) * 0.5 + 0.5);
    aniso[i * 3 + 2] = byte(s);
    rough[i] = byte(maps.roughness[i]);
    hgt[i] = byte(height[i]);
    occ[i] = byte(occlusion[i]);
    orm[i * 3] = occ[i]; orm[i * 3 + 1] = rough[i]; orm[i * 3 + 2] = 0;
  }
  const [basecolor, normal, roughness, specular, anisotropy, heightPng, occlusionPng, ormPng] = await Promise.all([
    png(base, w, h, 3), png(nrm, w, h, 3), png(rough, w, h, 1), png(spec, w, h, 3), png(aniso, w, h, 3),
    png(hgt, w, h, 1), png(occ, w, h, 1), png(orm, w, h, 3),
  ]);
  return { basecolor, normal, roughness, specular, anisotropy, height: heightPng, occlusion: occlusionPng, orm: ormPng, specularColorFactor: factor };
}
