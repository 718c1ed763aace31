/**
 * A two-tone chequered flag at the scale of the whole image, waving (held-out set 10's racingPattern_a, a
 * crop that does not tile): a few large light and dark regions with long soft edges, a slow diagonal shading
 * and a little grain. Most of its luma variance sits in the lowest frequencies, so a layout that puts one
 * large light region on dark reads with the wrong spectral shape, and vary's spectrum filter cannot fix it
 * (its grain guard refuses the sharpening that would take).
 */
import type { RawImage } from '../../plugin/types';

export const SIDE = 256;

/** Chequer period 260 px (about one square a side), edges displaced by 25-px waves. */
export function wavyFlag(period = 260): RawImage {
  const data = new Uint8Array(SIDE * SIDE * 3);
  // The grain from a fixed linear congruential sequence (the figures in test/vary-spectrum-layout.test.ts are for it).
  let state = 7;
  const grain = () => (state = (state * 1103515245 + 12345) >>> 0) / 4294967296;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const u = x + 25 * Math.sin((2 * Math.PI * y) / 300 + 1);
      const v = y + 25 * Math.sin((2 * Math.PI * x) / 280);
      const chequer = Math.sin((2 * Math.PI * u) / period) * Math.sin((2 * Math.PI * (v + 0.3 * u)) / period);
      const base = (chequer > 0 ? 150 : 50) + 12 * Math.sin((2 * Math.PI * (x + y)) / 220) + 4 * (grain() - 0.5);
      // 38-172: in range; stored truncated
      data.set([base, base + 3, base + 10].map(Math.floor), (y * SIDE + x) * 3);
    }
  }
  return { data, width: SIDE, height: SIDE, channels: 3 };
}
