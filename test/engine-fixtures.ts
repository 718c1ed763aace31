/** Shared helpers for the engine tests: load the small real textures under fixtures/textures. */
import path from 'node:path';
import type { RawImage } from '../plugin/types';
import { readImageFile } from '../plugin/image-codec';

export const TEXTURES = path.join(__dirname, '..', 'fixtures', 'textures');
export const MODELS = path.join(__dirname, '..', 'fixtures', 'models');

export function texture(name: string): Promise<RawImage> {
  return readImageFile(path.join(TEXTURES, name));
}

/** Channel c of an image as numbers. */
export function channel(image: RawImage, c: number): number[] {
  const out: number[] = [];
  for (let i = c; i < image.data.length; i += image.channels) out.push(image.data[i]);
  return out;
}

/** Mean and max absolute difference between two equally shaped images. */
export function diff(a: RawImage, b: RawImage): { mean: number; max: number } {
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i] - b.data[i]);
    sum += d;
    if (d > max) max = d;
  }
  return { mean: sum / a.data.length, max };
}

/** A 3x3 mosaic of the same tile, as a tiling texture looks on a surface. */
export function mosaic3(tile: RawImage): RawImage {
  const w = tile.width * 3;
  const h = tile.height * 3;
  const data = new Uint8Array(w * h * tile.channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = ((y % tile.height) * tile.width + (x % tile.width)) * tile.channels;
      data.set(tile.data.subarray(s, s + tile.channels), (y * w + x) * tile.channels);
    }
  }
  return { data, width: w, height: h, channels: tile.channels };
}

/** Mean absolute step across the wrap-around seam (last column to first, last row to first). */
export function wrapSeam(image: RawImage): number {
  const { width: w, height: h, channels: ch, data } = image;
  let sum = 0;
  let n = 0;
  for (let y = 0; y < h; y++) {
    for (let c = 0; c < ch; c++) { sum += Math.abs(data[(y * w + w - 1) * ch + c] - data[y * w * ch + c]); n++; }
  }
  for (let x = 0; x < w; x++) {
    for (let c = 0; c < ch; c++) { sum += Math.abs(data[((h - 1) * w + x) * ch + c] - data[x * ch + c]); n++; }
  }
  return sum / n;
}
