/**
 * Method `stats` keeps the layout by SSIM¼ against the input, and SSIM¼ averages 'valid' 11x11 windows, which
 * centre no closer than 5 quarter texels to the border: the outer frame could change almost unseen. Seen set
 * 9's `sign_wires_dirty` (a round sign on black) came out with its black corners lifted to noisy purple at
 * SSIM¼ 0.70. Since the fourteenth pass the windows centred in that frame must keep the layout on their own
 * mean too (wrap-around for a tiling texture, mirrored otherwise); this test reads them with its own padding
 * and frame, and the shared per-window SSIM.
 */
import { ssim, ssimMapTo } from '../plugin/metrics/ssim';
import type { Plane } from '../plugin/metrics/image-planes';
import { styleTexture } from '../plugin/ops/style';
import type { RawImage } from '../plugin/types';
import { coolReference } from './helpers/style-images';

/**
 * A light mottled panel with a dark bar inside a pure black frame `frame` texels wide: the black sits where
 * SSIM¼'s 'valid' windows barely reach (within 5 quarter texels of the border).
 */
function panelInBlackFrame(size: number, frame: number): RawImage {
  const data = new Uint8Array(size * size * 3);
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 60;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    let px = [0, 0, 0];
    const inside = Math.min(x, y, size - 1 - x, size - 1 - y) >= frame;
    if (inside) { const v = 190 + noise(); px = [v, v, v - 10]; }
    if (inside && Math.abs(x - y) < size * 0.06) px = [20, 20, 20];
    data.set(px.map((v) => Math.max(0, Math.min(255, Math.round(v)))), (y * size + x) * 3);
  }
  return { data, width: size, height: size, channels: 3 };
}

/** BT.601 luma of the 8-bit image, 4x4 box-averaged (eval-style's SSIM¼ input). */
function quarterLuma(img: RawImage): Plane {
  const w = img.width >> 2;
  const h = img.height >> 2;
  const data = new Float64Array(w * h);
  for (let y = 0; y < h * 4; y++) for (let x = 0; x < w * 4; x++) {
    const i = (y * img.width + x) * img.channels;
    data[(y >> 2) * w + (x >> 2)] += (0.299 * img.data[i] + 0.587 * img.data[i + 1] + 0.114 * img.data[i + 2]) / 16;
  }
  return { data, width: w, height: h };
}

/** SSIM¼ of the windows centred within 5 quarter texels of the border (the plane padded by 5, wrapped or mirrored). */
function frameSsimQuarter(a: RawImage, b: RawImage, wrap: boolean): number {
  const r = 5;
  const pad = (q: Plane): Plane => {
    const w = q.width + 2 * r;
    const h = q.height + 2 * r;
    const at = (i: number, n: number) => (wrap ? (i + n) % n : i < 0 ? -1 - i : i >= n ? 2 * n - 1 - i : i);
    const data = new Float64Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = q.data[at(y - r, q.height) * q.width + at(x - r, q.width)];
    return { data, width: w, height: h };
  };
  const qa = quarterLuma(a);
  const map = ssimMapTo(pad(qa))(pad(quarterLuma(b)));
  let sum = 0;
  let n = 0;
  for (let y = 0; y < qa.height; y++) for (let x = 0; x < qa.width; x++) {
    if (Math.min(x, y, qa.width - 1 - x, qa.height - 1 - y) < r) { sum += map[y * qa.width + x]; n++; }
  }
  return sum / n;
}

/** Mean RGB of the panel's centre 32x32. */
const faceMean = (img: RawImage) => [0, 1, 2].map((c) => {
  let sum = 0;
  for (let y = 48; y < 80; y++) for (let x = 48; x < 80; x++) sum += img.data[(y * img.width + x) * img.channels + c];
  return sum / 1024;
});

/** Mean red of the four 8x8 corners. */
const cornerMean = (img: RawImage) => {
  let sum = 0;
  let n = 0;
  for (const [x0, y0] of [[0, 0], [img.width - 8, 0], [0, img.height - 8], [img.width - 8, img.height - 8]]) {
    for (let y = y0; y < y0 + 8; y++) for (let x = x0; x < x0 + 8; x++) { sum += img.data[(y * img.width + x) * img.channels]; n++; }
  }
  return sum / n;
};

test.each([true, false])('a panel in a black frame keeps its layout in the frame SSIM¼ barely sees (seamless %s)', async (seamless) => {
  const reference = await coolReference(512);
  const input = panelInBlackFrame(128, 28);
  const out = await styleTexture(input, reference, { seamless });
  // Before the fourteenth pass (seamless true / false): 0.060 / 0.060, the black frame lifted; now 0.701 / 0.6998
  // (the estimate holds 0.70 on the result before its last rounding).
  expect(frameSsimQuarter(input, out, seamless)).toBeGreaterThanOrEqual(0.69);
  expect(ssim(quarterLuma(input), quarterLuma(out))).toBeGreaterThanOrEqual(0.7);
  // The frame stays near black (before: 35.6 / 33.8 of 255 in the corners; now 5.0 / 4.7).
  expect(cornerMean(out)).toBeLessThan(20);
  // And the panel still takes the reference's look: its mean colour moves.
  const [a, b] = [faceMean(input), faceMean(out)];
  expect(Math.max(...a.map((v, c) => Math.abs(v - b[c])))).toBeGreaterThan(10);
});
