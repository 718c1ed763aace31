/**
 * `npm run bench`: throughput and memory of the engine, printed as a table.
 *
 *   npm run bench                       # CPU, shipped models + Lanczos, 512² and 2048² inputs
 *   npm run bench -- --device webgpu    # on a machine with a GPU
 *   npm run bench -- --sizes 512 --models lanczos,remaster-x2-fast --tile 384 --repeat 3
 *   npm run bench -- --targets-only --memory-sizes 512,4096   # only the issue-13 target ratios (targets.ts)
 *
 * Each configuration runs in its own child process, so its peak RSS (getrusage maxrss) is its own.
 * Per configuration: output megapixels per second through engine.upscale (colour RGB texture, the
 * model's own scale); the time spent inside `session.run` on those very tiles in that same call
 * (timed in the inference worker, engine.inferenceStats()), so pipeline overhead shows as a ratio that
 * other load on the machine cannot skew; peak RSS and peak `external` memory (native buffers).
 * sharp's resize is the classical floor (libvips: Lanczos-3 when shrinking, bicubic when enlarging).
 */

import { fork } from 'node:child_process';
import path from 'node:path';
import sharp from 'sharp';
import { createEngine, shippedModels } from '../../plugin/engine';
import { resolveModel } from '../../plugin/engine/model-source';
import { loadModel } from '../../plugin/engine/onnx-model';
import { defaultTile } from '../../plugin/engine/tile-layout';
import { crop } from '../../plugin/engine/wrap';
import type { DeviceChoice, RawImage } from '../../plugin/types';
import { mosaicTexture } from './texture';
import { runTargets } from './targets';

interface BenchArgs {
  /** Arguments for the targets part (targets.ts), or null to skip it. */
  targets: string[] | null;
  /** Skip the per-model throughput table. */
  targetsOnly: boolean;
  device: DeviceChoice;
  sizes: number[];
  models: string[];
  tile?: number;
  /** Timed repetitions per configuration; the best is reported (other load on the machine only adds). */
  repeat: number;
}

/** One measured configuration (one child process). */
interface Job {
  model: string; // 'lanczos' | 'sharp' | model name or path
  scale: number;
  size: number;
  device: DeviceChoice;
  tile?: number;
  repeat: number;
}

interface JobResult extends Job {
  engine: string;
  outMegapixels: number;
  seconds: number;
  rawSeconds?: number;
  tiles?: string;
  peakRssMB: number;
  peakExternalMB: number;
  error?: string;
}

const ROOT = path.join(__dirname, '..', '..', '..'); // dist/test/bench -> package root

function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = { targets: [], targetsOnly: false, device: 'cpu', sizes: [512, 2048], models: [], repeat: 1 };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--no-targets': args.targets = null; break;
      case '--targets-only': args.targetsOnly = true; break;
      case '--textures': case '--texture-size': case '--memory-sizes': case '--skip':
        args.targets?.push(argv[i], value); i++; break;
      case '--device': args.device = value as DeviceChoice; i++; break;
      case '--sizes': args.sizes = value.split(',').map(Number); i++; break;
      case '--models': args.models = value.split(','); i++; break;
      case '--tile': args.tile = Number(value); i++; break;
      case '--repeat': args.repeat = Math.max(1, Number(value)); i++; break;
      default: throw new Error(`unknown argument ${argv[i]} (use --device, --sizes, --models, --tile, --repeat, --no-targets, --targets-only, --textures, --texture-size, --memory-sizes, --skip)`);
    }
  }
  return args;
}

/** Models to bench: the shipped ones, else the tiny test model as a stand-in (clearly labelled). */
function defaultModels(): string[] {
  const shipped = shippedModels();
  return shipped.length ? shipped : [path.join(ROOT, 'fixtures', 'models', 'tiny-x2.onnx')];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.targetsOnly) await throughput(args);
  // The targets are CPU figures (this session had no GPU): run them when benching the CPU.
  if (args.targets && args.device === 'cpu') await runTargets(args.targets);
}

async function throughput(args: BenchArgs): Promise<void> {
  const models = args.models.length ? args.models : defaultModels();
  if (!args.models.length && !shippedModels().length) {
    console.log('note: no shipped models in models/ yet; benching the tiny test model fixtures/models/tiny-x2.onnx');
  }
  const jobs: Job[] = [];
  for (const size of args.sizes) {
    for (const scale of [2, 4]) {
      jobs.push({ model: 'sharp', scale, size, device: 'cpu', repeat: args.repeat });
      jobs.push({ model: 'lanczos', scale, size, device: 'cpu', repeat: args.repeat });
    }
    for (const model of models) {
      const scale = await nativeScale(model, args.device);
      jobs.push({ model, scale, size, device: args.device, tile: args.tile, repeat: args.repeat });
    }
  }
  const results: JobResult[] = [];
  for (const job of jobs) {
    process.stderr.write(`bench: ${label(job.model)} x${job.scale} ${job.size}² on ${job.device} ...\n`);
    results.push(await runChild(job));
  }
  printTable(results);
}

async function nativeScale(model: string, device: DeviceChoice): Promise<number> {
  const source = resolveModel(model, process.cwd());
  if (source.kind !== 'onnx') return 2;
  const m = await loadModel(source.file, source.label, device, () => undefined);
  await m.session.release();
  return m.info.scale;
}

function runChild(job: Job): Promise<JobResult> {
  return new Promise((resolve) => {
    const child = fork(__filename, ['--child', JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    child.on('message', (msg) => resolve(msg as JobResult));
    child.on('exit', (code) => {
      if (code !== 0) resolve({ ...job, engine: '-', outMegapixels: 0, seconds: NaN, peakRssMB: NaN, peakExternalMB: NaN, error: `child exited ${code}` });
    });
  });
}

/** Child side: one configuration, measured, sent back over IPC. */
async function runJob(job: Job): Promise<JobResult> {
  let peakExternal = 0;
  const sample = () => { peakExternal = Math.max(peakExternal, process.memoryUsage().external); };
  const timer = setInterval(sample, 10);
  const input = await mosaicTexture(path.join(ROOT, 'fixtures', 'textures', 'helmet-basecolor-128.png'), job.size);
  const outMegapixels = (job.size * job.scale) ** 2 / 1e6;
  try {
    if (job.model === 'sharp') {
      const seconds = await best(job.repeat, () =>
        sharp(input.data, { raw: { width: input.width, height: input.height, channels: input.channels } })
          .resize(job.size * job.scale, job.size * job.scale, { kernel: 'lanczos3' }).raw().toBuffer());
      return finish(job, 'sharp resize', outMegapixels, seconds);
    }
    const engine = createEngine({ device: job.device, tileSize: job.tile });
    // Warm up on one tile's worth of texture: session creation, the scale probe and the first run
    // at the tile shape (arena growth) are not throughput.
    const warm = Math.min(job.size, job.tile ?? defaultTile(job.device === 'auto' ? 'cpu' : job.device, job.scale));
    await engine.upscale(crop(input as RawImage, 0, 0, warm, warm), { scale: job.scale as 2 | 4, model: job.model, kind: 'color' });
    sample();
    let id = '';
    let fastest: { seconds: number; inRun: number; runs: number } | undefined;
    for (let i = 0; i < job.repeat; i++) {
      const before = engine.inferenceStats!();
      const started = performance.now();
      id = (await engine.upscale(input, { scale: job.scale as 2 | 4, model: job.model, kind: 'color' })).engine;
      const seconds = (performance.now() - started) / 1000;
      const after = engine.inferenceStats!();
      if (!fastest || seconds < fastest.seconds) fastest = { seconds, inRun: after.runSeconds - before.runSeconds, runs: after.runs - before.runs };
    }
    await engine.close();
    const raw = job.model === 'lanczos' || !fastest ? undefined : { seconds: fastest.inRun, tiles: String(fastest.runs) };
    return finish(job, id, outMegapixels, fastest?.seconds ?? NaN, raw);
  } finally {
    clearInterval(timer);
  }

  function finish(j: Job, engine: string, mp: number, seconds: number, raw?: { seconds: number; tiles: string }): JobResult {
    sample();
    return {
      ...j, engine, outMegapixels: mp, seconds, rawSeconds: raw?.seconds, tiles: raw?.tiles,
      peakRssMB: process.resourceUsage().maxRSS / 1024, peakExternalMB: peakExternal / 2 ** 20,
    };
  }
}

/** Best wall time of `repeat` runs, in seconds. */
async function best(repeat: number, fn: () => Promise<unknown>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < repeat; i++) {
    const started = performance.now();
    await fn();
    min = Math.min(min, (performance.now() - started) / 1000);
  }
  return min;
}

function label(model: string): string {
  return model.includes('/') ? path.basename(model) : model;
}

function printTable(results: JobResult[]): void {
  const head = ['engine', 'scale', 'input', 'out MP', 'time s', 'MP/s', 'runs', 'session.run s', 'overhead', 'peak RSS MB', 'peak ext MB'];
  const rows = results.map((r) => [
    r.error ? `${label(r.model)} (${r.error})` : r.engine, `x${r.scale}`, `${r.size}²`, r.outMegapixels.toFixed(1), r.seconds.toFixed(2),
    (r.outMegapixels / r.seconds).toFixed(2), r.tiles ?? '-', r.rawSeconds?.toFixed(2) ?? '-',
    r.rawSeconds ? `${(r.seconds / r.rawSeconds).toFixed(2)}x` : '-', r.peakRssMB.toFixed(0), r.peakExternalMB.toFixed(0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log('overhead = engine.upscale time / time inside session.run in that call (the rest: tiling, blending, conversions, alpha).');
}

if (process.argv[2] === '--child') {
  runJob(JSON.parse(process.argv[3]) as Job).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (err) => { console.error(`bench child: ${(err as Error).message}`); process.exit(1); },
  );
} else {
  main().catch((err) => { console.error(`bench: ${(err as Error).message}`); process.exitCode = 1; });
}
