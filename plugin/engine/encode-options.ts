/**
 * Encoder settings shared by every place Remaster writes an image, and the sharp input options for
 * pixel buffers Remaster made itself.
 */
import type { SharpOptions, PngOptions } from 'sharp';

/**
 * PNG: zlib level 3 with adaptive (per-row) filtering. Measured on upscaled textures (5 images,
 * 0.5-1.2 MP output, best of 3; table in plugin/engine/README.md): against sharp's default (level 6,
 * no filtering) files are 0.62x the size for 1.3x the encode time; level 6 with filtering is the
 * same size at 5.5x the time, level 3 without filtering 0.7-0.8x the time at the same size.
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
