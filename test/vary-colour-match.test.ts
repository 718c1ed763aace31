/**
 * vary's colour re-matching (plugin/ops/vary/colour-match.ts): a variant copies exemplar texels but not
 * in the exemplar's proportions, so its palette drifts (a layout with more of a red blotch is redder);
 * each variant's colour map is graded back onto the exemplar's colour distribution. The exemplar here is
 * a tiling grey value noise with two red discs (one per half, so the two halves — the eval's floor — have
 * the same palette); the layouts hold more or less red. Measured, seed 1, 4 variants: colour distance ÷
 * floor 0.69 / 4.76 / 12.24 / 5.64 with verbatim copies (`colourMatch: false`, the only behaviour before),
 * 0.68 / 2.81 / 2.40 / 2.52 graded. So the distance assertion fails without the grading.
 */
import { cropImage, maxCyclicNcc, slicedWasserstein, wrapEdgeRatio } from '../plugin/metrics/texture-stats';
import { varyTexture, type VaryMap } from '../plugin/ops/vary';
import { hashRandom } from '../plugin/ops/vary/hash-random';
import { remap } from '../plugin/ops/vary/remap';
import type { RawImage } from '../plugin/types';
import { lumaDetail } from './helpers/texture-detail';

const W = 128;

/** Grey value noise (3 octaves, cyclic) with two red discs of radius 18; tiles. */
function blotchedNoise(): RawImage {
  const data = new Uint8Array(W * W * 3);
  for (let y = 0; y < W; y++) {
    for (let x = 0; x < W; x++) {
      let v = 0;
      for (const [p, a] of [[16, 50], [8, 25], [4, 12]]) {
        const n = W / p;
        const gx = x / p, gy = y / p, x0 = Math.floor(gx), y0 = Math.floor(gy), tx = gx - x0, ty = gy - y0;
        const r = (i: number, j: number) => hashRandom(9, p, ((i % n) + n) % n, ((j % n) + n) % n);
        v += a * ((r(x0, y0) * (1 - tx) + r(x0 + 1, y0) * tx) * (1 - ty) + (r(x0, y0 + 1) * (1 - tx) + r(x0 + 1, y0 + 1) * tx) * ty);
      }
      let c = [40 + v, 45 + v, 50 + v];
      for (const [cx, cy] of [[32, 40], [96, 90]]) {
        const dx = Math.min(Math.abs(x - cx), W - Math.abs(x - cx));
        const dy = Math.min(Math.abs(y - cy), W - Math.abs(y - cy));
        if (dx * dx + dy * dy < 18 * 18) c = [200 + v / 4, 40 + v / 4, 30];
      }
      data.set(c.map((q) => Math.max(0, Math.min(255, Math.round(q)))), (y * W + x) * 3);
    }
  }
  return { data, width: W, height: W, channels: 3 };
}

describe('colour re-matching', () => {
  const exemplar = blotchedNoise();
  // Colour only: that normal and data maps stay verbatim copies under the same layout is vary.test.ts's
  // layout test (a coordinate map and an ORM map beside the graded colour map).
  const set: VaryMap[] = [{ slot: 'color', kind: 'color', image: exemplar }];
  // The grading alone: the spectrum step after it (spectrum-match.ts, vary-spectrum-match.test.ts) is off.
  const graded = varyTexture(set, { count: 4, seed: 1, spectrumMatch: false }).variants;
  const verbatim = varyTexture(set, { count: 4, seed: 1, colourMatch: false, spectrumMatch: false }).variants;
  const distance = (v: RawImage) => slicedWasserstein(v, exemplar);

  it('brings the variants\' palette back towards the exemplar\'s (mean colour distance at most 0.6x that of verbatim copies)', () => {
    const mean = (vs: typeof graded) => vs.reduce((s, v) => s + distance(v.maps[0].image), 0) / vs.length;
    const floor = slicedWasserstein(cropImage(exemplar, 0, 0, W / 2, W), cropImage(exemplar, W / 2, 0, W / 2, W));
    expect(mean(verbatim) / floor).toBeGreaterThan(3); // the drift is there to correct
    expect(mean(graded)).toBeLessThanOrEqual(0.6 * mean(verbatim));
  });

  it('is a colour grading only: one new colour per source colour of the layout\'s copy, no added grain, tiling, deterministic', () => {
    for (let k = 0; k < graded.length; k++) {
      const g = graded[k];
      // The same layout's verbatim copy (the novelty check sees the graded map, so it may pick another layout than `verbatim[k]`).
      const copy = remap(exemplar, g.coords, 'color');
      const seen = new Map<number, number>();
      let conflicts = 0;
      for (let i = 0; i < W * W; i++) {
        const s = (g.coords.y[i] * W + g.coords.x[i]) * 3;
        const key = (exemplar.data[s] << 16) | (exemplar.data[s + 1] << 8) | exemplar.data[s + 2];
        const out = (g.maps[0].image.data[i * 3] << 16) | (g.maps[0].image.data[i * 3 + 1] << 8) | g.maps[0].image.data[i * 3 + 2];
        if ((seen.get(key) ?? out) !== out) conflicts++;
        seen.set(key, out);
      }
      expect(conflicts).toBe(0);
      // Grain: no further from the exemplar's than the verbatim copy's, within the module's 10 % tolerance.
      const far = (img: RawImage) => Math.abs(Math.log(lumaDetail(img) / lumaDetail(exemplar)));
      expect(far(g.maps[0].image)).toBeLessThanOrEqual(far(copy) + Math.log(1.1) + 1e-9);
      expect(wrapEdgeRatio(g.maps[0].image)).toBeLessThanOrEqual(1.2);
      expect(maxCyclicNcc(g.maps[0].image, exemplar).max).toBeLessThanOrEqual(0.6);
    }
    const again = varyTexture(set, { count: 4, seed: 1, spectrumMatch: false }).variants;
    for (let k = 0; k < graded.length; k++) expect(Buffer.from(again[k].maps[0].image.data).equals(Buffer.from(graded[k].maps[0].image.data))).toBe(true);
  });
});
