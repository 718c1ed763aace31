/**
 * Reads a capture photo (8-bit JPEG/PNG or 16-bit PNG) as sRGB values in 0..1, upright (EXIF
 * orientation applied), and reports its orientation tag so a mismatched pair can be refused.
 */
import sharp from 'sharp';
import { firstLine } from '../../config/errors';
import { focalLength35mm, fovFrom35mm } from './exif-fov';
import type { Photo } from './types';

export interface ReadPhoto {
  photo: Photo;
  /** EXIF orientation tag (1 = upright, also when absent). */
  orientation: number;
  /** Horizontal field of view from EXIF (35 mm-equivalent focal length), if the photo says. */
  exifFovDeg?: number;
}

export class CaptureInputError extends Error {}

export async function readPhoto(file: string): Promise<ReadPhoto> {
  try {
    const image = sharp(file, { limitInputPixels: 1 << 28 });
    const meta = await image.metadata();
    const sixteen = meta.depth === 'ushort';
    const pipeline = image.rotate().removeAlpha().toColourspace(sixteen ? 'rgb16' : 'srgb');
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    const n = info.width * info.height * 3;
    const out = new Float32Array(n);
    if (sixteen) {
      const v = new Uint16Array(data.buffer, data.byteOffset, data.length / 2);
      for (let i = 0; i < n; i++) out[i] = v[i] / 65535;
    } else {
      for (let i = 0; i < n; i++) out[i] = data[i] / 255;
    }
    const f35 = focalLength35mm(meta.exif);
    return {
      photo: { width: info.width, height: info.height, data: out },
      orientation: meta.orientation ?? 1,
      exifFovDeg: f35 ? fovFrom35mm(f35, info.width, info.height) : undefined,
    };
  } catch (err) {
    throw new CaptureInputError(`${file}: cannot read photo (${firstLine(err)})`);
  }
}
