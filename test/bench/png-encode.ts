/**
 * PNG encoder settings, time against size (issue 13): Remaster's encoder (plugin/png-encode.ts: pngjs,
 * "Up" filter, zlib level 2) and alternatives, against sharp's level 3 with adaptive filtering (the
 * previous choice). CPU time of this process (sharp's and zlib's threads included), best of `--repeat`,
 * and bytes, summed over the images; every pngjs file is checked to decode to the same pixels. The
 * "deflate only" rows time zlib alone on the Up-filtered rows (no container): where the time goes.
 *
 *   npm run build && node dist/test/bench/png-encode.js [--dir folder-of-upscaled-pngs] [--repeat 3]
 *
 * Without --dir it upscales the fixture textures (x4, shipped model) and measures those.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PNG, type ColorType } from 'pngjs';
import sharp from 'sharp';
import { createEngine } from '../../plugin/engine';
import { packageRoot } from '../../plugin/engine/model-source';
import { decodeImage } from '../../plugin/image-codec';
import { encodePng } from '../../plugin/png-encode';
import type { RawImage } from '../../plugin/types';

const COLOR_TYPES: Record<number, ColorType> = { 1: 0, 2: 4, 3: 2, 4: 6 };

type Encoder = (image: RawImage) => Promise<Uint8Array>;

const viaSharp = (compressionLevel: number, adaptiveFiltering: boolean): Encoder => (image) => {
  let s = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
  if (image.channels <= 2) s = s.toColourspace('b-w');
  return s.png({ compressionLevel, adaptiveFiltering }).toBuffer();
};

/** pngjs with a filter, zlib level and strategy (0: default, 3: Z_RLE). */
const viaPngjs = (filterType: number, deflateLevel: number, deflateStrategy = 0): Encoder => async (image) => {
  const colorType = COLOR_TYPES[image.channels];
  const png = { width: image.width, height: image.height, data: Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength) } as PNG;
  return PNG.sync.write(png, { filterType, deflateLevel, deflateStrategy, colorType, inputColorType: colorType });
};

/** Each image's rows "Up"-filtered (as the encoder filters them), made once: the deflate-only rows time zlib alone. */
const upRows = new WeakMap<RawImage, Buffer>();
function upFiltered(image: RawImage): Buffer {
  let rows = upRows.get(image);
  if (!rows) {
    const n = image.width * image.channels;
    rows = Buffer.alloc((n + 1) * image.height);
    for (let y = 0; y < image.height; y++) {
      rows[y * (n + 1)] = 2;
      for (let x = 0; x < n; x++) rows[y * (n + 1) + 1 + x] = image.data[y * n + x] - (y ? image.data[(y - 1) * n + x] : 0);
    }
    upRows.set(image, rows);
  }
  return rows;
}

/**
 * zlib alone on the Up-filtered rows (no PNG container; filtered outside the timing after the first
 * repeat, so best-of-N is the deflate's own time): where an encode's CPU time goes, by zlib setting.
 */
const deflateOnly = (options: zlib.ZlibOptions): Encoder => async (image) => zlib.deflateSync(upFiltered(image), options);

const ENCODERS: Record<string, Encoder> = {
  'sharp level 3, adaptive filtering (before)': viaSharp(3, true),
  'sharp level 2, adaptive filtering': viaSharp(2, true),
  'sharp level 3, no filtering': viaSharp(3, false),
  'sharp level 6, no filtering (sharp default)': viaSharp(6, false),
  'Up, level 2 (Remaster now: encodePng, png-stream.ts; = pngjs Up level 2)': encodePng,
  'pngjs Up, level 1': viaPngjs(2, 1),
  'pngjs Up, level 4': viaPngjs(2, 4),
  'pngjs Paeth, level 2': viaPngjs(4, 2),
  'pngjs adaptive, level 2': viaPngjs(-1, 2),
  'pngjs Up, level 2, Z_RLE': viaPngjs(2, 2, 3),
  'pngjs Paeth, level 2, Z_RLE': viaPngjs(4, 2, 3),
  'deflate only (Up rows): level 2': deflateOnly({ level: 2 }),
  'deflate only (Up rows): level 1': deflateOnly({ level: 1 }),
  'deflate only (Up rows): level 2, Z_RLE': deflateOnly({ level: 2, strategy: zlib.constants.Z_RLE }),
  'deflate only (Up rows): level 2, Z_HUFFMAN_ONLY': deflateOnly({ level: 2, strategy: zlib.constants.Z_HUFFMAN_ONLY }),
  'deflate only (Up rows): level 0 (stored)': deflateOnly({ level: 0 }),
};

async function images(dir: string | undefined): Promise<RawImage[]> {
  if (dir) {
    const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.png')).sort();
    return Promise.all(files.map(async (f) => decodeImage(await fs.readFile(path.join(dir, f)))));
  }
  const fixtures = path.join(packageRoot(), 'fixtures', 'textures');
  const engine = createEngine({ device: 'cpu' });
  try {
    const out: RawImage[] = [];
    for (const f of (await fs.readdir(fixtures)).filter((n) => n.endsWith('.png')).sort()) {
      const image = await decodeImage(await fs.readFile(path.join(fixtures, f)));
      const kind = f.includes('normal') ? 'normal' : f.includes('metalrough') ? 'data' : 'color';
      out.push((await engine.upscale(image, { scale: 4, model: 'remaster-x4-fast', kind })).image);
    }
    return out;
  } finally {
    await engine.close();
  }
}

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

async function main(argv: string[]): Promise<void> {
  const dir = argv.includes('--dir') ? argv[argv.indexOf('--dir') + 1] : undefined;
  const repeat = argv.includes('--repeat') ? Number(argv[argv.indexOf('--repeat') + 1]) : 3;
  const set = await images(dir);
  const mp = set.reduce((a, i) => a + i.width * i.height, 0) / 1e6;
  const results = new Map<string, { ms: number; bytes: number }>();
  for (let r = 0; r < repeat; r++) {
    for (const [name, encode] of Object.entries(ENCODERS)) {
      let ms = 0;
      let bytes = 0;
      for (const image of set) {
        const t0 = cpuMs();
        const file = await encode(image);
        ms += cpuMs() - t0;
        bytes += file.length;
        if (r === 0 && name.startsWith('pngjs')) {
          const back = await decodeImage(file);
          if (Buffer.compare(Buffer.from(back.data), Buffer.from(image.data)) !== 0) throw new Error(`${name}: pixels differ`);
        }
      }
      const best = results.get(name);
      results.set(name, { ms: Math.min(ms, best?.ms ?? Infinity), bytes });
    }
  }
  const base = results.get('sharp level 3, adaptive filtering (before)')!;
  console.log(`${set.length} images, ${mp.toFixed(1)} MP; CPU time best of ${repeat}; relative to sharp level 3 adaptive (${base.ms.toFixed(0)} ms, ${(base.bytes / 1e6).toFixed(2)} MB)`);
  console.log('| settings | CPU time | bytes |\n| --- | --- | --- |');
  for (const [name, r] of results) console.log(`| ${name} | ${(r.ms / base.ms).toFixed(2)}x (${(r.ms / mp).toFixed(0)} ms/MP) | ${(r.bytes / base.bytes).toFixed(3)}x |`);
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`bench: ${(err as Error).message}`);
  process.exitCode = 1;
});
