/**
 * UpscaleOptions.onRows: the engine says which output rows are final while the model still runs, so
 * `remaster upscale` deflates a PNG's top strips during inference instead of after it (issue 13), and
 * the file it writes is still exactly the one writing the finished image would give.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type Engine } from '../plugin/engine';
import { writeImageFile } from '../plugin/image-codec';
import type { RawImage } from '../plugin/types';
import { mosaic3, texture } from './engine-fixtures';

const BIN = path.join(__dirname, '..', 'bin', 'remaster.js');
let engine: Engine;
let tmp: string;
beforeAll(() => {
  engine = createEngine({ device: 'cpu' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'remaster-row-stream-'));
});
afterAll(async () => {
  await engine.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Report {
  rows: number;
  /** Rows [0, rows) as they were when reported. */
  copy: Uint8Array;
  image: RawImage;
  /** Whether upscale had already resolved. */
  late: boolean;
}

async function upscaleWatchingRows(image: RawImage, options: { kind?: 'color' | 'data'; seamless?: boolean; model?: string } = {}) {
  const reports: Report[] = [];
  let resolved = false;
  const result = await engine
    .upscale(image, {
      scale: 2, model: options.model ?? 'remaster-x2-fast', kind: options.kind ?? 'color', seamless: options.seamless,
      onRows: (out, rows) => reports.push({ rows, copy: out.data.slice(0, rows * out.width * out.channels), image: out, late: resolved }),
    })
    .finally(() => (resolved = true));
  return { result, reports };
}

test('a tiled upscale reports rows strip by strip, before it resolves, and reported rows never change again', async () => {
  const image = mosaic3(await texture('helmet-basecolor-128.png')); // 384², RGB: 2x2 tiles of x2 on CPU
  const { result, reports } = await upscaleWatchingRows(image);
  const out = result.image;
  expect(reports.length).toBeGreaterThanOrEqual(2);
  expect(reports[0].rows).toBeGreaterThan(0);
  expect(reports[0].rows).toBeLessThan(out.height / 2); // the first strip, long before the last tile
  expect(reports.at(-1)!.rows).toBe(out.height);
  for (let i = 1; i < reports.length; i++) expect(reports[i].rows).toBeGreaterThan(reports[i - 1].rows);
  for (const r of reports) {
    expect(r.image).toBe(out);
    expect(r.late).toBe(false);
    expect(Buffer.compare(Buffer.from(r.copy), Buffer.from(out.data.subarray(0, r.copy.length)))).toBe(0);
  }
});

test('no rows are reported where pixels still change after the model: alpha, seamless, Lanczos', async () => {
  const rgba = await texture('alpha-blend-128.png');
  expect(rgba.channels).toBe(4);
  expect((await upscaleWatchingRows(rgba)).reports).toEqual([]);
  const rgb = await texture('helmet-basecolor-128.png');
  expect((await upscaleWatchingRows(rgb, { seamless: true })).reports).toEqual([]);
  expect((await upscaleWatchingRows(rgb, { model: 'lanczos' })).reports).toEqual([]);
  // A data map goes through as one batch of channels: its rows are final per strip too.
  const data = await upscaleWatchingRows(await texture('helmet-metalrough-128.png'), { kind: 'data' });
  expect(data.reports.at(-1)?.rows).toBe(data.result.image.height);
});

test('remaster upscale streams its PNG and writes the same file as encoding the finished image', async () => {
  const input = path.join(tmp, 'in.png');
  const image = mosaic3(await texture('helmet-basecolor-128.png'));
  await writeImageFile(input, image);
  const cli = path.join(tmp, 'cli.png');
  const r = spawnSync(process.execPath, [BIN, 'upscale', input, cli, '--device', 'cpu'], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  const whole = path.join(tmp, 'whole.png');
  await writeImageFile(whole, (await engine.upscale(image, { scale: 2, model: 'remaster-x2-fast', kind: 'color' })).image);
  expect(Buffer.compare(fs.readFileSync(cli), fs.readFileSync(whole))).toBe(0);
  expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});
