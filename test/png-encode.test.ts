/**
 * Remaster's PNG encoder (plugin/png-encode.ts: "Up" filter, up to 4 MP; sharp above): the file holds
 * the very pixels it was given, for every channel count, on both sides of the size switch, is the file
 * pngjs wrote with the same settings (outputs of earlier versions stay byte for byte the same), and a
 * smooth texture compresses at least as well as with sharp's default settings.
 */
import { spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { decodeImage, encodeImage, probeImage } from '../plugin/image-codec';
import { encodePng } from '../plugin/png-encode';
import { OWN_PNG_MAX_TEXELS, ownPngEncoderTakes } from '../plugin/png-settings';
import type { RawImage } from '../plugin/types';
import { pngjsEncode } from './pngjs-reference';

/** A smooth image with some texture, like an upscaled one (every channel different). */
function smooth(width: number, height: number, channels: RawImage['channels']): RawImage {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const v = 128 + 90 * Math.sin((x + 3 * c) / 17) * Math.cos((y - 5 * c) / 23) + ((x * 31 + y * 17 + c * 7) % 5);
        data[(y * width + x) * channels + c] = Math.round(v);
      }
    }
  }
  return { data, width, height, channels };
}

test.each([1, 2, 3, 4] as const)('%i channel(s): the PNG decodes to exactly the pixels given', async (channels) => {
  const image = smooth(301, 203, channels);
  const bytes = await encodePng(image);
  const info = await probeImage(bytes);
  expect([info.format, info.width, info.height, info.channels, info.bitsPerSample]).toEqual(['png', 301, 203, channels, 8]);
  const back = await decodeImage(bytes);
  expect(back.channels).toBe(channels);
  expect(Buffer.compare(Buffer.from(back.data), Buffer.from(image.data))).toBe(0);
});

test.each([1, 2, 3, 4] as const)('%i channel(s): byte for byte the file pngjs writes with these settings', async (channels) => {
  const image = smooth(301, 203, channels);
  expect(Buffer.compare(await encodePng(image), await pngjsEncode(image))).toBe(0);
});

test('four bytes at a time or one: rows on 4-byte boundaries or not, a view into a bigger buffer, the same file as pngjs', async () => {
  for (const [width, channels] of [[256, 3], [64, 4], [255, 4], [129, 1], [2, 2]] as const) {
    const image = smooth(width, 71, channels);
    expect(Buffer.compare(await encodePng(image), await pngjsEncode(image))).toBe(0);
    // The same pixels one byte into a bigger buffer: rows off 4-byte boundaries.
    const shifted = new Uint8Array(image.data.length + 5);
    shifted.set(image.data, 1);
    const view: RawImage = { ...image, data: shifted.subarray(1, 1 + image.data.length) };
    expect(Buffer.compare(await encodePng(view), await pngjsEncode(image))).toBe(0);
  }
  // Every byte pair's difference, wrapping below 0: rows of 0..255 under rows of 255..0 and the reverse.
  const edges: RawImage = { data: new Uint8Array(256 * 4).map((_, i) => (Math.floor(i / 256) % 2 ? 255 - (i % 256) : i % 256)), width: 64, height: 4, channels: 4 };
  expect(Buffer.compare(await encodePng(edges), await pngjsEncode(edges))).toBe(0);
});

test('encodeImage uses it up to OWN_PNG_MAX_TEXELS and sharp above, same pixels either way', async () => {
  const small = smooth(64, 64, 3);
  expect(ownPngEncoderTakes(small)).toBe(true);
  expect(Buffer.compare(Buffer.from(await encodeImage(small, 'png', 90, 'color')), await encodePng(small))).toBe(0);
  const width = 2048;
  const height = Math.floor(OWN_PNG_MAX_TEXELS / width) + 1;
  const big: RawImage = { data: new Uint8Array(width * height), width, height, channels: 1 };
  for (let i = 0; i < big.data.length; i++) big.data[i] = (i % width) ^ (i >> 13);
  expect(ownPngEncoderTakes(big)).toBe(false);
  const back = await decodeImage(await encodeImage(big, 'png', 90, 'data'));
  expect(Buffer.compare(Buffer.from(back.data), Buffer.from(big.data))).toBe(0);
});

test('a smooth texture is no bigger than with sharp defaults (zlib 6, no filter)', async () => {
  const image = smooth(512, 512, 3);
  const ours = await encodePng(image);
  const sharpDefault = await sharp(image.data, { raw: { width: 512, height: 512, channels: 3 } }).png().toBuffer();
  expect(ours.length).toBeLessThan(sharpDefault.length);
});

test('a buffer that does not match its size is refused, not padded with zeros', async () => {
  await expect(encodePng({ data: new Uint8Array(10), width: 300, height: 200, channels: 3 })).rejects.toThrow(/buffer holds 10 bytes, expected 300x200x3/);
});

test('the result cache key reads the encoder settings without loading pngjs (image-codec loads it on first use)', () => {
  // The built modules in a fresh process: jest's module registry is not node's require cache.
  const script = `require(${JSON.stringify(require.resolve('../dist/plugin/cache/result-key.js'))});
    process.stdout.write(String(Object.keys(require.cache).some((f) => f.includes('/node_modules/pngjs/'))));`;
  const loaded = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(loaded.stderr).toBe('');
  expect(loaded.stdout).toBe('false');
});
