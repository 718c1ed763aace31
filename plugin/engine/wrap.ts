/**
 * Seamless mode: a tiling texture's left edge continues its right edge. Padding with wrapped-around
 * texels before filtering, and cropping the padding off after, gives every filter (Lanczos or a
 * neural net) the neighbours it would see on the tiled surface, so no seam appears.
 */

import type { RawImage } from '../types';

/** Returns the image padded by `pad` texels on every side, with texels taken modulo the size. */
export function wrapPad(image: RawImage, pad: number): RawImage {
  const { width, height, channels } = image;
  const w = width + 2 * pad;
  const h = height + 2 * pad;
  const data = new Uint8Array(w * h * channels);
  for (let y = 0; y < h; y++) {
    const sy = mod(y - pad, height);
    for (let x = 0; x < w; x++) {
      const sx = mod(x - pad, width);
      const s = (sy * width + sx) * channels;
      const d = (y * w + x) * channels;
      for (let c = 0; c < channels; c++) data[d + c] = image.data[s + c];
    }
  }
  return { data, width: w, height: h, channels };
}

/** Cuts a width x height window at (x, y) out of an image. */
export function crop(image: RawImage, x: number, y: number, width: number, height: number): RawImage {
  const { channels } = image;
  const data = new Uint8Array(width * height * channels);
  for (let row = 0; row < height; row++) {
    const s = ((y + row) * image.width + x) * channels;
    data.set(image.data.subarray(s, s + width * channels), row * width * channels);
  }
  return { data, width, height, channels };
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
