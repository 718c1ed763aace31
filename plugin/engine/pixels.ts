/**
 * Pixel conversions shared by the classical and neural paths: 8-bit interleaved RawImage to and from
 * 16-bit (for sharp) and float planes (for ONNX), and the sRGB transfer function.
 */

import type { RawImage } from '../types';

/** One image as separate float planes (the layout ONNX models take: CHW). */
export interface Planes {
  width: number;
  height: number;
  /** One Float32Array of width*height per channel, values nominally 0..1. */
  planes: Float32Array[];
}

/** sRGB-encoded 0..1 to linear 0..1 (IEC 61966-2-1). */
export function srgbToLinear(v: number): number {
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
}

/** Linear 0..1 to sRGB-encoded 0..1. */
export function linearToSrgb(v: number): number {
  return v <= 0.0031308 ? v * 12.92 : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
}

let srgb8ToLinear16: Uint16Array | undefined;
let linear16ToSrgb8: Uint8Array | undefined;

/** Lookup: 8-bit sRGB code to 16-bit linear code (16 bits keep the dark end distinct). */
export function srgb8ToLinear16Lut(): Uint16Array {
  if (!srgb8ToLinear16) {
    srgb8ToLinear16 = new Uint16Array(256);
    for (let i = 0; i < 256; i++) srgb8ToLinear16[i] = Math.round(srgbToLinear(i / 255) * 65535);
  }
  return srgb8ToLinear16;
}

/** Lookup: 16-bit linear code to the nearest 8-bit sRGB code. */
export function linear16ToSrgb8Lut(): Uint8Array {
  if (!linear16ToSrgb8) {
    linear16ToSrgb8 = new Uint8Array(65536);
    for (let i = 0; i < 65536; i++) linear16ToSrgb8[i] = Math.round(linearToSrgb(i / 65535) * 255);
  }
  return linear16ToSrgb8;
}

/** Rounds and clamps a 0..1 float to an 8-bit code. */
export function toByte(v: number): number {
  const b = Math.round(v * 255);
  return b < 0 ? 0 : b > 255 ? 255 : b;
}

/** Splits selected channels of an interleaved 8-bit image into float planes in 0..1. */
export function toPlanes(image: RawImage, channels: number[]): Planes {
  const { width, height, data } = image;
  const n = width * height;
  const stride = image.channels;
  const planes = channels.map((c) => {
    const plane = new Float32Array(n);
    for (let i = 0, j = c; i < n; i++, j += stride) plane[i] = data[j] / 255;
    return plane;
  });
  return { width, height, planes };
}

/** Picks the channels of an image into a new interleaved image (channel order kept). */
export function pickChannels(image: RawImage, channels: number[]): RawImage {
  const n = image.width * image.height;
  const out = new Uint8Array(n * channels.length);
  const stride = image.channels;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < channels.length; k++) out[i * channels.length + k] = image.data[i * stride + channels[k]];
  }
  return { data: out, width: image.width, height: image.height, channels: channels.length as RawImage['channels'] };
}

/** Copies the channels of `part` into channels `channels` of `target` (same size). */
export function putChannels(target: RawImage, part: RawImage, channels: number[]): void {
  const n = target.width * target.height;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < channels.length; k++) target.data[i * target.channels + channels[k]] = part.data[i * part.channels + k];
  }
}

/** An empty 8-bit image. */
export function blankImage(width: number, height: number, channels: RawImage['channels']): RawImage {
  return { data: new Uint8Array(width * height * channels), width, height, channels };
}

/** Throws a one-line error when a RawImage's buffer does not match its declared shape. */
export function assertRawImage(image: RawImage, what = 'image'): void {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`${what}: invalid size ${width}x${height}`);
  }
  if (![1, 2, 3, 4].includes(channels)) throw new Error(`${what}: unsupported channel count ${channels}`);
  if (data.length !== width * height * channels) {
    throw new Error(`${what}: buffer holds ${data.length} bytes, expected ${width}x${height}x${channels}`);
  }
}
