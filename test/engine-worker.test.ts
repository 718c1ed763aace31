/**
 * The engine's inference worker, threads option, data maps in one batch, and its own big buffers
 * past sharp's default pixel limit. Real onnxruntime on the tiny models in fixtures/models.
 */
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createEngine } from '../plugin/engine';
import { ownRawInput } from '../plugin/engine/encode-options';
import { InferenceHost } from '../plugin/engine/inference-host';
import { remasterProject } from '../plugin/pipeline/project';
import type { RawImage } from '../plugin/types';
import { diff, MODELS, texture } from './engine-fixtures';

const model = (name: string) => path.join(MODELS, name);

test('a worker that dies fails only the tiles it had, in one line; the next run starts a fresh worker', async () => {
  const host = new InferenceHost({ threads: 1 });
  try {
    const m = await host.load(model('tiny-x2.onnx'), 'tiny', 'cpu', () => undefined);
    expect(m.info).toMatchObject({ scale: 2, batch: true });
    const first = host.threadId;
    const tile = (side: number) => new Float32Array(3 * side * side).fill(0.5);
    // The worker dies before it gets to this tile (the crash is asked for first, and it ends the thread
    // between requests: one ended inside session.run would abort this whole process).
    const crashed = host.crashForTest();
    const pending = m.run(tile(64), 64, 64);
    await crashed;
    await expect(pending).rejects.toThrow(/^inference worker stopped \(exit code 1\)$/);
    const out = await m.run(tile(64), 64, 64); // session recreated in a new worker
    expect(out.length).toBe(3 * 128 * 128);
    expect(host.threadId).toBeDefined();
    expect(host.threadId).not.toBe(first);
  } finally {
    await host.close();
  }
});

test('closing the engine while tiles are still in the worker ends it cleanly, not the whole process', () => {
  // A failed asset can leave its other tiles queued when the run ends and closes the engine. A worker
  // torn down inside onnxruntime's native run aborts the process (exit 134, "terminate called after
  // throwing an instance of 'Napi::Error'"), so this runs in a child process and checks how it ended.
  const script = `
    const { InferenceHost } = require(${JSON.stringify(path.join(__dirname, '..', 'dist', 'plugin', 'engine', 'inference-host.js'))});
    (async () => {
      for (let i = 0; i < 5; i++) {
        const host = new InferenceHost({ threads: 1 });
        const m = await host.load(${JSON.stringify(model('tiny-x2.onnx'))}, 'tiny', 'cpu', () => undefined);
        const runs = [0, 1, 2].map(() => m.run(new Float32Array(3 * 768 * 768).fill(0.5), 768, 768).then(() => 'done', (e) => e.message));
        await new Promise((r) => setTimeout(r, 20 * i));
        await host.close();
        console.log((await Promise.all(runs)).join(','));
      }
    })();`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120_000 });
  expect(child.stderr).not.toMatch(/terminate called/);
  expect(child.status).toBe(0);
  const lines = child.stdout.trim().split('\n');
  expect(lines).toHaveLength(5);
  // Every tile either finished before the close or failed with one line saying why.
  for (const line of lines) for (const r of line.split(',')) expect(['done', 'engine closed']).toContain(r);
});

test('inference is off the main thread: timers keep firing while the model runs', async () => {
  // One 256² tile (tileSize 512), so the texture is ONE session.run: on the main thread it blocks every
  // timer for its whole length; in the worker this thread stays free and a 2 ms interval keeps ticking.
  // Counting ticks (not timing) keeps the test independent of how loaded the machine is: a slower run
  // gives the worker more ticks and the main-thread run none more.
  const img: RawImage = { data: new Uint8Array(256 * 256 * 3).map((_, i) => (i * 7) & 255), width: 256, height: 256, channels: 3 };
  const ticksDuringUpscale = async (inference: 'worker' | 'main-thread') => {
    const engine = createEngine({ device: 'cpu', threads: 1, inference, tileSize: 512 });
    try {
      await engine.upscale(img, { scale: 2, model: 'remaster-x2-fast', kind: 'color' }); // load + warm up
      let ticks = 0;
      const timer = setInterval(() => ticks++, 2);
      const started = performance.now();
      await engine.upscale(img, { scale: 2, model: 'remaster-x2-fast', kind: 'color' });
      const ms = performance.now() - started;
      clearInterval(timer);
      return { ticks, ms };
    } finally {
      await engine.close();
    }
  };
  const worker = await ticksDuringUpscale('worker');
  const mainThread = await ticksDuringUpscale('main-thread');
  // Main thread: the single session.run holds the loop; at most a few ticks around it.
  expect(mainThread.ticks).toBeLessThanOrEqual(3);
  // Worker: the loop runs while the model computes (an idle 2-core machine: one tick per ~2-4 ms).
  expect(worker.ticks).toBeGreaterThan(Math.max(8, 3 * (mainThread.ticks + 1)));
});

test('a model session that fails at run time is a one-line failure of that asset; the run goes on', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'remaster-worker-'));
  try {
    await fs.mkdir(path.join(dir, 'bad'));
    await fs.mkdir(path.join(dir, 'good'));
    await fs.mkdir(path.join(dir, 'models'));
    await fs.copyFile(model('fails-off-probe.onnx'), path.join(dir, 'models', 'fails-off-probe.onnx'));
    await fs.copyFile(model('tiny-x2.onnx'), path.join(dir, 'models', 'tiny-x2.onnx'));
    const png = await sharp(path.join(MODELS, '..', 'textures', 'helmet-basecolor-128.png')).resize(64, 64).png().toBuffer();
    await fs.writeFile(path.join(dir, 'bad', 'a.png'), png);
    await fs.writeFile(path.join(dir, 'good', 'b.png'), png);
    await fs.writeFile(path.join(dir, 'remaster.config.json'), JSON.stringify({
      rules: [
        { match: 'bad/**', upscale: { scale: 2, model: 'models/fails-off-probe.onnx' } },
        { match: 'good/**', upscale: { scale: 2, model: 'models/tiny-x2.onnx' } },
      ],
    }));
    const report = await remasterProject(dir, { device: 'cpu', threads: 1 });
    expect(report.processed.map((a) => a.path)).toEqual(['good/b.png']);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0].path).toBe('bad/a.png');
    expect(report.failed[0].error).not.toContain('\n');
    expect(report.failed[0].error).toMatch(/reshape/i);
    expect((await sharp(path.join(dir, 'good', 'b.png')).metadata()).width).toBe(128);
    expect(await fs.readFile(path.join(dir, 'bad', 'a.png'))).toEqual(png); // untouched
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('data maps: every channel through the model in one batch gives what each channel alone gives', async () => {
  const engine = createEngine({ device: 'cpu', threads: 1 });
  try {
    const rgba = await texture('alpha-blend-128.png');
    expect(rgba.channels).toBe(4);
    const tiny = model('tiny-x2.onnx');
    const before = engine.inferenceStats!().runs;
    const all = (await engine.upscale(rgba, { scale: 2, model: tiny, kind: 'data' })).image;
    const batchedRuns = engine.inferenceStats!().runs - before;
    for (let c = 0; c < 4; c++) {
      const plane: RawImage = { data: new Uint8Array(rgba.width * rgba.height).map((_, i) => rgba.data[i * 4 + c]), width: rgba.width, height: rgba.height, channels: 1 };
      const start = engine.inferenceStats!().runs;
      const alone = (await engine.upscale(plane, { scale: 2, model: tiny, kind: 'data' })).image;
      expect(engine.inferenceStats!().runs - start).toBe(batchedRuns); // same tiles: 4 channels cost one run per tile
      const picked: RawImage = { data: new Uint8Array(all.width * all.height).map((_, i) => all.data[i * 4 + c]), width: all.width, height: all.height, channels: 1 };
      expect(diff(picked, alone).max).toBeLessThanOrEqual(1); // float summation order only
    }
  } finally {
    await engine.close();
  }
});

test('threads: any whole number gives the same picture; anything else is refused in one line', async () => {
  const img = await texture('helmet-basecolor-128.png');
  const one = createEngine({ device: 'cpu', threads: 1 });
  const two = createEngine({ device: 'cpu', threads: 2, inference: 'main-thread' });
  try {
    const a = (await one.upscale(img, { scale: 2, model: model('tiny-x2.onnx'), kind: 'color' })).image;
    const b = (await two.upscale(img, { scale: 2, model: model('tiny-x2.onnx'), kind: 'color' })).image;
    expect(diff(a, b).max).toBeLessThanOrEqual(1);
  } finally {
    await one.close();
    await two.close();
  }
  expect(() => createEngine({ threads: 0 })).toThrow('threads must be a whole number from 1 up (got 0)');
  const bin = path.join(__dirname, '..', 'bin', 'remaster.js');
  const cli = spawnSync(process.execPath, [bin, 'upscale', path.join(MODELS, '..', 'textures', 'helmet-basecolor-128.png'), path.join(os.tmpdir(), 'never.png'), '--threads', '0'], { encoding: 'utf8' });
  expect(cli.status).toBe(2);
  expect(cli.stderr).toContain("option '--threads <n>' argument '0' is invalid. must be a whole number from 1 to 1024");
});

test("buffers the engine made itself pass sharp's default pixel limit (x4 of 4096² is 16384²)", async () => {
  // A smaller proof than encoding 16384² in a unit test: the input check sharp applies before any
  // work, on a raw buffer just over its default limit of 268,402,689 pixels (npm run bench does x4 of 4096²).
  const w = 16385;
  const data = new Uint8Array(w * w);
  const crop = (options: sharp.SharpOptions) => sharp(data, options).extract({ left: 0, top: 0, width: 8, height: 8 }).png().toBuffer();
  await expect(crop({ raw: { width: w, height: w, channels: 1 } })).rejects.toThrow(/exceeds pixel limit/);
  expect((await crop(ownRawInput(w, w, 1))).length).toBeGreaterThan(0);
});

test('engines one after another in one process, then onnxruntime in the main thread: the runtime loads every time', () => {
  // In a fresh process (the built engine): a native addon first loaded by a worker that then exits
  // cannot be loaded again ("Module did not self-register"); the engine pins it in the main thread.
  const script = `
    const { createEngine } = require(${JSON.stringify(path.join(__dirname, '..', 'dist', 'plugin', 'engine'))});
    (async () => {
      const img = { data: new Uint8Array(32 * 32 * 3).fill(100), width: 32, height: 32, channels: 3 };
      for (let i = 0; i < 2; i++) {
        const e = createEngine({ device: 'cpu', threads: 1 });
        await e.upscale(img, { scale: 2, model: ${JSON.stringify(model('tiny-x2.onnx'))}, kind: 'color' });
        await e.close();
      }
      require('onnxruntime-node').listSupportedBackends();
      console.log('ok');
    })().catch((e) => { console.log(e.message); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: path.join(__dirname, '..') });
  expect(r.stdout.trim()).toBe('ok');
});
