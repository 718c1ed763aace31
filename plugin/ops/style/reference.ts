/**
 * Reading a style reference image, with the checks a user-supplied file needs: it must exist, be a
 * still 8-bit PNG, JPEG or WebP, and not be huge (the statistics need only a few megapixels). Errors
 * are one line naming the file.
 */

import fs from 'node:fs';
import sharp from 'sharp';
import { firstLine } from '../../config/errors';
import type { RawImage } from '../../types';

/** Largest reference accepted, in texels (4096²); its statistics are the same from a smaller copy. */
export const MAX_REFERENCE_PIXELS = 4096 * 4096;
const FORMATS = new Set(['png', 'jpeg', 'webp']);

/** Checks a reference file without decoding its pixels; throws `file: problem` on anything unusable. */
export async function checkStyleReference(file: string): Promise<void> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new Error(`${file}: reference image not found`);
  }
  if (!stat.isFile()) throw new Error(`${file}: reference is not a file`);
  let meta: sharp.Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new Error(`${file}: reference is not a readable image (${firstLine(err)})`);
  }
  if (!meta.format || !FORMATS.has(meta.format)) throw new Error(`${file}: reference must be PNG, JPEG or WebP, got ${meta.format ?? 'unknown'}`);
  if (meta.depth && meta.depth !== 'uchar' && meta.depth !== 'char') {
    throw new Error(`${file}: reference has ${meta.depth === 'ushort' ? '16' : meta.depth}-bit channels; save it as 8-bit`);
  }
  if ((meta.pages ?? 1) > 1) throw new Error(`${file}: reference is animated (${meta.pages} frames); use a still image`);
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > MAX_REFERENCE_PIXELS) throw new Error(`${file}: reference is ${meta.width}x${meta.height}, larger than 4096x4096 texels; scale it down`);
  if (pixels === 0) throw new Error(`${file}: reference has no pixels`);
}

/** Checks, then decodes a reference to 8-bit pixels. */
export async function readStyleReference(file: string): Promise<RawImage> {
  await checkStyleReference(file);
  try {
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
  } catch (err) {
    throw new Error(`${file}: cannot read reference (${firstLine(err)})`);
  }
}
