/**
 * Encoder settings shared by every place Remaster writes an image, and the sharp input options for
 * pixel buffers Remaster made itself.
 */
import type { SharpOptions, PngOptions } from 'sharp';

/**
 * PNG through sharp, for outputs over 4 MP (smaller ones: plugin/png-encode.ts, with the "Up"
 * filter, 0.62x the CPU time; it copies the image, sharp streams): zlib level 3 with adaptive (per-row)
 * filtering. Measured on upscaled textures (table in plugin/engine/README.md): against sharp's default
 * (level 6, no filtering) files are 0.62-0.67x the size for 1.3x the encode time.
 */
export const PNG_OPTIONS: PngOptions = { compressionLevel: 3, adaptiveFiltering: true };

/**
 * sharp refuses inputs over 268,402,689 pixels by default, which is below the 16384² outputs the
 * engine may produce (x4 of 4096²). Buffers Remaster produced itself are bounded by its own output
 * limit (MAX_OUTPUT_SIDE) and by `limits.maxPixels` on what it decodes, so the limit is lifted for
 * them only; files from the user keep sharp's limit (or the project's).
 */
export function ownRawInput(width: number, height: number, channels: 1 | 2 | 3 | 4): SharpOptions {
  return { raw: { width, height, channels }, limitInputPixels: false };
}
