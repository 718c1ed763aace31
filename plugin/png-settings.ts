/**
 * Settings of Remaster's PNG encoder (png-encode.ts), without the encoder: what the result cache's key
 * (cache/result-key.ts) and the choice between Remaster's own encoder and sharp (image-codec.ts) need,
 * so neither loads the encoder to read them. Why these values: png-encode.ts.
 */
import type { RawImage } from './types';

/** PNG filter type 2, "Up": each byte minus the byte above it. */
export const PNG_FILTER = 2;
/** zlib level (Node's zlib). 4 gives 0.96x the bytes of sharp's level 3 adaptive for 0.77x its CPU time. */
export const PNG_DEFLATE_LEVEL = 2;
/** zlib's output buffer: the PNG has one IDAT chunk per buffer zlib fills (pngjs's `deflateChunkSize`). */
export const PNG_DEFLATE_CHUNK = 256 * 1024;
/** Outputs up to 4 MP (2048² RGBA: a 16 MB filtered copy) are encoded by png-encode.ts; larger ones with sharp. */
export const OWN_PNG_MAX_TEXELS = 2048 * 2048;

/** Whether encodePng (png-encode.ts) takes this image (else sharp encodes it, with PNG_OPTIONS). */
export function ownPngEncoderTakes(image: RawImage): boolean {
  return image.width * image.height <= OWN_PNG_MAX_TEXELS;
}
