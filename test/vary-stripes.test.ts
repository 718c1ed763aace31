/**
 * Straight stripes (held-out set 10, seen: ribbed_steel, asianRoof_b). Their luma autocorrelation is a ridge
 * along the stripes, which the lattice detector used to read as a skewed two-period lattice with long steps;
 * plan.ts then made the copied region more than the exemplar and every variant was one translate of it
 * (NCC 1.000, copied share 1.000). The ridge is now one period across the stripes, free along them
 * (plugin/ops/vary/period.ts): variants must not be the exemplar, and their stripes must stay straight.
 */
import { copiedShare, lumaPlane, maxCyclicNcc } from '../plugin/metrics/texture-stats';
import { detectLattice, varyTexture } from '../plugin/ops/vary';
import { remap } from '../plugin/ops/vary/remap';
import type { RawImage } from '../plugin/types';
import { stripedPanel } from './helpers/striped-panel';

/** Mean luma of each column over rows [y0, y1). */
function columnProfile(image: RawImage, y0: number, y1: number): number[] {
  const { data, width } = lumaPlane(image);
  return Array.from({ length: width }, (_, x) => {
    let s = 0;
    for (let y = y0; y < y1; y++) s += data[y * width + x];
    return s / (y1 - y0);
  });
}

/** Columns darker than the background: the stripes (luma ~35 against ~100). */
const dark = (profile: number[]) => profile.map((v) => v < 70);

/** Columns where two stripe masks differ, the second shifted cyclically by s. */
function mismatch(p: boolean[], q: boolean[], s: number): number {
  return p.reduce((n, v, i) => n + (v !== q[(i + s) % q.length] ? 1 : 0), 0);
}

describe.each([
  [113, 'a spacing that is no period of the 256-px exemplar (asianRoof_b)'],
  [128, 'a spacing of half the exemplar (ribbed_steel)'],
])('varyTexture on straight stripes %i px apart: %s', (spacing) => {
  const exemplar = stripedPanel(spacing);
  const result = varyTexture([{ slot: 'color', kind: 'color', image: exemplar }], { count: 2, seed: 1 });
  const images = result.variants.map((v) => v.maps[0].image);

  it('is read as one period across the stripes, free along them', () => {
    const lattice = detectLattice(exemplar)!;
    expect(lattice.stripes).toBe(true);
    expect(lattice.b).toEqual([0, 0]);
    expect(lattice.a[1]).toBe(0);
  });

  it('variants are not the exemplar', () => {
    for (const v of result.variants) {
      expect(copiedShare(remap(exemplar, v.coords, 'color'), exemplar, { size: 32 })).toBeLessThan(0.5);
      // The stripes are most of this panel's luma and stay where they are across (113 px is no period of
      // the exemplar, so only moves along them are safe): the NCC stays high, but below a copy's.
      expect(maxCyclicNcc(v.maps[0].image, exemplar).max).toBeLessThan(0.99);
    }
  });

  it('stripes stay straight: every band of 32 rows has the exemplar stripes at one shift, to a texel', () => {
    const reference = dark(columnProfile(exemplar, 0, exemplar.height));
    for (const img of images) {
      const whole = dark(columnProfile(img, 0, img.height));
      let best = 0;
      for (let s = 1; s < reference.length; s++) if (mismatch(whole, reference, s) < mismatch(whole, reference, best)) best = s;
      // two stripes, each may be off by a texel at either edge
      for (let y = 0; y < img.height; y += 32) expect(mismatch(dark(columnProfile(img, y, y + 32)), reference, best)).toBeLessThanOrEqual(4);
    }
  });
});
