/** A texture cyclically shifted: texel (x, y) of the result is texel (x + dx, y + dy) of the input, wrapped. */
import type { RawImage } from '../../plugin/types';

export function cyclicShift(image: RawImage, dx: number, dy: number): RawImage {
  const { width, height, channels } = image;
  const data = new Uint8Array(image.data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (((y + dy) % height) * width + ((x + dx) % width)) * channels;
      data.set(image.data.subarray(s, s + channels), (y * width + x) * channels);
    }
  }
  return { ...image, data };
}
