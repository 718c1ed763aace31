/**
 * Method `stats` (plugin/ops/style/statistics-transfer) chooses each texture's move among candidates by
 * the style distance it reaches (colour + Gram, plugin/ops/style/style-distance) within its layout bound
 * (SSIM¼ ≥ 0.7): the offset and a ratio curve, each at its largest shift, and — where the layout still
 * has room at the full shift — a coarse contrast gain.
 */
import { gramDistance, slicedWasserstein } from '../plugin/metrics/texture-stats';
import { quarterLumaSsim } from '../plugin/ops/style/structure';
import { styleTexture } from '../plugin/ops/style';
import { rgbPlanesOf, toRawImage } from '../plugin/ops/style/planes';
import { seededRandom } from '../plugin/ops/style/random';
import { statisticsTransfer } from '../plugin/ops/style/statistics-transfer';
import { styleDistance } from '../plugin/ops/style/style-distance';
import type { RawImage } from '../plugin/types';
import { coolReference, tilingTexture } from './helpers/style-images';

let reference: RawImage;
beforeAll(async () => {
  reference = await coolReference();
});

const fullOffset = (input: RawImage) =>
  toRawImage(statisticsTransfer(rgbPlanesOf(input), rgbPlanesOf(reference), seededRandom(0), { wrap: true, lumaShift: 1 }), input);

test('a flat texture whose layout has room at the full shift takes the reference\'s contrast too (closer Gram features), still keeping SSIM¼ ≥ 0.7', async () => {
  // Mid-grey, low contrast: the full brightness shift alone keeps SSIM¼ well above the floor.
  const t = tilingTexture(96, 96, 5);
  const input: RawImage = { ...t, data: t.data.map((v) => Math.round(110 + (v - 80) * 0.4)) };
  const shifted = fullOffset(input); // what the fourth and fifth passes gave it (full shift, nothing more)
  expect(quarterLumaSsim(input, shifted)).toBeGreaterThan(0.74);
  const out = await styleTexture(input, reference, { seamless: true });
  expect(quarterLumaSsim(input, out)).toBeGreaterThanOrEqual(0.7);
  expect(gramDistance(out, reference)).toBeLessThan(0.95 * gramDistance(shifted, reference));
  // ... without giving up the colour: still within 10 % of the full shift's distance.
  expect(slicedWasserstein(out, reference)).toBeLessThan(1.1 * slicedWasserstein(shifted, reference));
});

test('the candidate scorer: 1.5 (= 1 + GRAM_WEIGHT) for the input itself, lower for the full transfer, deterministic', () => {
  const input = tilingTexture(64, 64, 3);
  const planes = rgbPlanesOf(input);
  const score = styleDistance(planes, rgbPlanesOf(reference));
  expect(score(planes)).toBeCloseTo(1.5, 6);
  const styled = statisticsTransfer(planes, rgbPlanesOf(reference), seededRandom(0), { wrap: true, lumaShift: 1 });
  expect(score(styled)).toBeLessThan(1.2);
  expect(score(styled)).toBe(styleDistance(planes, rgbPlanesOf(reference))(styled));
});
