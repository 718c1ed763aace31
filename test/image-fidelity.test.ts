/**
 * Pixels of valid files come out as the data they were (issue 8, items 14-17): embedded ICC profiles
 * do not change stored values, fully transparent texels keep a colour, EXIF orientation keeps the
 * displayed orientation, animated WebPs are left alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { remasterProject } from '../plugin/pipeline';
import type { RemasterConfig } from '../plugin/config/types';
import { FIXTURES, makeProject, removeProject } from './helpers/project';

const lanczos = (extra: object = {}): RemasterConfig => ({ rules: [{ upscale: { scale: 2, model: 'lanczos' }, ...extra }] });

/** Stored sample values, ignoring any embedded profile. */
async function stored(bytes: Uint8Array | string): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const { data, info } = await sharp(bytes, { ignoreIcc: true }).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

describe('ICC profiles: the stored values are the data (item 14)', () => {
  let dir: string;
  beforeEach(() => (dir = makeProject()));
  afterEach(() => removeProject(dir));

  it.each([
    ['colour', 'wall.png'],
    ['normal', 'wall_n.png'],
    ['data', 'wall_rough.png'],
  ])('%s map with a non-sRGB profile keeps its stored values and comes out without the profile', async (_kind, name) => {
    // Uniform colour: resampling cannot change it, so any difference is a colour conversion.
    const raw = Buffer.alloc(8 * 8 * 3);
    for (let i = 0; i < 64; i++) raw.set([0, 136, 0], i * 3);
    const png = await sharp(raw, { raw: { width: 8, height: 8, channels: 3 } }).withIccProfile('p3').png().toBuffer();
    expect((await sharp(png).metadata()).icc).toBeDefined();
    // The same stored values without a profile must come out exactly the same.
    const before = await stored(png);
    const plain = await sharp(before.data, { raw: { width: 8, height: 8, channels: 3 } }).png().toBuffer();
    expect([...before.data.subarray(0, 3)]).not.toEqual([0, 136, 0]); // the profile did change the stored values
    fs.writeFileSync(path.join(dir, name), png);
    fs.mkdirSync(path.join(dir, 'plain'));
    fs.writeFileSync(path.join(dir, 'plain', name), plain);

    const report = await remasterProject(dir, { config: lanczos() });
    expect(report.failed).toEqual([]);
    const out = fs.readFileSync(path.join(dir, name));
    const after = await stored(out);
    const reference = await stored(fs.readFileSync(path.join(dir, 'plain', name)));
    expect([after.width, after.height]).toEqual([16, 16]);
    expect(after.data.equals(reference.data)).toBe(true);
    if (name === 'wall.png') expect([...after.data.subarray(0, 3)]).toEqual([...before.data.subarray(0, 3)]);
    expect((await sharp(out).metadata()).icc).toBeUndefined(); // dropped, as the README says
  });
});

describe('fully transparent texels keep a colour (item 15)', () => {
  let dir: string;
  beforeEach(() => (dir = makeProject()));
  afterEach(() => removeProject(dir));

  /** Left half opaque grey, right half alpha 0 over black: the invisible colour is left-over garbage. */
  async function halfTransparent(): Promise<Buffer> {
    const w = 16;
    const h = 16;
    const data = Buffer.alloc(w * h * 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(x < w / 2 ? [150, 150, 150, 255] : [0, 0, 0, 0], (y * w + x) * 4);
    return sharp(data, { raw: { width: w, height: h, channels: 4 } }).png().toBuffer();
  }

  it.each([
    ['lanczos', 'lanczos', null],
    ['neural', 'tiny-x2.onnx', null],
    ['neural, then a maxSize cap', 'remaster-x2-fast', 24],
  ])('%s: texels with alpha 0 are written with the filled colour, not black', async (_name, model, maxSize) => {
    fs.copyFileSync(path.join(FIXTURES, 'models', 'tiny-x2.onnx'), path.join(dir, 'tiny-x2.onnx'));
    fs.writeFileSync(path.join(dir, 'leaf.png'), await halfTransparent());
    const report = await remasterProject(dir, { config: { rules: [{ match: '*.png', upscale: { scale: 2, model }, maxSize }] } });
    expect(report.failed).toEqual([]);
    const out = await stored(fs.readFileSync(path.join(dir, 'leaf.png')));
    expect(out.channels).toBe(4);
    let transparent = 0;
    let black = 0;
    let far = 0;
    for (let i = 0; i < out.width * out.height; i++) {
      if (out.data[i * 4 + 3] !== 0) continue;
      transparent++;
      const [r, g, b] = out.data.subarray(i * 4, i * 4 + 3);
      if (r === 0 && g === 0 && b === 0) black++;
      if (Math.abs(r - g) > 40 || Math.abs(g - b) > 40 || r < 60) far++;
    }
    expect(transparent).toBeGreaterThan(maxSize ? 50 : 100);
    expect(black).toBe(0);
    expect(far).toBe(0); // the colour of the visible neighbours (a grey), not something new
  });
});

describe('EXIF orientation (item 16)', () => {
  let dir: string;
  beforeEach(() => (dir = makeProject()));
  afterEach(() => removeProject(dir));

  it('a JPEG with Orientation=6 is displayed the same way after the upscale', async () => {
    // Stored 32x16 (landscape), displayed 16x32 (portrait); the stored top-left quadrant is bright.
    const w = 32;
    const h = 16;
    const raw = Buffer.alloc(w * h * 3, 40);
    for (let y = 0; y < h / 2; y++) for (let x = 0; x < w / 2; x++) raw.set([250, 250, 250], (y * w + x) * 3);
    const jpeg = await sharp(raw, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    const inMeta = await sharp(jpeg).metadata();
    expect(inMeta.autoOrient).toEqual({ width: 16, height: 32 });
    fs.writeFileSync(path.join(dir, 'portrait.jpg'), jpeg);

    const report = await remasterProject(dir, { config: lanczos() });
    expect(report.failed).toEqual([]);
    const out = fs.readFileSync(path.join(dir, 'portrait.jpg'));
    expect((await sharp(out).metadata()).autoOrient).toEqual({ width: 32, height: 64 });
    // What a viewer shows, quadrant by quadrant: the bright one is where it was shown before.
    const shown = async (bytes: Buffer) => [...(await sharp(bytes).autoOrient().resize(2, 2, { kernel: 'linear' }).greyscale().raw().toBuffer())];
    const a = await shown(jpeg);
    const b = await shown(out);
    expect(a.filter((v) => v > 150)).toHaveLength(1);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(40);
    expect(report.processed[0].textures[0].after).toEqual({ width: 32, height: 64 });
  });
});

describe('animated WebP (item 17)', () => {
  let dir: string;
  beforeEach(() => (dir = makeProject()));
  afterEach(() => removeProject(dir));

  it('is left unchanged with a warning', async () => {
    const frames = Buffer.alloc(8 * 16 * 4);
    for (let i = 0; i < 8 * 8; i++) frames.set([255, 0, 0, 255], i * 4);
    for (let i = 8 * 8; i < 8 * 16; i++) frames.set([0, 0, 255, 255], i * 4);
    const webp = await sharp(frames, { raw: { width: 8, height: 16, channels: 4 } }).webp({ lossless: true, loop: 0, delay: [100, 100] }).toBuffer();
    // sharp only writes an animation when told the page height.
    const animated = await sharp(frames, { raw: { width: 8, height: 16, channels: 4, pageHeight: 8 } as sharp.CreateRaw }).webp({ lossless: true, loop: 0, delay: [100, 100] }).toBuffer();
    expect((await sharp(animated).metadata()).pages).toBe(2);
    expect(webp.length).toBeGreaterThan(0);
    fs.writeFileSync(path.join(dir, 'flame.webp'), animated);

    const report = await remasterProject(dir, { config: lanczos() });
    expect(fs.readFileSync(path.join(dir, 'flame.webp')).equals(animated)).toBe(true);
    const all = [...report.processed, ...report.skipped] as { path: string; warnings?: string[]; reason?: string }[];
    const entry = all.find((a) => a.path === 'flame.webp')!;
    expect([entry.reason ?? '', ...(entry.warnings ?? [])].join(' ')).toMatch(/animated/);
  });
});
