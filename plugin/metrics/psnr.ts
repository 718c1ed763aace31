/** Peak signal-to-noise ratio on 8-bit data: 10 log10(255² / MSE); Infinity for identical input. */

import type { Plane } from './image-planes';

export function psnr(reference: Plane[], test: Plane[]): number {
  let se = 0;
  let n = 0;
  reference.forEach((r, c) => {
    const t = test[c].data;
    for (let i = 0; i < r.data.length; i++) {
      const d = r.data[i] - t[i];
      se += d * d;
    }
    n += r.data.length;
  });
  const mse = se / n;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}
