/**
 * The row-streaming PNG encoder (plugin/png-stream.ts) writes, byte for byte, the file pngjs writes
 * with Remaster's settings for the same image (what png-encode.ts wrote before it used this encoder),
 * however its rows arrive; imageFileWriter (image-codec.ts) streams
 * a PNG that way and writes the other formats as writeImageFile does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeImage, imageFileWriter, readImageFile, writeImageFile } from '../plugin/image-codec';
import { PNG_DEFLATE_CHUNK } from '../plugin/png-settings';
import { PngRowEncoder } from '../plugin/png-stream';
import type { RawImage } from '../plugin/types';
import { pngjsEncode as encodePng } from './pngjs-reference';

/** A smooth image with some noise (`noise` 5: compresses well; 251: barely), every channel different. */
function smooth(width: number, height: number, channels: RawImage['channels'], noise = 5): RawImage {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const v = 128 + 90 * Math.sin((x + 3 * c) / 17) * Math.cos((y - 5 * c) / 23) + ((x * 31 + y * 17 + c * 7) % noise);
        data[(y * width + x) * channels + c] = Math.round(v);
      }
    }
  }
  return { data, width, height, channels };
}

/** Chunk types and lengths of a PNG file. */
function chunks(png: Buffer): string[] {
  const out: string[] = [];
  for (let at = 8; at < png.length; at += 12 + png.readUInt32BE(at)) out.push(`${png.toString('latin1', at + 4, at + 8)}:${png.readUInt32BE(at)}`);
  return out;
}

async function streamed(image: RawImage, steps: number[]): Promise<Buffer> {
  const encoder = new PngRowEncoder(image);
  for (const rows of steps) encoder.rowsDone(rows);
  return encoder.finish();
}

test.each([1, 2, 3, 4] as const)('%i channel(s): the same bytes as pngjs, whatever rows arrive when', async (channels) => {
  const image = smooth(301, 203, channels);
  const whole = await encodePng(image);
  for (const steps of [[], [203], [1, 2, 50, 400], [67, 135, 135, 136]]) expect(Buffer.compare(await streamed(image, steps), whole)).toBe(0);
  const back = await decodeImage(await streamed(image, [100]));
  expect(Buffer.compare(Buffer.from(back.data), Buffer.from(image.data))).toBe(0);
});

test('several IDAT chunks (output over one zlib buffer): cut where pngjs cuts them', async () => {
  const image = smooth(1024, 1024, 4, 251);
  const whole = await encodePng(image);
  expect(chunks(whole).filter((c) => c.startsWith('IDAT')).length).toBeGreaterThan(2);
  expect(chunks(whole)).toContain(`IDAT:${PNG_DEFLATE_CHUNK}`);
  const rows = await streamed(image, [341, 682, 1000]);
  expect(chunks(rows)).toEqual(chunks(whole));
  expect(Buffer.compare(rows, whole)).toBe(0);
});

test('rows are read when reported: rows written after an earlier report still end up in the file', async () => {
  const image = smooth(64, 48, 3);
  const filling: RawImage = { ...image, data: new Uint8Array(image.data.length) };
  const encoder = new PngRowEncoder(filling);
  const row = 64 * 3;
  filling.data.set(image.data.subarray(0, 20 * row));
  encoder.rowsDone(20);
  filling.data.set(image.data.subarray(20 * row), 20 * row);
  expect(Buffer.compare(await encoder.finish(), await encodePng(image))).toBe(0);
  expect(() => encoder.rowsDone(48)).toThrow(/after finish/);
});

test('imageFileWriter: a streamed PNG is the file writeImageFile writes; other formats are written whole', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remaster-png-stream-'));
  try {
    const image = smooth(200, 150, 3);
    await writeImageFile(path.join(dir, 'whole.png'), image);
    const out = imageFileWriter(path.join(dir, 'streamed.png'));
    out.onRows(image, 70);
    await out.write(image);
    expect(Buffer.compare(fs.readFileSync(path.join(dir, 'streamed.png')), fs.readFileSync(path.join(dir, 'whole.png')))).toBe(0);
    // Rows of an image that is not the one finally written are dropped.
    const other = imageFileWriter(path.join(dir, 'other.png'));
    other.onRows(smooth(200, 150, 3, 7), 150);
    await other.write(image);
    expect(Buffer.compare(fs.readFileSync(path.join(dir, 'other.png')), fs.readFileSync(path.join(dir, 'whole.png')))).toBe(0);
    const webp = imageFileWriter(path.join(dir, 'out.webp'));
    webp.onRows(image, 150);
    await webp.write(image);
    expect((await readImageFile(path.join(dir, 'out.webp'))).width).toBe(200);
    // A failed upscale: rows were encoded, the writer is abandoned, nothing is written.
    const failed = imageFileWriter(path.join(dir, 'failed.png'));
    failed.onRows(image, 100);
    failed.abandon();
    expect(fs.existsSync(path.join(dir, 'failed.png'))).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
