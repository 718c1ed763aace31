/**
 * Every image Remaster decodes or encodes goes through here, via sharp: texture bytes ⇄ RawImage for
 * the pipeline (probeImage, decodeImage, encodeImage), and image files for the engine's own commands
 * (`remaster upscale`, `remaster eval`: readImageFile, writeImageFile). One policy for all of them:
 * - embedded ICC profiles are ignored and EXIF orientation is applied (DECODE_OPTIONS);
 * - an animated WebP is seen (`pages` > 1) so the caller can refuse it;
 * - sharp's input pixel limit stays on for files a user gave; it is lifted only for Remaster's own
 *   raw buffers (ownRawInput), whose size the pipeline has already checked;
 * - PNG is written by png-encode.ts ("Up" filter, zlib level 2, measured) up to 4 MP, above that by sharp with
 *   the engine's PNG_OPTIONS (engine/encode-options.ts), which streams without a copy of the image.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ownRawInput, PNG_OPTIONS } from './engine/encode-options';
import { firstLine } from './errors';
import { IMAGE_FORMATS, type ImageFormat } from './image-formats';
import { ownPngEncoderTakes } from './png-settings';
import { PngRowEncoder } from './png-stream';
import { writeFileAtomic, writeFileAtomicFrom } from './state/atomic-write';
import type { RawImage, TextureKind } from './types';

export { MIME_BY_FORMAT, type ImageFormat } from './image-formats';

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
  /** Bits per channel sample (8, or 16 for 16-bit PNGs). */
  bitsPerSample: number;
  /** Frames: more than 1 for an animated WebP. */
  pages: number;
  /** Channels as stored (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA). */
  channels: number;
}

/**
 * How every image is decoded. glTF ignores embedded colour profiles (the stored values are the data,
 * for colour, normal and data maps alike), so no profile is applied; outputs carry none. An EXIF
 * Orientation is applied to the pixels, so the image is shown as before and needs no tag.
 */
export const DECODE_OPTIONS = { ignoreIcc: true, autoOrient: true } as const;

/**
 * Probes of the bytes seen in this process, by buffer: a texture is probed for its name check, its
 * chain and its decode, and a sharp call costs far more than the lookup. The pipeline never changes
 * the bytes of a buffer it read.
 */
const probes = new WeakMap<Uint8Array, Promise<ImageInfo>>();

/** Container format and size without decoding pixels. */
export function probeImage(bytes: Uint8Array): Promise<ImageInfo> {
  let probe = probes.get(bytes);
  if (!probe) probes.set(bytes, (probe = probeBytes(bytes)));
  return probe;
}

async function probeBytes(bytes: Uint8Array): Promise<ImageInfo> {
  let meta: sharp.Metadata;
  try {
    // Header only, no limit here: the caller checks the size against limits.maxPixels itself.
    meta = await sharp(bytes, { limitInputPixels: false, ...DECODE_OPTIONS }).metadata();
  } catch (err) {
    throw new Error(`cannot read image (${firstLine(err)})`, { cause: err });
  }
  const name = meta.format === 'jpg' ? 'jpeg' : String(meta.format);
  if (!Object.hasOwn(IMAGE_FORMATS, name)) throw new Error(`unsupported image format "${String(meta.format)}" (png, jpeg, webp)`);
  const format = name as ImageFormat;
  if (!meta.width || !meta.height) throw new Error('image has no size');
  // The size as shown (an EXIF rotation by 90° swaps the sides), which is what decodeImage returns.
  const { width, height } = meta.autoOrient ?? meta;
  return { format, width, height, bitsPerSample: meta.depth === 'ushort' ? 16 : 8, pages: meta.pages ?? 1, channels: meta.channels ?? 0 };
}

/** Decodes to 8-bit interleaved pixels, keeping the channel count (grey, grey+alpha, RGB, RGBA). */
export async function decodeImage(bytes: Uint8Array, maxPixels?: number): Promise<RawImage> {
  try {
    // The pixel limit is checked by the caller from the header; here it is the decoder's backstop.
    const open = () => sharp(bytes, { ...DECODE_OPTIONS, ...(maxPixels ? { limitInputPixels: maxPixels } : {}) });
    // The channel count from the probe, which the pipeline has made already (a format probeImage does
    // not take is asked directly); the pixel limit is enforced where pixels are decoded, below.
    const grey = await probeImage(bytes).then((info) => info.channels, async () => (await open().metadata()).channels);
    // sharp's raw output is sRGB: ask for b-w explicitly to keep grey images grey.
    const input = grey === 1 ? open().toColourspace('b-w') : open();
    const { data, info } = await input.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const image: RawImage = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
    return grey === 2 && image.channels === 4 ? greyAlphaFromRGBA(image) : image;
  } catch (err) {
    throw new Error(`cannot decode image (${firstLine(err)})`, { cause: err });
  }
}

/** Grey+alpha comes out of sharp as RGBA with R=G=B: pack it back to two channels. */
function greyAlphaFromRGBA(image: RawImage): RawImage {
  const n = image.width * image.height;
  const data = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) {
    data[i * 2] = image.data[i * 4];
    data[i * 2 + 1] = image.data[i * 4 + 3];
  }
  return { data, width: image.width, height: image.height, channels: 2 };
}

/**
 * Encodes for a texture. Normal and data maps are exact values, so WebP stores them losslessly and
 * JPEG skips chroma subsampling; colour uses the given quality.
 */
export async function encodeImage(image: RawImage, format: ImageFormat, quality: number, kind: TextureKind): Promise<Uint8Array> {
  if (format === 'jpeg' && (image.channels === 2 || image.channels === 4) && usesAlpha(image)) {
    throw new Error('the image has transparency, which JPEG cannot store (use png or webp)');
  }
  if (format === 'png') {
    const whole = await wholePng(image);
    if (whole) return whole;
  }
  let pipeline = sharp(image.data, ownRawInput(image.width, image.height, image.channels));
  // sharp writes sRGB unless told otherwise: keep grey images grey (1 or 2 channels).
  if (image.channels <= 2) pipeline = pipeline.toColourspace('b-w');
  if (format === 'png') pipeline = pipeline.png(PNG_OPTIONS);
  else if (format === 'jpeg') pipeline = pipeline.removeAlpha().jpeg({ quality, chromaSubsampling: kind === 'color' ? '4:2:0' : '4:4:4' });
  else pipeline = pipeline.webp(kind === 'color' ? { quality, alphaQuality: 100 } : { lossless: true });
  return new Uint8Array(await pipeline.toBuffer());
}

/** png-encode.ts, loaded on first use: a command that only decodes here does not load it. */
export function pngEncoder(): Promise<typeof import('./png-encode')> {
  return import('./png-encode');
}

/**
 * The PNG of an image png-encode.ts takes (up to 4 MP, see png-settings.ts), in one piece; undefined for
 * a larger one, which sharp encodes (streaming, no copy of the image). The one place that chooses.
 */
async function wholePng(image: RawImage): Promise<Buffer | undefined> {
  return ownPngEncoderTakes(image) ? (await pngEncoder()).encodePng(image) : undefined;
}

/** Whether any texel is not fully opaque (an alpha channel full of 255 can be dropped). */
export function usesAlpha(image: RawImage): boolean {
  const { data, channels } = image;
  for (let i = channels - 1; i < data.length; i += channels) if (data[i] !== 255) return true;
  return false;
}

// Single image files, for the engine's own commands (`remaster upscale`, `remaster eval`).

/** Decodes an image file to 8-bit interleaved pixels; one-line error naming the file otherwise. */
export async function readImageFile(file: string): Promise<RawImage> {
  try {
    // Decoded as textures are (DECODE_OPTIONS), with sharp's default pixel limit: the file is a user's.
    const { data, info } = await sharp(file, DECODE_OPTIONS).raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
  } catch (err) {
    throw new Error(`${file}: cannot read image (${firstLine(err)})`);
  }
}

/**
 * Encodes by the target's extension (.png, .jpg/.jpeg, .webp) and renames into place (atomic: temp
 * file, then rename). Above 4 MP the encoder streams into the temp file: the encoded file is never
 * held in memory whole (x4 of 4096²: a PNG of hundreds of MB on top of the 768 MB output, issue 13);
 * a PNG up to 4 MP (png-encode.ts) is written in one piece.
 */
export async function writeImageFile(file: string, image: RawImage): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  try {
    const whole = ext === '.png' ? await wholePng(image) : undefined;
    if (whole) return await writeFileAtomic(file, whole);
  } catch (err) {
    throw new Error(`${file}: cannot write (${firstLine(err)})`);
  }
  let pipeline = sharp(image.data, ownRawInput(image.width, image.height, image.channels));
  if (ext === '.png') pipeline = pipeline.png(PNG_OPTIONS);
  else if (ext === '.jpg' || ext === '.jpeg') pipeline = pipeline.jpeg({ quality: 92 });
  else if (ext === '.webp') pipeline = pipeline.webp({ quality: 92 });
  else throw new Error(`${file}: unsupported output format "${ext}" (use .png, .jpg or .webp)`);
  try {
    await writeFileAtomicFrom(file, async (handle) => {
      // Chunk by chunk as libvips produces them (a FileHandle write stream would keep the handle from closing).
      for await (const chunk of pipeline) await handle.write(chunk as Buffer);
    });
  } catch (err) {
    throw new Error(`${file}: cannot write (${firstLine(err)})`);
  }
}

/** What imageFileWriter returns: `onRows` for the engine (UpscaleOptions.onRows), then `write` once (or `abandon`). */
export interface ImageFileWriter {
  onRows(image: RawImage, rows: number): void;
  write(image: RawImage): Promise<void>;
  /** Drops what was encoded so far (the upscale failed); nothing is written. No effect after `write`. */
  abandon(): void;
}

/**
 * writeImageFile for an image still being made (`remaster upscale`): given to the engine as
 * UpscaleOptions.onRows, a PNG's rows are filtered and deflated while the model computes the rows below
 * them (png-stream.ts), and `write` finishes the file and renames it into place (atomic, as
 * writeImageFile). The bytes are writeImageFile's. Other formats, and PNGs sharp encodes (over 4 MP),
 * are written whole by writeImageFile at `write`.
 *
 * @example
 * const out = imageFileWriter('big.png');
 * const { image } = await engine.upscale(small, { scale: 2, model, kind: 'color', onRows: out.onRows });
 * await out.write(image);
 */
export function imageFileWriter(file: string): ImageFileWriter {
  const png = path.extname(file).toLowerCase() === '.png';
  let streaming: { image: RawImage; encoder: PngRowEncoder } | undefined;
  return {
    onRows(image, rows) {
      if (!png || !ownPngEncoderTakes(image)) return;
      if (streaming?.image !== image) {
        streaming?.encoder.abandon();
        streaming = { image, encoder: new PngRowEncoder(image) };
        // Node loads its fs promises API (writeFileAtomic's) on first use, 1-9 ms measured: now, while the
        // model runs, rather than after the last tile.
        void fs.promises;
      }
      streaming.encoder.rowsDone(rows);
    },
    async write(image) {
      if (!png || !ownPngEncoderTakes(image)) return writeImageFile(file, image);
      try {
        // Rows of another image (none should be) are dropped, and this one encoded whole.
        if (streaming?.image !== image) streaming?.encoder.abandon();
        const encoder = streaming?.image === image ? streaming.encoder : new PngRowEncoder(image);
        await writeFileAtomic(file, await encoder.finish());
      } catch (err) {
        throw new Error(`${file}: cannot write (${firstLine(err)})`);
      }
    },
    abandon() {
      streaming?.encoder.abandon();
      streaming = undefined;
    },
  };
}
