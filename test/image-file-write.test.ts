/**
 * writeImageFile streams the encoder into a temp file and renames it into place: the file is
 * complete, or, when encoding fails, the old file is untouched and no temp file is left.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readImageFile, writeImageFile } from '../plugin/image-codec';
import type { RawImage } from '../plugin/types';

let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'remaster-image-write-')); });
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const gradient = (w: number, h: number): RawImage => {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 255;
  return { data, width: w, height: h, channels: 3 };
};

test.each(['png', 'jpg', 'webp'])('a .%s file is written whole and reads back at its size, no temp file left', async (ext) => {
  const file = path.join(tmp, `out.${ext}`);
  const image = gradient(300, 200);
  await writeImageFile(file, image);
  const back = await readImageFile(file);
  expect([back.width, back.height]).toEqual([300, 200]);
  if (ext === 'png') expect(Buffer.compare(Buffer.from(back.data), Buffer.from(image.data))).toBe(0);
  expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

test('an image the encoder refuses leaves the old file as it was and no temp file', async () => {
  const file = path.join(tmp, 'keep.png');
  fs.writeFileSync(file, 'old bytes');
  const broken: RawImage = { data: new Uint8Array(10), width: 300, height: 200, channels: 3 }; // too short for its size
  await expect(writeImageFile(file, broken)).rejects.toThrow(/keep\.png: cannot write \(/);
  expect(fs.readFileSync(file, 'utf8')).toBe('old bytes');
  expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});
