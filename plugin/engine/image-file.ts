/**
 * Reading and writing single image files for the engine's own commands (`remaster upscale`,
 * `remaster eval`). Writes are atomic: a temp file beside the target, then rename.
 */

import path from 'node:path';
import sharp from 'sharp';
import { firstLine } from '../config/errors';
import { writeFileAtomic } from '../state/atomic-write';
import type { RawImage } from '../types';
import { ownRawInput, PNG_OPTIONS } from './encode-options';

/** Decodes an image file to 8-bit interleaved pixels; one-line error naming the file otherwise. */
export async function readImageFile(file: string): Promise<RawImage> {
  try {
    // As the pipeline decodes (pipeline/image-codec.ts): stored values, no ICC conversion; EXIF rotation applied.
    const { data, info } = await sharp(file, { ignoreIcc: true, autoOrient: true }).raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
  } catch (err) {
    throw new Error(`${file}: cannot read image (${firstLine(err)})`);
  }
}

/** Encodes by the target's extension (.png, .jpg/.jpeg, .webp) and renames into place. */
export async function writeImageFile(file: string, image: RawImage): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  let pipeline = sharp(image.data, ownRawInput(image.width, image.height, image.channels));
  if (ext === '.png') pipeline = pipeline.png(PNG_OPTIONS);
  else if (ext === '.jpg' || ext === '.jpeg') pipeline = pipeline.jpeg({ quality: 92 });
  else if (ext === '.webp') pipeline = pipeline.webp({ quality: 92 });
  else throw new Error(`${file}: unsupported output format "${ext}" (use .png, .jpg or .webp)`);
  const bytes = await pipeline.toBuffer();
  try {
    await writeFileAtomic(file, bytes);
  } catch (err) {
    throw new Error(`${file}: cannot write (${firstLine(err)})`);
  }
}
