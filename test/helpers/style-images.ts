/** Small images for the style tests: a texture that tiles and a reference with a different look. */
import path from 'node:path';
import sharp from 'sharp';
import type { RawImage } from '../../plugin/types';

/** A w×h RGB texture that tiles exactly: integer-period waves plus wrap-around-blurred seeded noise. */
export function tilingTexture(w: number, h: number, seed = 1): RawImage {
  let a = seed >>> 0;
  const rnd = () => ((a = (Math.imul(a, 1664525) + 1013904223) >>> 0) / 4294967296);
  const noise = Float64Array.from({ length: w * h }, rnd);
  const blurred = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let s = 0;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += noise[((y + dy + h) % h) * w + ((x + dx + w) % w)];
    blurred[y * w + x] = s / 9;
  }
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const wave = Math.sin((2 * Math.PI * 3 * x) / w) * Math.cos((2 * Math.PI * 2 * y) / h);
    const v = 90 + 40 * wave + 60 * (blurred[y * w + x] - 0.5);
    const i = (y * w + x) * 3;
    data[i] = Math.round(v * 0.9);
    data[i + 1] = Math.round(v * 0.8);
    data[i + 2] = Math.round(v * 0.6);
  }
  return { data, width: w, height: h, channels: 3 };
}

/** The tuning reference (procedural, made by fixtures/style/make-references.js), reduced to size². */
export async function coolReference(size = 128): Promise<RawImage> {
  const file = path.join(__dirname, '..', '..', 'fixtures', 'style', 'cool-strokes-512.png');
  const { data, info } = await sharp(file).resize(size, size).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
}

/** The image shifted cyclically by (dx, dy). */
export function roll(image: RawImage, dx: number, dy: number): RawImage {
  const { width: w, height: h, channels: c } = image;
  const data = new Uint8Array(image.data.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const s = (y * w + x) * c;
    const d = (((y + dy) % h) * w + ((x + dx) % w)) * c;
    for (let k = 0; k < c; k++) data[d + k] = image.data[s + k];
  }
  return { ...image, data };
}

export function maxAbsDiff(a: RawImage, b: RawImage): number {
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}
