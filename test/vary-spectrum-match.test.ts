/**
 * vary's spectrum re-matching (plugin/ops/vary/spectrum-match.ts): a coordinate-map synthesis copies the
 * exemplar's fine detail but arranges it in blocks, so its luma's radially averaged power spectrum drifts
 * from the exemplar's (mostly too little power at the largest scales) — the most common fidelity miss on
 * the tuning sets. Each variant's colour map is filtered by one radial gain (cyclic: it still tiles) and
 * put back on its histogram. Real texture with one large stain (fixtures/vary, from the TUNING set).
 * Measured, seed 1, 4 variants (spectrum distance to the exemplar, the eval's metric): plain synthesis
 * 0.098 / 0.146 / 0.165 / 0.146 (mean 0.139), matched 0.041 / 0.072 / 0.165 / 0.104 (mean 0.096, 0.69x; the
 * third is left unfiltered by the grain guard, the fourth weakened). Before this step every variant was the
 * plain synthesis (ratio 1), so the distance assertion fails on the old code.
 */
import path from 'node:path';
import { maxCyclicNcc, powerSpectrumDistance, slicedWasserstein, wrapEdgeRatio } from '../plugin/metrics/texture-stats';
import { varyTexture, type VaryMap } from '../plugin/ops/vary';
import { remap } from '../plugin/ops/vary/remap';
import type { RawImage } from '../plugin/types';
import { decode, FIXTURES } from './helpers/project';
import { lumaDetail } from './helpers/texture-detail';

describe('spectrum re-matching', () => {
  let image: RawImage;
  let set: VaryMap[];
  beforeAll(async () => {
    image = await decode(path.join(FIXTURES, 'vary', 'carpet_drty_blood2.jpg'));
    // A data map of the texture's own coordinates beside it: the filter is for colour maps only.
    const coords: RawImage = { data: new Uint8Array(image.width * image.height * 3), width: image.width, height: image.height, channels: 3 };
    for (let i = 0; i < image.width * image.height; i++) coords.data.set([i % image.width, Math.floor(i / image.width), 0], i * 3);
    set = [{ slot: 'color', kind: 'color', image }, { slot: 'coords', kind: 'data', image: coords }];
  });

  it('brings the variants\' radial power spectrum towards the exemplar\'s (mean distance at most 0.8x the plain synthesis\')', () => {
    const matched = varyTexture(set, { count: 4, seed: 1, tile: true }).variants;
    const plain = varyTexture(set, { count: 4, seed: 1, tile: true, spectrumMatch: false }).variants;
    const mean = (vs: typeof matched) => vs.reduce((s, v) => s + powerSpectrumDistance(v.maps[0].image, image), 0) / vs.length;
    expect(mean(matched)).toBeLessThanOrEqual(0.8 * mean(plain));
    // The colours stay on the exemplar's (the histogram step): no further than the plain graded copy, within 25 %.
    const colour = (vs: typeof matched) => vs.reduce((s, v) => s + slicedWasserstein(v.maps[0].image, image), 0) / vs.length;
    expect(colour(matched)).toBeLessThanOrEqual(1.25 * colour(plain) + 1e-3);
  });

  it('keeps tiling, novelty, the grain, the layout of the other maps, and is deterministic', () => {
    const { variants } = varyTexture(set, { count: 2, seed: 2, tile: true });
    const far = (img: RawImage) => Math.abs(Math.log(lumaDetail(img) / lumaDetail(image)));
    for (const v of variants) {
      const out = v.maps[0].image;
      expect(wrapEdgeRatio(out)).toBeLessThanOrEqual(1.2);
      expect(maxCyclicNcc(out, image).max).toBeLessThanOrEqual(0.6);
      // Grain no further from the exemplar's than the layout's plain copy, within the module's 10 % tolerance.
      expect(far(out)).toBeLessThanOrEqual(far(remap(image, v.coords, 'color')) + Math.log(1.1) + 1e-9);
      // The data map is the layout's verbatim copy: the filter never touches it.
      expect(Buffer.from(v.maps[1].image.data).equals(Buffer.from(remap(set[1].image, v.coords, 'data').data))).toBe(true);
    }
    // Variant k depends on (seed, k) only: a second call for one variant gives the first again, byte for byte.
    const [again] = varyTexture(set, { count: 1, seed: 2, tile: true }).variants;
    expect(Buffer.from(again.maps[0].image.data).equals(Buffer.from(variants[0].maps[0].image.data))).toBe(true);
  });
});
