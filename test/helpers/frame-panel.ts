/** Synthetic textures with the features that made eval-vary's figures depend on the image's origin. */
import { seededRandom } from '../../plugin/metrics/texture-stats';
import type { RawImage } from '../../plugin/types';

/**
 * A tiling 128² metal panel like set 8's `panel_gk_008`: a nearly flat plate (the frame lines carry most of
 * the contrast), two panels side by side; dark 4-px grooves, one straddling the wrap edge in each
 * direction and one down the middle; a bright bevel line beside each groove.
 */
export function framePanel(size = 128): RawImage {
  const random = seededRandom(5);
  const data = new Uint8Array(size * size * 3);
  const half = size / 2;
  const wave = (x: number, y: number) => 3.6 * Math.sin((2 * Math.PI * (x + 2 * y)) / size) + 2.4 * Math.cos((2 * Math.PI * 3 * x) / size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // grooves: columns half-2 .. half+1 and size-2 .. 1, rows size-2 .. 1 (both edge grooves wrap around)
      const groove = (x + 2) % half < 4 || (y + 2) % size < 4;
      const bevel = !groove && (x % half === 2 || y === 2);
      const base = groove ? 25 : bevel ? 200 : 90 + wave(x, y) + (random() - 0.5) * 4;
      for (let c = 0; c < 3; c++) data[(y * size + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(base * (1 - 0.1 * c))));
    }
  }
  return { data, width: size, height: size, channels: 3 };
}
