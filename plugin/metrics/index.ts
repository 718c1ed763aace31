/**
 * Image quality metrics for `remaster eval` and the model cards: PSNR (on RGB and on luma), SSIM
 * (luma) and HFEN (luma). All compare a test image to a reference of the same size, ignoring alpha
 * and a border of `border` texels.
 */

import type { RawImage } from '../types';
import { hfen } from './hfen';
import { assertSameSize, colourPlanes, luma } from './image-planes';
import { psnr } from './psnr';
import { ssim } from './ssim';

export interface QualityScores {
  /** dB over the colour channels (0..255). Higher is better. */
  psnr: number;
  /** dB over BT.601 luma, the figure most SR papers quote. */
  psnrY: number;
  /** Luma SSIM, 0..1. Higher is better. */
  ssim: number;
  /** Luma HFEN, relative LoG error. Lower is better. */
  hfen: number;
}

export function compareImages(reference: RawImage, test: RawImage, border = 0): QualityScores {
  assertSameSize(reference, test);
  const refY = luma(reference, border);
  const testY = luma(test, border);
  return {
    psnr: psnr(colourPlanes(reference, border), colourPlanes(test, border)),
    psnrY: psnr([refY], [testY]),
    ssim: ssim(refY, testY),
    hfen: hfen(refY, testY),
  };
}

export { psnr } from './psnr';
export { ssim } from './ssim';
export { hfen, laplacianOfGaussian } from './hfen';
export { luma, colourPlanes, type Plane } from './image-planes';
