/** PSNR, SSIM and HFEN against an independent numpy implementation, and their basic behaviour. */
import { compareImages } from '../plugin/metrics';
import type { RawImage } from '../plugin/types';
import { texture } from './engine-fixtures';

test('matches the reference implementation on a real texture and its JPEG-q25 copy', async () => {
  const ref = await texture('helmet-basecolor-128.png');
  const jpeg = await texture('helmet-basecolor-128-jpeg25.png');
  // /usr/bin/python3 test/metrics-reference/reference_metrics.py <those two files> printed:
  // psnr 26.447108 psnrY 26.749472 ssim 0.766049 hfen 0.161639
  // (models/training/srlib.py, which the model cards use, gives 26.447108 / 0.766053 / 0.161639)
  const got = compareImages(ref, jpeg);
  expect(got.psnr).toBeCloseTo(26.447108, 4);
  expect(got.psnrY).toBeCloseTo(26.749472, 4);
  expect(got.ssim).toBeCloseTo(0.766049, 5);
  expect(got.hfen).toBeCloseTo(0.161639, 5);
});

test('identical images: infinite PSNR, SSIM 1, HFEN 0; alpha is ignored', async () => {
  const img = await texture('alpha-blend-128.png');
  const other: RawImage = { ...img, data: img.data.map((v, i) => (i % 4 === 3 ? 255 - v : v)) };
  expect(compareImages(img, other)).toEqual({ psnr: Infinity, psnrY: Infinity, ssim: 1, hfen: 0 });
});

test('a flat brightness offset costs PSNR exactly but no high-frequency error', async () => {
  const img = await texture('helmet-metalrough-128.png');
  // Channel 0 is dark (0..20): +10 never clips, so MSE over RGB is 10²/3.
  const brighter: RawImage = { ...img, data: img.data.map((v, i) => (i % 3 === 0 ? v + 10 : v)) };
  const s = compareImages(img, brighter);
  expect(s.psnr).toBeCloseTo(10 * Math.log10((255 * 255 * 3) / 100), 6);
  expect(s.hfen).toBeLessThan(1e-9);
});

test('more degradation scores worse on every metric; the border is excluded', async () => {
  const ref = await texture('helmet-basecolor-128.png');
  const jpeg = await texture('helmet-basecolor-128-jpeg25.png');
  const noisy: RawImage = { ...jpeg, data: jpeg.data.map((v, i) => Math.max(0, Math.min(255, v + ((i * 7919) % 41) - 20))) };
  const a = compareImages(ref, jpeg);
  const b = compareImages(ref, noisy);
  expect(b.psnr).toBeLessThan(a.psnr);
  expect(b.ssim).toBeLessThan(a.ssim);
  expect(b.hfen).toBeGreaterThan(a.hfen);
  // Damage confined to the outer 4 texels does not count with border 4.
  const framed: RawImage = { ...ref, data: ref.data.map((v, i) => {
    const p = Math.floor(i / 3);
    const x = p % 128;
    const y = Math.floor(p / 128);
    return x < 4 || y < 4 || x >= 124 || y >= 124 ? 255 - v : v;
  }) };
  expect(compareImages(ref, framed, 4).psnr).toBe(Infinity);
  expect(() => compareImages(ref, { ...ref, width: 64, height: 256 })).toThrow(/differ in size/);
});
