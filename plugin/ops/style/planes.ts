/**
 * Float colour planes for style transfer: 8-bit sRGB codes to 0..1 floats per channel and back, the
 * alpha channel kept aside untouched. Style statistics are taken on sRGB-encoded values (closer to
 * perceived differences than linear light, and what artists' histograms show).
 */

import type { RawImage } from '../../types';

/** A colour image as float planes (values nominally 0..1), 1 (grey) or 3 (RGB) planes. */
export interface ColourPlanes {
  width: number;
  height: number;
  planes: Float32Array[];
}

/** The colour channels of an image as 0..1 planes (alpha, if any, is not included). */
export function colourPlanesOf(image: RawImage): ColourPlanes {
  const { width, height, channels, data } = image;
  const count = channels >= 3 ? 3 : 1;
  const n = width * height;
  const planes = Array.from({ length: count }, (_, c) => {
    const p = new Float32Array(n);
    for (let i = 0, j = c; i < n; i++, j += channels) p[i] = data[j] / 255;
    return p;
  });
  return { width, height, planes };
}

/** Three planes from any image: grey is repeated so a grey reference can style a colour input and back. */
export function rgbPlanesOf(image: RawImage): ColourPlanes {
  const p = colourPlanesOf(image);
  return p.planes.length === 3 ? p : { ...p, planes: [p.planes[0], p.planes[0].slice(), p.planes[0].slice()] };
}

/**
 * Writes float planes back into a copy of `like` (same size and channel layout): colour channels
 * rounded and clamped, alpha copied from `like`. 3 planes into a grey image are averaged (BT.601).
 */
export function toRawImage(planes: ColourPlanes, like: RawImage): RawImage {
  const { channels } = like;
  const n = like.width * like.height;
  const data = new Uint8Array(like.data);
  const colour = channels >= 3 ? 3 : 1;
  const p = planes.planes;
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    if (colour === 3) {
      for (let c = 0; c < 3; c++) data[o + c] = byte(p[c][i]);
    } else {
      data[o] = byte(p.length === 3 ? 0.299 * p[0][i] + 0.587 * p[1][i] + 0.114 * p[2][i] : p[0][i]);
    }
  }
  return { data, width: like.width, height: like.height, channels };
}

function byte(v: number): number {
  const b = Math.round(v * 255);
  return b < 0 ? 0 : b > 255 ? 255 : b;
}
