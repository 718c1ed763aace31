/**
 * The PNG pngjs writes with Remaster's settings (png-settings.ts): what png-encode.ts wrote before it
 * used png-stream.ts's encoder, kept here as the reference those files must equal byte for byte.
 */
import { PNG, type ColorType } from 'pngjs';
import { PNG_DEFLATE_CHUNK, PNG_DEFLATE_LEVEL, PNG_FILTER } from '../plugin/png-settings';
import type { RawImage } from '../plugin/types';

const COLOR_TYPES: Record<RawImage['channels'], ColorType> = { 1: 0, 2: 4, 3: 2, 4: 6 };

export function pngjsEncode(image: RawImage): Promise<Buffer> {
  const colorType = COLOR_TYPES[image.channels];
  const png = new PNG({
    colorType,
    inputColorType: colorType,
    inputHasAlpha: image.channels === 2 || image.channels === 4,
    filterType: PNG_FILTER,
    deflateLevel: PNG_DEFLATE_LEVEL,
    deflateStrategy: 0,
    deflateChunkSize: PNG_DEFLATE_CHUNK,
  });
  png.width = image.width;
  png.height = image.height;
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    png.on('data', (chunk: Buffer) => chunks.push(chunk));
    png.on('end', () => resolve(Buffer.concat(chunks)));
    png.on('error', reject);
    png.pack();
  });
}
