/**
 * PNG encoding of Remaster's own outputs ("Up" filter on every row, zlib level 2, Node's zlib) instead of
 * sharp's encoder (level 3, adaptive filtering), up to OWN_PNG_MAX_TEXELS.
 *
 * Why: sharp offers only "no filter" or "try all five filters per row"; upscaled textures are smooth
 * from row to row, so the "Up" filter alone does as well as trying all five. Measured on 12 upscaled
 * textures (colour, RGBA, grey, normal, data, Lanczos; 12.6 MP, CPU time, table in plugin/engine/README.md):
 * 0.57x the CPU time of sharp's level 3 adaptive for 1.04x the bytes; the same PNG, pixel for pixel
 * (tested). Encoding is on the critical path of `remaster upscale` and costs CPU that `remaster run`
 * takes from inference (issue 13).
 *
 * The encoder is png-stream.ts's, fed the whole image: the file is byte for byte the one pngjs wrote
 * with these settings before (tested against pngjs), with the filter pass in a tight loop and the chunk
 * CRCs by Node's zlib instead of pngjs's JavaScript (issue 13: pngjs's filter and CRC were ~4.8 ms of
 * this thread per 512² output in a run, the biggest part of its work outside the engine).
 *
 * The filtered copy is the size of the output: above OWN_PNG_MAX_TEXELS sharp's encoder (which streams,
 * no copy) is used, so the peak RSS bound (200 MB + 1.3x the output, issue 13) keeps holding for big outputs.
 *
 *   if (ownPngEncoderTakes(image)) bytes = await encodePng(image); // ownPngEncoderTakes: png-settings.ts
 */
import { PngRowEncoder } from './png-stream';
import type { RawImage } from './types';

/**
 * The PNG file of an 8-bit image (1-4 channels), no ancillary chunks. The filter pass runs on this
 * thread (~1 ms per MP), the deflate in the thread pool.
 *
 * @example
 * const bytes = await encodePng({ data, width: 1024, height: 1024, channels: 3 });
 */
export async function encodePng(image: RawImage): Promise<Buffer> {
  return new PngRowEncoder(image).finish(); // checks the buffer's size first (no zeros past a short one)
}
