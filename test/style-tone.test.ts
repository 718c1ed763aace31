/**
 * The set-level tone of the default style method (`tone`, issue 12's fifth pass): one value for a set
 * caps how far each texture's brightness moves toward the reference's (the same share of each one's own
 * gap), still within the texture's layout limit (SSIM¼ ≥ 0.7); without it nothing changes.
 */
import { luma } from '../plugin/metrics/image-planes';
import { styleFull, styleTexture } from '../plugin/ops/style';
import { style } from '../plugin/ops/style/operation';
import { rgbPlanesOf, toRawImage } from '../plugin/ops/style/planes';
import { seededRandom } from '../plugin/ops/style/random';
import { statisticsTransfer } from '../plugin/ops/style/statistics-transfer';
import { quarterLumaSsim } from '../plugin/ops/style/structure';
import type { RawImage } from '../plugin/types';
import { coolReference, maxAbsDiff, tilingTexture } from './helpers/style-images';

let reference: RawImage;
beforeAll(async () => {
  reference = await coolReference();
});

const meanLuma = (image: RawImage) => {
  const l = luma(image).data;
  return l.reduce((s, v) => s + v, 0) / l.length;
};

function darkTexture(): RawImage {
  const t = tilingTexture(96, 96, 5);
  return { ...t, data: t.data.map((v) => Math.round(v / 6)) };
}

test('a tone moves a texture that share of the way to the reference brightness; the default moves it further', async () => {
  const input = tilingTexture(96, 96, 7);
  const before = meanLuma(input);
  const gap = meanLuma(reference) - before;
  expect(Math.abs(gap)).toBeGreaterThan(20); // the test means something only with a real gap
  const quarter = await styleTexture(input, reference, { seamless: true, tone: 0.25 });
  expect(meanLuma(quarter) - before).toBeCloseTo(0.25 * gap, -0.5); // within ±1.6 codes
  expect(quarterLumaSsim(input, quarter)).toBeGreaterThanOrEqual(0.7);
  const free = await styleTexture(input, reference, { seamless: true });
  expect((meanLuma(free) - before) / gap).toBeGreaterThan(0.5);
  const none = await styleTexture(input, reference, { seamless: true, tone: 0 });
  expect(Math.abs(meanLuma(none) - before)).toBeLessThan(2); // palette and grain only
});

test('the tone is a cap, not a forced move: a dark texture still keeps its layout (SSIM¼ ≥ 0.7)', async () => {
  const input = darkTexture();
  const forced = toRawImage(statisticsTransfer(rgbPlanesOf(input), rgbPlanesOf(reference), seededRandom(0), { wrap: true, lumaShift: 0.9 }), input);
  expect(quarterLumaSsim(input, forced)).toBeLessThan(0.7); // moving it 0.9 of the way would break it
  const out = await styleTexture(input, reference, { seamless: true, tone: 0.9 });
  expect(quarterLumaSsim(input, out)).toBeGreaterThanOrEqual(0.7);
});

test('tone 1 is the default, byte for byte (no rule without it changes)', async () => {
  const input = tilingTexture(96, 96, 3);
  const a = await styleTexture(input, reference, { seamless: true, seed: 2 });
  const b = await styleTexture(input, reference, { seamless: true, seed: 2, tone: 1 });
  expect(maxAbsDiff(a, b)).toBe(0);
});

test('a tone outside 0..1, or with a method that has none, is refused', async () => {
  const input = tilingTexture(64, 64, 3);
  await expect(styleFull(input, reference, { tone: 1.5 })).rejects.toThrow('tone must be a number from 0 to 1, got 1.5');
  await expect(styleFull(input, reference, { method: 'gram', tone: 0.5 })).rejects.toThrow('tone applies to method "stats" only, not "gram"');
});

test('rule key: absent unless a rule sets it (earlier fingerprints unchanged), merged like the others, checked against the method', async () => {
  const plain = style.merge(null, { reference: 'art/ref.png' });
  expect(plain && 'tone' in plain).toBe(false);
  const toned = style.merge(plain, { tone: 0.4 });
  expect(toned?.tone).toBe(0.4);
  expect(style.merge(toned, { strength: 0.5 })?.tone).toBe(0.4);
  const bad = await style.check?.({ tone: 0.5, method: 'stats-bands' }, { root: '/nonexistent' } as never);
  expect(bad).toEqual({ field: 'tone', message: 'applies to method "stats" only, not "stats-bands"' });
});
