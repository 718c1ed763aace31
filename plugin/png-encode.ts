/**
 * PNG encoding of Remaster's own outputs, with pngjs (filter "Up" on every row, zlib level 2) instead of
 * sharp's encoder (level 3, adaptive filtering), up to PNGJS_MAX_TEXELS.
 *
 * Why: sharp offers only "no filter" or "try all five filters per row"; upscaled textures are smooth
 * from row to row, so the "Up" filter alone does as well as trying all five, and pngjs lets us pick
 * it (sharp does not). Measured on 12 upscaled textures (colour, RGBA, grey, normal, data, Lanczos;
 * 12.6 MP, CPU time, table in plugin/engine/README.md): 0.57x the CPU time of sharp's level 3 adaptive
 * for 1.04x the bytes; the same PNG, pixel for pixel (tested). Encoding is on the critical path of
 * `remaster upscale` and costs CPU that `remaster run` takes from inference (issue 13).
 *
 * pngjs filters the whole image into a copy before deflating it (zlib in the thread pool), so memory is
 * the output size again: above PNGJS_MAX_TEXELS sharp's encoder (which streams, no copy) is used, so the
 * peak RSS bound (200 MB + 1.3x the output, issue 13) keeps holding for big outputs.
 *
 *   if (pngjsEncodes(image)) bytes = await encodePng(image); // pngjsEncodes: png-settings.ts
 */
import { PNG, type ColorType } from 'pngjs';
import { assertRawImage } from './engine/pixels';
import { PNG_DEFLATE_CHUNK, PNG_DEFLATE_LEVEL, PNG_FILTER } from './png-settings';
import type { RawImage } from './types';


/** PNG colour type by channel count: grey, grey+alpha, RGB, RGBA. */
const COLOR_TYPES: Record<RawImage['channels'], ColorType> = { 1: 0, 2: 4, 3: 2, 4: 6 };

/**
 * The PNG file of an 8-bit image (1-4 channels), no ancillary chunks. The filter pass runs on this
 * thread (~5 ms per MP), the deflate in the thread pool.
 *
 * @example
 * const bytes = await encodePng({ data, width: 1024, height: 1024, channels: 3 });
 */
export async function encodePng(image: RawImage): Promise<Buffer> {
  assertRawImage(image); // pngjs would read past a short buffer and write zeros
  const colorType = COLOR_TYPES[image.channels];
  // Made empty, then given the image: `new PNG({ width, height })` would allocate (and zero) a 4-channel buffer.
  const png = new PNG({
    colorType,
    inputColorType: colorType,
    inputHasAlpha: image.channels === 2 || image.channels === 4,
    filterType: PNG_FILTER,
    deflateLevel: PNG_DEFLATE_LEVEL,
    deflateStrategy: 0, // Z_DEFAULT_STRATEGY (pngjs defaults to Z_RLE: 1.3x the bytes)
    deflateChunkSize: PNG_DEFLATE_CHUNK,
  });
  png.width = image.width;
  png.height = image.height;
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    png.on('data', (chunk: Buffer) => chunks.push(chunk));
    png.on('end', () => resolve(Buffer.concat(chunks)));
    png.on('error', (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))));
    png.pack();
  });
}
