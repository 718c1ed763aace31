/**
 * Decompression-bomb guard: a few hundred bytes of PNG or JPEG header can declare 100000×100000
 * pixels (40 GB decoded). The size is read from the header alone and checked against
 * `limits.maxPixels` before any pixel is decoded; the decoder is given the same limit as a backstop.
 */
export interface PixelLimits {
  /** Largest width × height decoded; from `limits.maxPixels` of the project config. */
  maxPixels: number;
}

/** Throws a one-line error naming the size, the limit and the config key to raise it. */
export function assertWithinPixelLimit(width: number, height: number, limits: PixelLimits): void {
  const pixels = width * height;
  if (pixels > limits.maxPixels) {
    throw new Error(`image is ${width}x${height} (${pixels} pixels), over limits.maxPixels ${limits.maxPixels} (raise it in remaster.config.json); refused without decoding`);
  }
}
