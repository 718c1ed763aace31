/** The classical (Lanczos) path of the engine: kinds, alpha, normals, seamless, maxSize resize. */
import { createEngine, normalLengthError } from '../plugin/engine';
import { enlargeChannelsInto, resizeClassical } from '../plugin/engine/classical';
import { blankImage, pickChannels } from '../plugin/engine/pixels';
import { crop } from '../plugin/engine/wrap';
import type { RawImage } from '../plugin/types';
import { channel, diff, mosaic3, texture, wrapSeam } from './engine-fixtures';

const engine = createEngine();
afterAll(() => engine.close());

/** One channel upscaled on its own, as a grey data image. */
async function greyUpscale(values: number[], w: number, h: number): Promise<number[]> {
  const grey: RawImage = { data: Uint8Array.from(values), width: w, height: h, channels: 1 };
  return channel((await engine.upscale(grey, { scale: 2, model: 'lanczos', kind: 'data' })).image, 0);
}

test('lanczos is Lanczos-3 (lobes reach 3 texels), not the bicubic sharp enlarges with', async () => {
  // One bright texel on grey: Catmull-Rom (support 2) leaves texels 2..3 away untouched.
  const row: RawImage = { data: new Uint8Array(32).fill(100), width: 32, height: 1, channels: 1 };
  row.data[16] = 255;
  const lanczos = channel((await engine.upscale(row, { scale: 2, model: 'lanczos', kind: 'data' })).image, 0);
  const cubic = channel(await resizeClassical(row, 64, 1, 'data', { kernel: 'cubic' }), 0);
  // Output texel 37 has its centre at input 18.25: 2.25 texels from the impulse.
  expect(cubic[37]).toBe(100);
  expect(lanczos[37]).toBeGreaterThan(100);
  expect(lanczos[35]).toBeLessThan(100); // the negative lobe at 1.25 texels
});

test('colour with alpha: 4 channels out, alpha resampled like a plain grey plane, no dark fringes', async () => {
  const img = await texture('alpha-blend-128.png');
  expect(img.channels).toBe(4);
  const { image: out, engine: id } = await engine.upscale(img, { scale: 2, model: 'lanczos', kind: 'color' });
  expect(id).toBe('lanczos');
  expect([out.width, out.height, out.channels]).toEqual([256, 256, 4]);
  const alphaAlone = await greyUpscale(channel(img, 3), 128, 128);
  const alphaOut = channel(out, 3);
  const maxDiff = alphaOut.map((v, i) => Math.abs(v - alphaAlone[i])).reduce((a, b) => Math.max(a, b), 0);
  expect(maxDiff).toBeLessThanOrEqual(1);
  // Premultiplied resampling: where the source is opaque white next to transparent black texels,
  // a straight (non-premultiplied) filter pulls the colour of visible texels toward black.
  const white: RawImage = { width: 8, height: 8, channels: 4, data: new Uint8Array(8 * 8 * 4) };
  for (let i = 0; i < 64; i++) {
    const opaque = i % 8 < 4;
    white.data.set(opaque ? [255, 255, 255, 255] : [0, 0, 0, 0], i * 4);
  }
  const up = (await engine.upscale(white, { scale: 4, model: 'lanczos', kind: 'color' })).image;
  for (let i = 0; i < up.width * up.height; i++) {
    if (up.data[i * 4 + 3] > 8) expect(up.data[i * 4]).toBeGreaterThanOrEqual(250);
  }
});

test('normal maps come out unit length with z >= 0', async () => {
  const img = await texture('helmet-normal-128.png');
  const out = (await engine.upscale(img, { scale: 4, model: 'lanczos', kind: 'normal' })).image;
  expect([out.width, out.height]).toEqual([512, 512]);
  const err = normalLengthError(out);
  expect(err.max).toBeLessThan(0.012); // 8-bit quantisation of a unit vector
  expect(channel(out, 2).reduce((a, b) => Math.min(a, b), 255)).toBeGreaterThanOrEqual(127);
  // The same map treated as plain data is not renormalised: the check above can fail.
  const asData = (await engine.upscale(img, { scale: 4, model: 'lanczos', kind: 'data' })).image;
  expect(normalLengthError(asData).max).toBeGreaterThan(err.max * 2);
});

test('data maps are resampled per channel with no colour transform', async () => {
  const img = await texture('helmet-metalrough-128.png');
  const out = (await engine.upscale(img, { scale: 2, model: 'lanczos', kind: 'data' })).image;
  for (const c of [0, 1, 2]) {
    const alone = await greyUpscale(channel(img, c), 128, 128);
    const got = channel(out, c);
    expect(got.map((v, i) => Math.abs(v - alone[i])).reduce((a, b) => Math.max(a, b), 0)).toBeLessThanOrEqual(1);
  }
});

test('seamless: the upscaled tile equals the middle of an upscaled 3x3 mosaic, so it tiles', async () => {
  const tile = await texture('helmet-basecolor-128.png');
  const seamless = (await engine.upscale(tile, { scale: 2, model: 'lanczos', kind: 'color', seamless: true })).image;
  const plain = (await engine.upscale(tile, { scale: 2, model: 'lanczos', kind: 'color' })).image;
  const big = (await engine.upscale(mosaic3(tile), { scale: 2, model: 'lanczos', kind: 'color' })).image;
  const middle = crop(big, 256, 256, 256, 256);
  expect(diff(seamless, middle).max).toBeLessThanOrEqual(1);
  expect(diff(plain, middle).max).toBeGreaterThan(8); // clamped edges differ: the test can fail
  // The wrap-around step of the seamless result is the one the tiled surface itself has.
  expect(Math.abs(wrapSeam(seamless) - wrapSeam(middle))).toBeLessThan(0.5);
});

test('resize for maxSize downscales colour in linear light', async () => {
  // A one-texel black/white checkerboard averages to 50% linear light: sRGB code ~188, not 128.
  const w = 16;
  const data = new Uint8Array(w * w * 3);
  for (let i = 0; i < w * w; i++) data.fill(((i % w) + Math.floor(i / w)) % 2 ? 255 : 0, i * 3, i * 3 + 3);
  const out = await engine.resize({ data, width: w, height: w, channels: 3 }, 4, 4, 'color');
  const mean = out.data.reduce((a, b) => a + b, 0) / out.data.length;
  expect(mean).toBeGreaterThan(175);
  expect(mean).toBeLessThan(200);
  const asData = await engine.resize({ data, width: w, height: w, channels: 3 }, 4, 4, 'data');
  expect(asData.data.reduce((a, b) => a + b, 0) / asData.data.length).toBeLessThan(140);
});

test('bad input and unknown models give one-line errors', async () => {
  const img = await texture('helmet-basecolor-128.png');
  await expect(engine.upscale(img, { scale: 2, model: 'no-such-model', kind: 'color' })).rejects.toThrow(/^unknown model "no-such-model"/);
  await expect(engine.checkModel('missing/file.onnx')).rejects.toThrow(/model file not found: .*missing\/file\.onnx$/);
  await expect(engine.upscale({ ...img, width: 7 }, { scale: 2, model: 'lanczos', kind: 'color' })).rejects.toThrow(/buffer holds/);
});

test('enlargeChannelsInto writes the same alpha, row by row into the output, as resizing the picked channel', async () => {
  const image = await texture('alpha-blend-128.png');
  expect(image.channels).toBe(4);
  const out = blankImage(image.width * 3, image.height * 2, 4);
  out.data.fill(7);
  enlargeChannelsInto(image, [3], out);
  const whole = await resizeClassical(pickChannels(image, [3]), out.width, out.height, 'data');
  expect(channel(out, 3)).toEqual(channel(whole, 0));
  expect(channel(out, 0).every((v) => v === 7)).toBe(true); // other channels untouched
  expect(() => enlargeChannelsInto(image, [3], blankImage(64, 64, 4))).toThrow(/only enlarges/);
});
