/**
 * Applies a coordinate map to one map of the set: every output texel is a verbatim copy of the
 * exemplar texel the map names, all channels (alpha carried, data untouched). Nothing is rotated or
 * mirrored, so normal vectors keep their orientation; normal maps are still renormalised so the
 * output is unit length even where the source was not.
 */

import { unitNormal } from '../../engine/normal';
import { toByte } from '../../engine/pixels';
import type { RawImage, TextureKind } from '../../types';
import type { CoordinateMap } from './types';

export function remap(image: RawImage, coords: CoordinateMap, kind: TextureKind): RawImage {
  const ch = image.channels;
  const out = new Uint8Array(coords.width * coords.height * ch);
  const src = image.data;
  for (let i = 0; i < coords.x.length; i++) {
    const s = (coords.y[i] * image.width + coords.x[i]) * ch;
    const o = i * ch;
    for (let c = 0; c < ch; c++) out[o + c] = src[s + c];
  }
  if (kind === 'normal' && ch >= 3) {
    for (let o = 0; o < out.length; o += ch) {
      const [x, y, z] = unitNormal((out[o] / 255) * 2 - 1, (out[o + 1] / 255) * 2 - 1, (out[o + 2] / 255) * 2 - 1);
      out[o] = toByte((x + 1) / 2);
      out[o + 1] = toByte((y + 1) / 2);
      out[o + 2] = toByte((z + 1) / 2);
    }
  }
  return { data: out, width: coords.width, height: coords.height, channels: image.channels };
}
