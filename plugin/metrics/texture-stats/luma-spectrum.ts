import type { RawImage } from '../../types';
import { fft2d } from './fft';
import { lumaPlane } from './planes';

/** The 2-D Fourier transform of a texture's mean-removed luma, row-major, with its size. */
export interface LumaSpectrum {
  re: Float64Array;
  im: Float64Array;
  width: number;
  height: number;
}

/**
 * Fourier transform of the luma with its mean removed (so the DC term is 0). `hann: true` multiplies
 * by a separable Hann window first, so a crop that does not tile gets no false cross from its border;
 * leave it off for cyclic statistics (autocorrelation), where the wrap-around is meant.
 *
 * @example
 * const { re, im } = lumaSpectrum(texture, { hann: true }); // power at (u, v): re² + im²
 */
export function lumaSpectrum(image: RawImage, options: { hann?: boolean } = {}): LumaSpectrum {
  const { data, width, height } = lumaPlane(image);
  let mean = 0;
  for (let i = 0; i < data.length; i++) mean += data[i];
  mean /= data.length;
  const re = new Float64Array(data.length);
  const im = new Float64Array(data.length);
  if (options.hann) {
    for (let y = 0; y < height; y++) {
      const wy = 0.5 - 0.5 * Math.cos((2 * Math.PI * (y + 0.5)) / height);
      for (let x = 0; x < width; x++) {
        const wx = 0.5 - 0.5 * Math.cos((2 * Math.PI * (x + 0.5)) / width);
        re[y * width + x] = (data[y * width + x] - mean) * wx * wy;
      }
    }
  } else {
    for (let i = 0; i < data.length; i++) re[i] = data[i] - mean;
  }
  fft2d({ re, im }, width, height);
  return { re, im, width, height };
}
