/**
 * `remaster material <photo> --out DIR`: the one-photo mode. The estimation is the `pbr` operation's
 * (plugin/ops/pbr, estimatePbrFromColor in photo mode: de-lit base colour, normal, roughness, height,
 * occlusion); this file only reads the photo, picks the method (DEFAULT_PBR_METHOD, today the network;
 * the heuristic when the model file is missing) and writes the same file set as the two-shot mode, all-or-nothing. No specular
 * colour or anisotropy: one photo does not show them.
 */
import fs from 'node:fs';
import sharp from 'sharp';
import { firstLine } from '../../config/errors';
import { DEFAULT_PBR_METHOD, estimatePbrFromColor, shippedPbrModel, type PbrMethod } from '../pbr';
import { materialGlb } from './glb';
import { CaptureInputError } from './read-photo';
import { writeAllOrNothing } from './write-outputs';

export interface OnePhotoReport {
  files: string[];
  width: number;
  height: number;
  method: PbrMethod;
  engine: string;
}

function png(data: Uint8Array, width: number, height: number, channels: 1 | 3 | 4): Promise<Buffer> {
  return sharp(data, { raw: { width, height, channels } }).png().toBuffer();
}

export async function materialFromOnePhoto(photoFile: string, outDir: string, options: { method?: PbrMethod } = {}): Promise<OnePhotoReport> {
  let rgba: Uint8Array, width: number, height: number;
  try {
    const { data, info } = await sharp(photoFile, { limitInputPixels: 1 << 28 }).rotate().ensureAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    rgba = new Uint8Array(data.buffer, data.byteOffset, data.length);
    width = info.width; height = info.height;
  } catch (err) {
    throw new CaptureInputError(`${photoFile}: cannot read photo (${firstLine(err)})`);
  }
  const method = options.method ?? (fs.existsSync(shippedPbrModel()) ? DEFAULT_PBR_METHOD : 'heuristic');
  const maps = await estimatePbrFromColor(rgba, width, height, { mode: 'photo', method });
  const n = width * height;
  const base = new Uint8Array(n * 3), nrm = new Uint8Array(n * 3), orm = new Uint8Array(n * 3);
  const rough = new Uint8Array(n), hgt = new Uint8Array(n), occ = new Uint8Array(n);
  const byte = (v: number) => Math.max(0, Math.min(255, Math.round(v * 255)));
  const colour = maps.baseColor ?? rgba;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      base[i * 3 + c] = colour[i * 4 + c];
      nrm[i * 3 + c] = byte(maps.normal[i * 3 + c] * 0.5 + 0.5);
    }
    rough[i] = byte(maps.roughness[i]); hgt[i] = byte(maps.heightMap[i]); occ[i] = byte(maps.occlusion[i]);
    orm[i * 3] = occ[i]; orm[i * 3 + 1] = rough[i]; orm[i * 3 + 2] = 0;
  }
  const [basecolor, normal, roughness, heightPng, occlusion, ormPng] = await Promise.all([
    png(base, width, height, 3), png(nrm, width, height, 3), png(rough, width, height, 1),
    png(hgt, width, height, 1), png(occ, width, height, 1), png(orm, width, height, 3),
  ]);
  const glb = await materialGlb({ basecolor, normal, orm: ormPng }, width, height, { specular: false, anisotropic: false });
  const files = new Map<string, Uint8Array>([
    ['basecolor.png', basecolor], ['normal.png', normal], ['roughness.png', roughness], ['height.png', heightPng],
    ['occlusion.png', occlusion], ['material.glb', glb],
  ]);
  return { files: await writeAllOrNothing(outDir, files), width, height, method, engine: maps.engine };
}
