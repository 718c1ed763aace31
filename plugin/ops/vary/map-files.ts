/**
 * Reading a texture set from files for `remaster vary` / `eval-vary`, refusing what the synthesis
 * cannot treat faithfully (one line naming the file): 8-bit only (16-bit maps would lose precision),
 * decodable, within the size limits; and naming the outputs.
 */

import path from 'node:path';
import sharp from 'sharp';
import { firstLine } from '../../config/errors';
import type { RawImage, TextureKind } from '../../types';
import { VaryInputError } from './vary-texture';
import type { VaryMap } from './types';

/** Decodes one map (8-bit only), naming the file in any error. */
export async function readMapFile(file: string, slot: string, kind: TextureKind, maxPixels = 8192 * 8192): Promise<VaryMap> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: maxPixels }).metadata();
  } catch (err) {
    throw new VaryInputError(`${file}: not a readable image (${firstLine(err)})`);
  }
  if (meta.depth && meta.depth !== 'uchar') throw new VaryInputError(`${file}: ${meta.depth === 'ushort' ? '16-bit' : meta.depth} images are not supported (8-bit only)`);
  if ((meta.width ?? 0) * (meta.height ?? 0) > maxPixels) throw new VaryInputError(`${file}: ${meta.width}x${meta.height} is too large (at most ${maxPixels} texels)`);
  try {
    const { data, info } = await sharp(file, { limitInputPixels: maxPixels }).raw().toBuffer({ resolveWithObject: true });
    const image: RawImage = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
    return { slot, kind, image };
  } catch (err) {
    throw new VaryInputError(`${file}: cannot decode (${firstLine(err)})`);
  }
}

/**
 * Output file of variant k: `<stem>-v<k>.<ext>`. A map named after the lead (`wall_n.png` beside
 * `wall.png`) gets the tag before its kind suffix, `wall-v2_n.png`, so the variant set is again a set
 * (its kind is still read from the suffix, and `wall-v2.png` + `wall-v2_n.png` stay together).
 *
 * @example variantFileName('/p/wall_n.png', 2, 'wall') // '/p/wall-v2_n.png' basename: 'wall-v2_n.png'
 */
export function variantFileName(file: string, k: number, leadStem?: string): string {
  const ext = path.extname(file);
  const stem = path.basename(file, ext);
  if (leadStem && stem.length > leadStem.length && stem.toLowerCase().startsWith(leadStem.toLowerCase())) {
    return `${leadStem}-v${k}${stem.slice(leadStem.length)}${ext}`;
  }
  return `${stem}-v${k}${ext}`;
}
