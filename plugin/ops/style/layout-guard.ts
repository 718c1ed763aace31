/**
 * `stats`' layout bound (statistics-transfer.ts): a result keeps the input's layout when SSIM of luma at
 * 1/4 resolution against the input (issue 12's structure measure, on the 8-bit result as it will be written)
 * is at least the floor, and so is the mean SSIM of the windows centred in SSIM¼'s blind frame.
 * SSIM¼ averages 'valid' 11x11 windows, which centre no closer than 5 quarter texels to the border: the outer
 * frame could change almost unseen (seen set 9's sign_wires_dirty, a round sign on black: corners lifted to a
 * noisy purple at SSIM¼ 0.70). The windows centred in that frame (the quarter-res luma padded by the radius,
 * wrap-around when the texture tiles, mirrored otherwise) must keep the layout too, on their own mean: a mean
 * over every window let a small frame go (held-out style set 10, sign_ladder_clean).
 *
 * @example
 * const keeps = layoutGuard(input, 0.7, { wrap: true });
 * if (keeps(candidate)) accept(candidate);
 */

import type { Plane } from '../../metrics/image-planes';
import { ssimMapTo, ssimTo } from '../../metrics/ssim';
import type { ColourPlanes } from './planes';

/** Half the SSIM window (11x11, metrics/ssim). */
const SSIM_RADIUS = 5;

export interface LayoutGuardOptions {
  /** The texture tiles: the frame's windows read the plane wrapped around (mirrored otherwise). */
  wrap: boolean;
  /** Texels that count (others are black in both images): those a transparent colour cannot reach. */
  mask?: Uint8Array;
}

/**
 * Whether a result (RGB planes, 0..1) keeps `input`'s layout: SSIM¼ and the frame's SSIM¼ against the input
 * both ≥ `floor`. The input's side (its quarter-res luma, blurs) is made once, here.
 */
export function layoutGuard(input: ColourPlanes, floor: number, options: LayoutGuardOptions): (result: ColourPlanes) => boolean {
  const inputQuarter = quarterLuma(input, options.mask);
  const againstOriginal = ssimTo(inputQuarter);
  const frameKept = frameSsim(inputQuarter, SSIM_RADIUS, options.wrap);
  return (p) => {
    const q = quarterLuma(p, options.mask);
    return againstOriginal(q) >= floor && frameKept(q) >= floor;
  };
}

/**
 * BT.601 luma on 0..255 of the planes as they will be written (rounded, clamped), 4x4 box-averaged, as
 * eval-style's SSIM¼ sees it; texels outside `mask` count as black in both images.
 */
function quarterLuma(p: ColourPlanes, mask?: Uint8Array): Plane {
  const w = Math.floor(p.width / 4);
  const h = Math.floor(p.height / 4);
  const data = new Float64Array(w * h);
  const [r, g, b] = p.planes;
  for (let y = 0; y < h * 4; y++) {
    const row = y * p.width;
    const cells = (y >> 2) * w;
    for (let x = 0; x < w * 4; x++) {
      const i = row + x;
      if (mask && !mask[i]) continue;
      data[cells + (x >> 2)] += (0.299 * byte(r[i]) + 0.587 * byte(g[i]) + 0.114 * byte(b[i])) / 16;
    }
  }
  return { data, width: w, height: h };
}

/**
 * SSIM against `a` of the windows centred within `r` of the border (where SSIM's 'valid' windows do not
 * centre), read over `a` padded by `r` (wrapped around, or mirrored), as their mean. Only the four border
 * strips are padded and filtered, not the whole plane (the frame is a few percent of its windows); each
 * window's value depends on its own texels only, and the sum runs in row order, so the figure is the same
 * as from a whole padded plane.
 */
function frameSsim(a: Plane, r: number, wrap: boolean): (b: Plane) => number {
  const { width: w, height: h } = a;
  const at = (i: number, n: number) => (wrap ? ((i % n) + n) % n : i < 0 ? -1 - i : i >= n ? 2 * n - 1 - i : i);
  // A strip of the padded plane: windows centred on q's rows y0..y1-1 and columns x0..x1-1.
  const strip = (q: Plane, y0: number, y1: number, x0: number, x1: number): Plane => {
    const sw = x1 - x0 + 2 * r;
    const sh = y1 - y0 + 2 * r;
    const data = new Float64Array(sw * sh);
    for (let y = 0; y < sh; y++) {
      const row = at(y0 + y - r, h) * w;
      for (let x = 0; x < sw; x++) data[y * sw + x] = q.data[row + at(x0 + x - r, w)];
    }
    return { data, width: sw, height: sh };
  };
  // Top and bottom: whole rows; left and right: the rows between.
  const parts: [number, number, number, number][] = [[0, r, 0, w], [h - r, h, 0, w], [r, h - r, 0, r], [r, h - r, w - r, w]];
  const against = parts.map(([y0, y1, x0, x1]) => ssimMapTo(strip(a, y0, y1, x0, x1)));
  return (b) => {
    const maps = parts.map(([y0, y1, x0, x1], k) => against[k](strip(b, y0, y1, x0, x1)));
    let sum = 0;
    for (let y = 0; y < h; y++) {
      if (y < r || y >= h - r) {
        const [map, row] = y < r ? [maps[0], y * w] : [maps[1], (y - h + r) * w];
        for (let x = 0; x < w; x++) sum += map[row + x];
      } else {
        for (let x = 0; x < r; x++) sum += maps[2][(y - r) * r + x];
        for (let x = 0; x < r; x++) sum += maps[3][(y - r) * r + x];
      }
    }
    return sum / (w * h - (w - 2 * r) * (h - 2 * r));
  };
}

/** The 8-bit code a plane value is written as (rounded, clamped; planes.ts's toRawImage). */
function byte(v: number): number {
  const c = Math.round(v * 255);
  return c < 0 ? 0 : c > 255 ? 255 : c;
}
