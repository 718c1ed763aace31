import type { RawImage } from '../../plugin/types';

/**
 * Mean squared luma difference between neighbours, cyclic, of an 8-bit RGB image: the grain a colour
 * grading or a spectrum filter must not amplify or lose. Written here, not imported from vary, so the
 * tests measure the guard with their own instrument.
 */
export function lumaDetail(image: RawImage): number {
  const l = (i: number) => 0.299 * image.data[i * image.channels] + 0.587 * image.data[i * image.channels + 1] + 0.114 * image.data[i * image.channels + 2];
  let e = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const i = y * image.width + x;
      e += (l(i) - l(y * image.width + ((x + 1) % image.width))) ** 2 + (l(i) - l(((y + 1) % image.height) * image.width + x)) ** 2;
    }
  }
  return e / (2 * image.width * image.height);
}
