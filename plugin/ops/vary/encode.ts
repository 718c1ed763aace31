/**
 * Encoding and writing a whole batch of variant files all-or-nothing: every file is encoded in memory
 * first (any failure → nothing written), then each is written atomically (temp + rename); if a write
 * fails, the files of this batch already written are removed again.
 */

import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { firstLine } from '../../config/errors';
import { writeFileAtomic } from '../../state/atomic-write';
import type { RawImage } from '../../types';

export interface PendingFile {
  file: string;
  image: RawImage;
}

/** Encodes by extension (.png lossless; .jpg/.webp at `quality`). */
export async function encodeImage(file: string, image: RawImage, quality = 92): Promise<Buffer> {
  const ext = path.extname(file).toLowerCase();
  const s = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
  if (ext === '.png') return s.png().toBuffer();
  if (ext === '.jpg' || ext === '.jpeg') return s.jpeg({ quality }).toBuffer();
  if (ext === '.webp') return s.webp({ quality }).toBuffer();
  throw new Error(`${file}: unsupported output format "${ext}" (use .png, .jpg or .webp)`);
}

export async function writeAllOrNothing(files: PendingFile[]): Promise<void> {
  const encoded = await Promise.all(files.map(async (f) => ({ file: f.file, bytes: await encodeImage(f.file, f.image) })));
  const written: string[] = [];
  try {
    for (const { file, bytes } of encoded) {
      await writeFileAtomic(file, bytes);
      written.push(file);
    }
  } catch (err) {
    for (const file of written) fs.rmSync(file, { force: true });
    throw new Error(`cannot write the variants (${firstLine(err)}); none were kept`);
  }
}
