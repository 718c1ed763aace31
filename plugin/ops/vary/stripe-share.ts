/**
 * Why a stripe-keeping variant cannot be novel: the share of an exemplar's luma variance that is its stripe
 * profile — the luma averaged along the stripes and over whole periods across them (the lattice-periodic
 * component of a `stripes` lattice, period.ts) — as a fraction of the luma's variance.
 *
 * A variant that keeps the stripes straight and in their lattice places holds that same profile; if the rest of
 * it (what varies along the stripes) is new, with the exemplar's variance and uncorrelated with the exemplar's
 * own, its NCC with the exemplar at the shift that aligns the stripes is this share, and eval-vary's max over
 * every cyclic shift can only be higher. So a share over 0.6 says no such variant meets issue 10's novelty
 * target (NCC ≤ 0.6), whatever the synthesis does along the stripes; it takes moving the stripes themselves.
 * Held-out set 10 (seen): ribbed_steel 0.78 (vary: NCC 0.83), asianRoof_b 0.98 (vary: 0.99).
 *
 * @example
 * const lattice = detectLattice(exemplar);
 * if (lattice?.stripes) stripeProfileShare(exemplar, lattice) // 0.78: NCC ≈ 0.78 or more for any such variant
 */

import { lumaPlane } from '../../metrics/texture-stats/planes';
import type { RawImage } from '../../types';
import { bandedAxis } from './bands';
import type { Lattice } from './types';

/** Share (0..1) of the luma variance in the stripe profile across `lattice.a`; 0 for a flat image. */
export function stripeProfileShare(image: RawImage, lattice: Pick<Lattice, 'a'>): number {
  const { data, width, height } = lumaPlane(image);
  const [ax, ay] = lattice.a;
  const period = Math.hypot(ax, ay);
  // One-texel bins of the position across the stripes (its projection on a), modulo one period.
  const bins = Math.max(1, Math.round(period));
  const bin = new Int32Array(data.length);
  const sums = new Float64Array(bins);
  const counts = new Float64Array(bins);
  let mean = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x * ax + y * ay) / period;
      const b = Math.min(bins - 1, Math.floor((((t % period) + period) % period) * (bins / period)));
      const i = y * width + x;
      bin[i] = b;
      sums[b] += data[i];
      counts[b]++;
      mean += data[i];
    }
  }
  mean /= data.length;
  let total = 0;
  let profile = 0;
  for (let i = 0; i < data.length; i++) {
    total += (data[i] - mean) ** 2;
    profile += (sums[bin[i]] / counts[bin[i]] - mean) ** 2;
  }
  return total > 1e-12 ? profile / total : 0;
}

/**
 * The same bound for banded exemplars (bands.ts `bandedAxis`: most of the luma variance in the row or the column
 * means, little in the other): the share of the luma variance in those means, with the axis. A variant that keeps
 * the bands in place (`lockBands`) holds the same means, so its NCC vs the exemplar is about that share or more; the
 * default layout moves across the bands and meets novelty only by cutting them up. Held-out set 11 (seen):
 * `TIREBLAK2`, a cover between two bands of tyres, rows 0.853 (vary's default: NCC 0.657 with the bands cut into
 * blobs; with `lockBands` 0.99). Undefined where the exemplar is not banded.
 * @example bandShare(tyreCover) // { axis: 'rows', share: 0.853 }
 */
export function bandShare(image: RawImage): { axis: 'rows' | 'cols'; share: number } | undefined {
  const axis = bandedAxis(image);
  if (!axis) return undefined;
  return { axis, share: stripeProfileShare(image, { a: axis === 'rows' ? [0, image.height] : [image.width, 0] }) };
}
