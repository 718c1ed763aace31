/**
 * Linear radiance → the photo a camera would save: exposure, sensor noise (shot noise with variance
 * proportional to the signal plus read noise, seeded so results repeat), clipping, sRGB encoding,
 * 8-bit quantisation, and optionally a JPEG round trip at a given quality (libvips through sharp).
 */
import sharp from 'sharp';
import { seededRandom } from '../../metrics/texture-stats/seeded-random';
import { linearToSrgb } from './color';
import type { LinearImage, Photo } from './types';

export interface PhotoOptions {
  /** Multiplies the radiance before clipping. Default 1. */
  exposure?: number;
  /** Shot-noise variance per unit of linear signal (σ² = shot·v + read²). Default 1/1000; 0 = noiseless. */
  shot?: number;
  /** Read-noise σ in linear units. Default 0.002. */
  read?: number;
  /** PRNG seed for the noise. Default 1. */
  seed?: number;
  /** JPEG quality to round-trip through (e.g. 90); undefined = PNG-exact 8-bit. */
  jpegQuality?: number;
}

/** Standard normal deviates from a uniform source (Box–Muller). */
export function gaussian(rand: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) { const s = spare; spare = undefined; return s; }
    const u = Math.max(rand(), 1e-12), v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** 8-bit sRGB RGB bytes of a linear image, with exposure and noise. */
export function toSrgb8(image: LinearImage, options: PhotoOptions = {}): Uint8Array {
  const exposure = options.exposure ?? 1, shot = options.shot ?? 1 / 1000, read = options.read ?? 0.002;
  const noise = gaussian(seededRandom(options.seed ?? 1));
  const noisy = shot > 0 || read > 0;
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < out.length; i++) {
    let v = image.data[i] * exposure;
    if (noisy) v += noise() * Math.sqrt(Math.max(0, shot * v) + read * read);
    out[i] = Math.round(linearToSrgb(v) * 255);
  }
  return out;
}

/** The photo as the capture tool will read it (after the optional JPEG round trip), sRGB values 0..1. */
export async function simulatePhoto(image: LinearImage, options: PhotoOptions = {}): Promise<Photo> {
  let bytes = toSrgb8(image, options);
  if (options.jpegQuality !== undefined) {
    const raw = { width: image.width, height: image.height, channels: 3 as const };
    const jpeg = await sharp(bytes, { raw }).jpeg({ quality: options.jpegQuality }).toBuffer();
    const decoded = await sharp(jpeg).removeAlpha().raw().toBuffer();
    bytes = new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.length);
  }
  const data = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) data[i] = bytes[i] / 255;
  return { width: image.width, height: image.height, data };
}

/** Encodes a simulated photo as a file's bytes (PNG, or JPEG at `jpegQuality`). */
export async function encodePhoto(image: LinearImage, options: PhotoOptions = {}): Promise<Buffer> {
  const bytes = toSrgb8(image, options);
  const s = sharp(bytes, { raw: { width: image.width, height: image.height, channels: 3 } });
  return options.jpegQuality !== undefined ? s.jpeg({ quality: options.jpegQuality }).toBuffer() : s.png().toBuffer();
}
