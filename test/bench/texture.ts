/** Bench input: a real texture crop repeated (and Lanczos-resized) to the requested size, RGB. */
import sharp from 'sharp';
import type { RawImage } from '../../plugin/types';

export async function mosaicTexture(file: string, size: number): Promise<RawImage> {
  const tile = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = tile.info;
  const data = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Mirror every other repeat so the mosaic has no hard seams.
      const tx = Math.floor(x / width) % 2 ? width - 1 - (x % width) : x % width;
      const ty = Math.floor(y / height) % 2 ? height - 1 - (y % height) : y % height;
      const s = (ty * width + tx) * 3;
      data[(y * size + x) * 3] = tile.data[s];
      data[(y * size + x) * 3 + 1] = tile.data[s + 1];
      data[(y * size + x) * 3 + 2] = tile.data[s + 2];
    }
  }
  return { data, width: size, height: size, channels: 3 };
}
