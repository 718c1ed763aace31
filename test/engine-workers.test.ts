/**
 * Several inference workers (EngineOptions.workers, pipeline/run-engine.ts): tiles of textures upscaled
 * at the same time run in different workers, each with its own session, and the pictures are the ones a
 * single worker makes; `remaster run` lays its thread budget out over up to `--jobs` workers; a session
 * failing in one of them is still one asset's one-line failure. Real onnxruntime, small models.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createEngine } from '../plugin/engine';
import { remasterProject } from '../plugin/pipeline/project';
import { runEngineOptions } from '../plugin/pipeline/run-engine';
import type { RawImage } from '../plugin/types';
import { MODELS, texture } from './engine-fixtures';

const tiny = path.join(MODELS, 'tiny-x2.onnx');

test('two workers: textures upscaled at once share the tiles between them, and the pictures are a single worker\'s', async () => {
  const base = await texture('helmet-basecolor-128.png');
  const images: RawImage[] = [0, 1, 2, 3].map((i) => ({ ...base, data: base.data.map((v) => (v + 40 * i) & 255) }));
  const opts = { scale: 2, model: tiny, kind: 'color' } as const;
  const one = createEngine({ device: 'cpu', threads: 1, tileSize: 48 });
  const two = createEngine({ device: 'cpu', threads: 1, tileSize: 48, workers: 2 });
  try {
    const alone = [];
    for (const image of images) alone.push((await one.upscale(image, opts)).image);
    const together = await Promise.all(images.map(async (image) => (await two.upscale(image, opts)).image));
    together.forEach((image, i) => expect(Buffer.compare(Buffer.from(image.data), Buffer.from(alone[i].data))).toBe(0));
    const stats = two.inferenceStats!();
    expect(stats.runsPerWorker).toHaveLength(2);
    expect(stats.runsPerWorker.reduce((a, b) => a + b, 0)).toBe(stats.runs);
    expect(Math.min(...stats.runsPerWorker)).toBeGreaterThan(0); // both ran tiles
    expect(one.inferenceStats!().runsPerWorker).toEqual([one.inferenceStats!().runs]);
  } finally {
    await Promise.all([one.close(), two.close()]);
  }
});

test('workers must be a whole number from 1 up, refused in one line', () => {
  for (const workers of [0, 1.5, -1, Number.NaN]) expect(() => createEngine({ workers })).toThrow(/^workers must be a whole number from 1 up \(got .*\)$/);
});

test('a run lays its thread budget out over up to --jobs workers; a GPU device keeps one', () => {
  expect(runEngineOptions({ concurrency: 2, threads: 2 })).toEqual({ workers: 2, threads: 1 });
  expect(runEngineOptions({ concurrency: 2, threads: 8 })).toEqual({ workers: 2, threads: 4 });
  expect(runEngineOptions({ concurrency: 4, threads: 2 })).toEqual({ workers: 2, threads: 1 });
  expect(runEngineOptions({ concurrency: 2, threads: 3 })).toEqual({ workers: 2, threads: 1 });
  expect(runEngineOptions({ concurrency: 1, threads: 4 })).toEqual({ workers: 1, threads: 4 });
  expect(runEngineOptions({ concurrency: 2, threads: 1 })).toEqual({ workers: 1, threads: 1 });
  expect(runEngineOptions({ device: 'webgpu', concurrency: 2, threads: 2 })).toEqual({ workers: 1, threads: 2 });
  expect(runEngineOptions({ device: 'cuda', concurrency: 4 }).workers).toBe(1);
});

test('with two workers, a model session that fails at run time is still one asset\'s one-line failure', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'remaster-workers-'));
  try {
    for (const sub of ['bad', 'good', 'models']) await fs.mkdir(path.join(dir, sub));
    await fs.copyFile(path.join(MODELS, 'fails-off-probe.onnx'), path.join(dir, 'models', 'fails-off-probe.onnx'));
    await fs.copyFile(tiny, path.join(dir, 'models', 'tiny-x2.onnx'));
    const png = await sharp(path.join(MODELS, '..', 'textures', 'helmet-basecolor-128.png')).resize(64, 64).png().toBuffer();
    await fs.writeFile(path.join(dir, 'bad', 'a.png'), png);
    for (const name of ['b', 'c', 'd']) await fs.writeFile(path.join(dir, 'good', `${name}.png`), png);
    await fs.writeFile(path.join(dir, 'remaster.config.json'), JSON.stringify({
      rules: [
        { match: 'bad/**', upscale: { scale: 2, model: 'models/fails-off-probe.onnx' } },
        { match: 'good/**', upscale: { scale: 2, model: 'models/tiny-x2.onnx' } },
      ],
    }));
    expect(runEngineOptions({ device: 'cpu', threads: 2, concurrency: 2 }).workers).toBe(2);
    const report = await remasterProject(dir, { device: 'cpu', threads: 2, concurrency: 2 });
    expect(report.processed.map((a) => a.path)).toEqual(['good/b.png', 'good/c.png', 'good/d.png']);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0].path).toBe('bad/a.png');
    expect(report.failed[0].error).not.toContain('\n');
    expect(report.failed[0].error).toMatch(/reshape/i);
    for (const name of ['b', 'c', 'd']) expect((await sharp(path.join(dir, 'good', `${name}.png`)).metadata()).width).toBe(128);
    expect(await fs.readFile(path.join(dir, 'bad', 'a.png'))).toEqual(png); // untouched
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
