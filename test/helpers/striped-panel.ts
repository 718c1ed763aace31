/**
 * A panel of straight vertical stripes (held-out set 10's ribbed_steel and asianRoof_b): a column profile that
 * does not change down the image, two dark stripes, a little grain and a weak slow mottling. The autocorrelation
 * is a ridge along y at the stripe spacing, and the lattice detector reads it as a skewed two-period lattice with
 * long vectors ((113, −55)/(113, 72) for a 113-px spacing, which is no period of the 256-px torus).
 */
import { hashRandom } from '../../plugin/ops/vary/hash-random';
import type { RawImage } from '../../plugin/types';

export const SIDE = 256;

/** Stripes 12 px wide at x = 48 and 48 + spacing. */
export function stripedPanel(spacing: number): RawImage {
  const col = Array.from({ length: SIDE }, (_, x) => 110 + 12 * Math.sin((2 * Math.PI * 3 * x) / SIDE + 1) + 8 * Math.sin((2 * Math.PI * 7 * x) / SIDE));
  for (const s of [48, 48 + spacing]) for (let x = s; x < s + 12; x++) col[x % SIDE] = 25;
  const data = new Uint8Array(SIDE * SIDE * 3);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const v = col[x] + 10 * (hashRandom(21, x, y, 0) - 0.5) + 6 * Math.sin((2 * Math.PI * 2 * y) / SIDE + x / 40);
      data.set([v * 0.8 + 10, v * 0.85 + 12, v + 30].map((c) => Math.max(0, Math.min(255, Math.round(c)))), (y * SIDE + x) * 3);
    }
  }
  return { data, width: SIDE, height: SIDE, channels: 3 };
}
