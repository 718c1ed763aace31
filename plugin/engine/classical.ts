/**
 * Classical, kind-aware Lanczos-3 (or Catmull-Rom bicubic) resampling.
 *
 * Shrinking goes through sharp (libvips) at 16 bits per channel, so intermediate rounding and the
 * sRGB <-> linear round trip stay lossless at 8-bit output. Enlarging goes through resample.ts in
 * float, because sharp enlarges with a bicubic interpolator whatever kernel is asked for.
 * How each kind is treated:
 * - colour: alpha is premultiplied before resampling and divided out after (sharp does this
 *   itself), so transparent texels do not bleed dark fringes into opaque ones.
 *   `light: 'linear'` converts sRGB to linear light first (used for downscaling: averaging in
 *   gamma space darkens fine bright detail); upscaling stays in sRGB like every other Lanczos tool.
 * - normal: XYZ resampled as plain numbers, then renormalised (see normal.ts); a 4th channel is data.
 * - data: each channel independent and untouched by colour maths; alpha is not an alpha here,
 *   so channels are grouped so sharp never sees a grey+alpha or RGBA image (it would premultiply).
 */

import type Sharp from 'sharp';
import type { RawImage, TextureKind } from '../types';
import { linear16ToSrgb8Lut, linearToSrgb, srgb8ToLinear16Lut, blankImage } from './pixels';
import { renormalise16To8, renormalisePlanes } from './normal';
import { resamplePlanes, type ResampleKernel } from './resample';
import { range } from './range';
import { ownRawInput } from './encode-options';

export type { ResampleKernel } from './resample';

export interface ClassicalOptions {
  /** Colour kind only: resample in sRGB values or in linear light. Default 'srgb'. */
  light?: 'srgb' | 'linear';
  kernel?: ResampleKernel;
  /** Shrink with the float resampler too (Pillow-exact, slower) instead of sharp. */
  exact?: boolean;
}

/**
 * sharp (libvips), loaded on first use: `remaster upscale` starts its model loading in the inference
 * worker before this thread spends ~35 ms loading libvips (issue 13, CLI start-up).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sharp = (...args: Parameters<typeof Sharp>): ReturnType<typeof Sharp> => (require('sharp') as typeof Sharp)(...args);

/** Which channels travel together through sharp, per kind (see file comment). */
export function channelGroups(channels: number, kind: TextureKind): number[][] {
  if (kind === 'color') return [range(channels)];
  if (kind === 'normal' && channels >= 3) return channels === 4 ? [[0, 1, 2], [3]] : [[0, 1, 2]];
  // data (and a degenerate 1- or 2-channel "normal" map): RGB may travel together, alpha alone.
  if (channels === 4) return [[0, 1, 2], [3]];
  if (channels === 3) return [[0, 1, 2]];
  return range(channels).map((c) => [c]);
}

/** Resamples `image` to exactly width x height with kind-aware handling. */
export async function resizeClassical(
  image: RawImage,
  width: number,
  height: number,
  kind: TextureKind,
  options: ClassicalOptions = {},
): Promise<RawImage> {
  const kernel = options.kernel ?? 'lanczos3';
  const linear = kind === 'color' && options.light === 'linear';
  const out = blankImage(width, height, image.channels);
  if (options.exact || (width >= image.width && height >= image.height)) {
    for (const group of channelGroups(image.channels, kind)) enlargeGroup(image, group, kind, linear, kernel, out);
    return out;
  }
  for (const group of channelGroups(image.channels, kind)) {
    const hasAlpha = kind === 'color' && (group.length === 2 || group.length === 4);
    const colourCount = hasAlpha ? group.length - 1 : group.length;
    const input = encode16(image, group, linear ? colourCount : 0);
    const resized = await resize16(input, image.width, image.height, group.length, width, height, kernel);
    const renormalise = kind === 'normal' && group.length === 3;
    if (renormalise) renormalise16To8(resized, 3, out);
    else decode16(resized, group, out, linear ? colourCount : 0);
  }
  return out;
}

/**
 * Enlarges `channels` of `image`, each on its own as data (float resampler, Lanczos-3), writing every
 * output row straight into the same channels of `out` (already the target size): no copy of the
 * channel at the input size and no whole output-size image for it. The values are those of
 * `resizeClassical(pickChannels(image, channels), out.width, out.height, 'data')`.
 *
 * @example
 * enlargeChannelsInto(rgba, [3], upscaled); // upscaled's alpha from rgba's, row by row
 */
export function enlargeChannelsInto(image: RawImage, channels: number[], out: RawImage, kernel: ResampleKernel = 'lanczos3'): void {
  if (out.width < image.width || out.height < image.height) throw new Error('enlargeChannelsInto only enlarges');
  for (const c of channels) enlargeGroup(image, [c], 'data', false, kernel, out);
}

/** Resamples one channel group in float (see resample.ts), writing 8-bit channels of `out`. */
function enlargeGroup(image: RawImage, group: number[], kind: TextureKind, linear: boolean, kernel: ResampleKernel, out: RawImage): void {
  const hasAlpha = kind === 'color' && (group.length === 2 || group.length === 4);
  const colourCount = hasAlpha ? group.length - 1 : group.length;
  const n = image.width * image.height;
  const lut = srgb8ToLinear16Lut();
  const planes = group.map(() => new Float32Array(n));
  for (let i = 0; i < n; i++) {
    const s = i * image.channels;
    const alpha = hasAlpha ? image.data[s + group[group.length - 1]] / 255 : 1;
    for (let k = 0; k < group.length; k++) {
      const v = image.data[s + group[k]];
      if (k >= colourCount) planes[k][i] = v / 255;
      else planes[k][i] = (linear ? lut[v] / 65535 : v / 255) * alpha;
    }
  }
  const normal = kind === 'normal' && group.length === 3;
  // A clamped view rounds and clamps on assignment: the fastest way to quantise in JS.
  const clamped = new Uint8ClampedArray(out.data.buffer, out.data.byteOffset, out.data.length);
  resamplePlanes(planes, image.width, image.height, out.width, out.height, kernel, (y, rows) => {
    if (normal) renormalisePlanes(rows[0], rows[1], rows[2]);
    if (hasAlpha) {
      const a = rows[colourCount];
      for (let x = 0; x < out.width; x++) {
        const alpha = Math.min(1, Math.max(0, a[x]));
        const inverse = alpha > 1 / 1024 ? 1 / alpha : 0;
        for (let k = 0; k < colourCount; k++) rows[k][x] *= inverse;
      }
    }
    if (linear) {
      for (let k = 0; k < colourCount; k++) {
        const r = rows[k];
        for (let x = 0; x < out.width; x++) r[x] = linearToSrgb(Math.min(1, Math.max(0, r[x])));
      }
    }
    const rowStart = y * out.width * out.channels;
    for (let k = 0; k < group.length; k++) {
      const r = rows[k];
      for (let x = 0, j = rowStart + group[k]; x < out.width; x++, j += out.channels) clamped[j] = r[x] * 255;
    }
  });
}

/** One sharp call on a 16-bit interleaved buffer; returns the 16-bit result. */
export async function resize16(
  data: Uint16Array,
  width: number,
  height: number,
  channels: number,
  outWidth: number,
  outHeight: number,
  kernel: ResampleKernel,
): Promise<Uint16Array> {
  const colourspace = channels >= 3 ? 'rgb16' : 'grey16';
  const buffer = await sharp(data, ownRawInput(width, height, channels as 1 | 2 | 3 | 4))
    .resize(outWidth, outHeight, { kernel, fit: 'fill' })
    .toColourspace(colourspace)
    .raw({ depth: 'ushort' })
    .toBuffer();
  // Buffer may be a view into a pooled ArrayBuffer: copy to an aligned Uint16Array.
  const result = new Uint16Array(buffer.length / 2);
  new Uint8Array(result.buffer).set(buffer);
  return result;
}

/** Extracts `group` channels to 16-bit; the first `linearCount` of them are sRGB-decoded to linear. */
function encode16(image: RawImage, group: number[], linearCount: number): Uint16Array {
  const n = image.width * image.height;
  const out = new Uint16Array(n * group.length);
  const lut = srgb8ToLinear16Lut();
  const stride = image.channels;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < group.length; k++) {
      const v = image.data[i * stride + group[k]];
      out[i * group.length + k] = k < linearCount ? lut[v] : v * 257;
    }
  }
  return out;
}

/** Writes a 16-bit group back to 8-bit channels of `out`, re-encoding linear channels to sRGB. */
function decode16(src: Uint16Array, group: number[], out: RawImage, linearCount: number): void {
  const n = out.width * out.height;
  const lut = linear16ToSrgb8Lut();
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < group.length; k++) {
      const v = src[i * group.length + k];
      out.data[i * out.channels + group[k]] = k < linearCount ? lut[v] : Math.round(v / 257);
    }
  }
}
