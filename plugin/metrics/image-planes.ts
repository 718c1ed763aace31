/**
 * Float views of 8-bit images for the metrics: luma (ITU-R BT.601 Y on 0..255, the channel the
 * super-resolution literature reports on) and plain RGB planes, with a border cropped off
 * (`scale` texels by convention: the outermost texels depend on how each method pads).
 */

import type { RawImage } from '../types';

/** A single-channel float image. */
export interface Plane {
  data: Float64Array;
  width: number;
  height: number;
}

function cropBox(image: RawImage, border: number): { x0: number; y0: number; w: number; h: number } {
  const w = image.width - 2 * border;
  const h = image.height - 2 * border;
  if (w < 1 || h < 1) throw new Error(`image ${image.width}x${image.height} is too small for a ${border}-texel border`);
  return { x0: border, y0: border, w, h };
}

/** BT.601 luma on 0..255 (Y of YCbCr without the 16..235 offset); grey images are their own luma. */
export function luma(image: RawImage, border = 0): Plane {
  const { x0, y0, w, h } = cropBox(image, border);
  const data = new Float64Array(w * h);
  const ch = image.channels;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = ((y + y0) * image.width + x + x0) * ch;
      data[y * w + x] = ch >= 3 ? 0.299 * image.data[s] + 0.587 * image.data[s + 1] + 0.114 * image.data[s + 2] : image.data[s];
    }
  }
  return { data, width: w, height: h };
}

/** The colour channels (alpha excluded) as planes on 0..255. */
export function colourPlanes(image: RawImage, border = 0): Plane[] {
  const { x0, y0, w, h } = cropBox(image, border);
  const count = image.channels >= 3 ? 3 : 1;
  return Array.from({ length: count }, (_, c) => {
    const data = new Float64Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) data[y * w + x] = image.data[((y + y0) * image.width + x + x0) * image.channels + c];
    }
    return { data, width: w, height: h };
  });
}

export function assertSameSize(a: RawImage, b: RawImage): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`images differ in size: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
}
