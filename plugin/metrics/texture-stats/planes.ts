/**
 * Float views of 8-bit textures for the texture statistics: values on 0..1 (encoded, as stored — the
 * statistics compare stored maps, colour or data alike), alpha ignored.
 */

import type { RawImage } from '../../types';

/** One channel of a texture as floats, row-major. */
export interface FloatPlane {
  data: Float64Array;
  width: number;
  height: number;
}

/** Number of non-alpha channels: 1 for grey(+alpha), 3 for RGB(A). */
export function colourChannelCount(image: RawImage): number {
  return image.channels >= 3 ? 3 : 1;
}

/** BT.601 luma on 0..1 (grey images are their own luma). */
export function lumaPlane(image: RawImage): FloatPlane {
  const n = image.width * image.height;
  const data = new Float64Array(n);
  const ch = image.channels;
  const d = image.data;
  for (let i = 0, s = 0; i < n; i++, s += ch) {
    data[i] = ch >= 3 ? (0.299 * d[s] + 0.587 * d[s + 1] + 0.114 * d[s + 2]) / 255 : d[s] / 255;
  }
  return { data, width: image.width, height: image.height };
}

/** The colour channels as three planes on 0..1 (a grey image repeats its one channel). */
export function rgbPlanes(image: RawImage): FloatPlane[] {
  const n = image.width * image.height;
  const ch = image.channels;
  const out = [0, 1, 2].map(() => new Float64Array(n));
  for (let i = 0, s = 0; i < n; i++, s += ch) {
    for (let c = 0; c < 3; c++) out[c][i] = image.data[s + (ch >= 3 ? c : 0)] / 255;
  }
  return out.map((data) => ({ data, width: image.width, height: image.height }));
}

/** A window of a texture (no wrap), for taking exemplar crops. */
export function cropImage(image: RawImage, x: number, y: number, width: number, height: number): RawImage {
  if (x < 0 || y < 0 || x + width > image.width || y + height > image.height) {
    throw new Error(`crop ${width}x${height}+${x}+${y} lies outside the ${image.width}x${image.height} image`);
  }
  const ch = image.channels;
  const data = new Uint8Array(width * height * ch);
  for (let r = 0; r < height; r++) {
    const s = ((y + r) * image.width + x) * ch;
    data.set(image.data.subarray(s, s + width * ch), r * width * ch);
  }
  return { data, width, height, channels: image.channels };
}
