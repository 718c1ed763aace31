/**
 * The engine's targets (issue 13), each measured as a ratio in one run so machine load cancels out,
 * and printed next to its target:
 *
 * 1. engine ÷ session.run: engine.upscale time over the time spent inside `session.run` (in the
 *    inference worker) on those very tiles, x2 and x4 shipped models, 1024² input.
 * 2. project ÷ engine: `remasterProject` over a generated project of 40 distinct textures (with the
 *    engine `remaster run` makes for itself, pipeline/run-engine.ts, loaded beforehand) over the sum of
 *    engine.upscale times of the same 40 images, upscaled one after another by the default engine (one
 *    worker, every core). Also, for the work outside inference alone: the run over its own engine's time
 *    for the same 40 upscales, `--jobs` at a time (decode, encode, hashing, commits, state).
 *    Also the --jobs x --threads table the default `--jobs` was chosen from (`--project-configs default`:
 *    only the defaults), and the defaults under V8's own garbage-collector setting: the bench sets what
 *    `remaster run` sets (plugin/gc-tuning.ts) for every run but that one.
 * 3. CLI ÷ engine: `remaster upscale` of a 512² texture over engine.upscale of the same image in a
 *    warm engine, twice: in its own process (`--no-server`: start-up, model load, decode, encode, atomic
 *    write) and handed to a resident `remaster serve` of the project (start-up of the client, decode,
 *    encode, atomic write in the server). Also two calls at once against one, on the server.
 * 4. memory: peak RSS of `remaster upscale --scale 4 --device cpu` itself (a fresh process: read, x4
 *    upscale with remaster-x4-fast, write PNG) against 200 MB + 1.3 x the 8-bit output buffer, per size
 *    (x4 of 4096² with `--memory-sizes 4096`; it takes minutes on 2 cores).
 * Plus, for the record: worker ÷ main-thread inference, and threads=all ÷ threads=1.
 *
 *   npm run build && node dist/test/bench/targets.js [--textures 40] [--texture-size 256] [--repeat 2]
 *     [--memory-sizes 512,1024,2048] [--skip engine,project,cli,memory]
 *     [--project-configs all|default]
 */

import { spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import sharp from 'sharp';
import { createEngine, type Engine } from '../../plugin/engine';
import { defaultThreads } from '../../plugin/engine/device';
import { GC_TUNING_FLAG } from '../../plugin/gc-tuning';
import { packageRoot } from '../../plugin/engine/model-source';
import { DEFAULT_CONCURRENCY } from '../../plugin/pipeline/defaults';
import { remasterProject } from '../../plugin/pipeline/project';
import { runEngineOptions } from '../../plugin/pipeline/run-engine';
import type { RawImage } from '../../plugin/types';
import { mosaicTexture } from './texture';
import { median } from './median';

const ROOT = packageRoot();
const FIXTURE = path.join(ROOT, 'fixtures', 'textures', 'helmet-basecolor-128.png');
const BIN = path.join(ROOT, 'bin', 'remaster.js');

interface Args {
  textures: number;
  textureSize: number;
  repeat: number;
  memorySizes: number[];
  skip: Set<string>;
  /** `all`: the --jobs x --threads table; `default`: only the default --jobs and --threads. */
  projectConfigs: 'all' | 'default';
}

function parseArgs(argv: string[]): Args {
  const args: Args = { textures: 40, textureSize: 256, repeat: 2, memorySizes: [512, 1024, 2048], skip: new Set(), projectConfigs: 'all' };
  for (let i = 0; i < argv.length; i += 2) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--textures': args.textures = Number(v); break;
      case '--texture-size': args.textureSize = Number(v); break;
      case '--repeat': args.repeat = Math.max(1, Number(v)); break;
      case '--memory-sizes': args.memorySizes = v.split(',').map(Number); break;
      case '--skip': args.skip = new Set(v.split(',')); break;
      case '--project-configs':
        if (v !== 'all' && v !== 'default') throw new Error('--project-configs must be all or default');
        args.projectConfigs = v;
        break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return args;
}

/** One printed line: what, measured ratio, target, and whether it is met. */
interface Line {
  what: string;
  value: string;
  target: string;
  met?: boolean;
}

const lines: Line[] = [];
function report(what: string, ratio: number, max: number | undefined, detail = ''): void {
  lines.push({ what: detail ? `${what} (${detail})` : what, value: `${ratio.toFixed(2)}x`, target: max === undefined ? '-' : `<= ${max.toFixed(2)}`, met: max === undefined ? undefined : ratio <= max });
  console.log(`  ${what}: ${ratio.toFixed(3)}${max === undefined ? '' : ` (target <= ${max})`} ${detail}`);
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;

/** Best-of-n engine.upscale of one image, with the session.run seconds of that same call. */
async function timeEngine(engine: Engine, image: RawImage, scale: 2 | 4, model: string, repeat: number): Promise<{ seconds: number; run: number }> {
  await engine.upscale(image, { scale, model, kind: 'color' }); // load, probe, first run at this shape
  let best = { seconds: Infinity, run: NaN };
  for (let i = 0; i < repeat; i++) {
    const before = engine.inferenceStats?.().runSeconds ?? NaN;
    const t0 = performance.now();
    await engine.upscale(image, { scale, model, kind: 'color' });
    const s = seconds(t0);
    if (s < best.seconds) best = { seconds: s, run: (engine.inferenceStats?.().runSeconds ?? NaN) - before };
  }
  return best;
}

async function engineTargets(args: Args): Promise<void> {
  console.log('engine ÷ session.run (1024² input, best of repeats):');
  const image = await mosaicTexture(FIXTURE, 1024);
  for (const [model, scale] of [['remaster-x2-fast', 2], ['remaster-x4-fast', 4]] as const) {
    const worker = createEngine({ device: 'cpu' });
    const one = createEngine({ device: 'cpu', threads: 1 });
    const inThread = createEngine({ device: 'cpu', inference: 'main-thread' });
    try {
      const w = await timeEngine(worker, image, scale, model, args.repeat);
      report(`${model} engine ÷ session.run`, w.seconds / w.run, 1.1, `${w.seconds.toFixed(2)} s / ${w.run.toFixed(2)} s, ${defaultThreads()} threads`);
      const m = await timeEngine(inThread, image, scale, model, args.repeat);
      report(`${model} worker ÷ main-thread inference`, w.seconds / m.seconds, undefined, `${m.seconds.toFixed(2)} s on the main thread`);
      const t1 = await timeEngine(one, image, scale, model, args.repeat);
      report(`${model} ${defaultThreads()} threads ÷ 1 thread`, w.seconds / t1.seconds, undefined, `${t1.seconds.toFixed(2)} s on 1 thread`);
    } finally {
      await Promise.all([worker.close(), one.close(), inThread.close()]);
    }
  }
}

/** A project of `count` distinct PNG textures (x2 with the shipped fast model), and the decoded images. */
async function makeProject(dir: string, count: number, size: number): Promise<RawImage[]> {
  await fs.mkdir(path.join(dir, 'tex'), { recursive: true });
  await fs.writeFile(path.join(dir, 'remaster.config.json'), JSON.stringify({ rules: [{ match: '**/*', upscale: { scale: 2, model: 'remaster-x2-fast' } }] }));
  const base = await mosaicTexture(FIXTURE, size);
  const images: RawImage[] = [];
  for (let i = 0; i < count; i++) {
    const data = base.data.map((v, j) => (j % 3 === i % 3 ? 255 - v : (v + 17 * i) & 255));
    images.push({ data, width: size, height: size, channels: 3 });
    await fs.writeFile(path.join(dir, 'tex', `t${String(i).padStart(2, '0')}.png`), await sharp(data, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer());
  }
  return images;
}

async function projectTargets(args: Args, work: string): Promise<void> {
  const cores = defaultThreads();
  v8.setFlagsFromString(GC_TUNING_FLAG); // what `remaster run` runs with
  console.log(`remaster run ÷ summed engine time (${args.textures} textures ${args.textureSize}², x2 remaster-x2-fast, ${cores} cores):`);
  const source = path.join(work, 'project');
  const images = await makeProject(source, args.textures, args.textureSize);
  const table = args.projectConfigs === 'all' ? [
    { jobs: 1, threads: 1 },
    { jobs: 1, threads: cores },
    { jobs: 2, threads: 1 },
    { jobs: 2, threads: cores },
    { jobs: 4, threads: cores },
  ] : [{ jobs: DEFAULT_CONCURRENCY, threads: cores }];
  // `v8gc`: the defaults again under V8's own collector setting (incremental marking), for the record.
  const configs = [...table.map((c) => ({ ...c, v8gc: false })), { jobs: DEFAULT_CONCURRENCY, threads: cores, v8gc: true }]
    .filter((c, i, all) => all.findIndex((d) => d.jobs === c.jobs && d.threads === c.threads && d.v8gc === c.v8gc) === i);
  // As `remaster run` does (bin/remaster.js), switched back only around the V8-default runs.
  const setGc = (v8gc: boolean) => v8.setFlagsFromString(v8gc ? '--incremental-marking' : GC_TUNING_FLAG);
  const engines = new Map<string, Engine>();
  /** The default engine with `threads` threads (jobs undefined), or the one `remaster run --jobs --threads` makes. */
  const engineFor = async (threads: number, jobs?: number) => {
    const key = `${jobs ?? '-'}/${threads}`;
    let e = engines.get(key);
    if (!e) {
      e = createEngine({ device: 'cpu', ...(jobs === undefined ? { threads } : runEngineOptions({ device: 'cpu', threads, concurrency: jobs })) });
      // Loaded, and each worker's session made and run once.
      await Promise.all(images.slice(0, Math.max(1, jobs ?? 1)).map((image) => e!.upscale(image, { scale: 2, model: 'remaster-x2-fast', kind: 'color' })));
      engines.set(key, e);
    }
    return e;
  };
  /** The 40 upscales with `engine`, `jobs` at a time (as many loops, each taking the next image). */
  const upscaleAll = async (engine: Engine, jobs: number) => {
    let next = 0;
    await Promise.all(Array.from({ length: jobs }, async () => {
      while (next < images.length) await engine.upscale(images[next++], { scale: 2, model: 'remaster-x2-fast', kind: 'color' });
    }));
  };
  const runs = new Map<string, number[]>();
  const sums = new Map<number, number[]>();
  const own = new Map<string, number[]>();
  try {
    for (let r = 0; r < args.repeat; r++) {
      // Alternate configurations so drifting load hits all alike.
      for (const c of configs) {
        const engine = await engineFor(c.threads, c.jobs);
        const root = path.join(work, `run-${r}-${c.jobs}-${c.threads}-${c.v8gc}`);
        await fs.cp(source, root, { recursive: true });
        setGc(c.v8gc);
        const t0 = performance.now();
        const result = await remasterProject(root, { engine, concurrency: c.jobs });
        const s = seconds(t0);
        setGc(false);
        if (result.processed.length !== args.textures) throw new Error(`expected ${args.textures} processed: ${JSON.stringify(result.failed)}`);
        const key = `--jobs ${c.jobs} --threads ${c.threads}${c.v8gc ? ' (V8 default GC)' : ''}`;
        runs.set(key, [...(runs.get(key) ?? []), s]);
        await fs.rm(root, { recursive: true, force: true });
        if (!c.v8gc) {
          const t1 = performance.now();
          await upscaleAll(engine, c.jobs);
          own.set(key, [...(own.get(key) ?? []), seconds(t1)]);
        }
      }
      for (const threads of new Set(configs.map((c) => c.threads))) {
        const engine = await engineFor(threads);
        const t0 = performance.now();
        await upscaleAll(engine, 1);
        sums.set(threads, [...(sums.get(threads) ?? []), seconds(t0)]);
      }
    }
  } finally {
    for (const e of engines.values()) await e.close();
  }
  const engineSum = median(sums.get(cores)!);
  const oneThread = sums.get(1);
  console.log(`  summed engine time: ${engineSum.toFixed(2)} s (${cores} threads)${oneThread ? `, ${median(oneThread).toFixed(2)} s (1 thread)` : ''}`);
  for (const [key, times] of runs) {
    const mine = own.get(key);
    const layout = key.includes('V8') ? '' : `; engine ${JSON.stringify(runEngineOptions({ device: 'cpu', threads: Number(key.split(' ')[3]), concurrency: Number(key.split(' ')[1]) }))}`;
    console.log(`  ${key}: median ${median(times).toFixed(2)} s (${times.map((t) => t.toFixed(2)).join(', ')})${mine ? `; its engine alone, jobs at a time: median ${median(mine).toFixed(2)} s (${mine.map((t) => t.toFixed(2)).join(', ')})` : ''}${layout}`);
  }
  const def = `--jobs ${DEFAULT_CONCURRENCY} --threads ${cores}`;
  report('remaster run ÷ summed engine time', median(runs.get(def)!) / engineSum, 1.1, `defaults: ${def}`);
  report('remaster run ÷ its own engine on the same upscales, jobs at a time', median(runs.get(def)!) / median(own.get(def)!), undefined, 'the work outside inference');
  const j1 = runs.get(`--jobs 1 --threads ${cores}`);
  const j2t1 = runs.get('--jobs 2 --threads 1');
  if (j1) report(`--jobs 2 ÷ --jobs 1 (both --threads ${cores})`, median(runs.get(def)!) / median(j1), undefined);
  if (j1 && j2t1) report(`--jobs 2 --threads 1 ÷ --jobs 1 --threads ${cores}`, median(j2t1) / median(j1), undefined);
  report('remaster run ÷ summed engine time, V8 default GC', median(runs.get(`${def} (V8 default GC)`)!) / engineSum, undefined, 'before plugin/gc-tuning.ts');
}

async function cliTargets(args: Args, work: string): Promise<void> {
  console.log('CLI upscale of 512² ÷ engine (x2, default model), in its own process (cold) and handed to a resident `remaster serve`:');
  const image = await mosaicTexture(FIXTURE, 512);
  const project = path.join(work, 'cli-project');
  await fs.mkdir(project);
  await fs.writeFile(path.join(project, 'in512.png'), await sharp(image.data, { raw: { width: 512, height: 512, channels: 3 } }).png().toBuffer());
  const upscale = (...extra: string[]) => {
    const t0 = performance.now();
    const child = spawnSync(process.execPath, [BIN, 'upscale', 'in512.png', 'out512.png', '--device', 'cpu', ...extra], { encoding: 'utf8', cwd: project, env: { ...process.env, REMASTER_DEBUG: '1' } });
    if (child.status !== 0) throw new Error(`remaster upscale failed: ${child.stderr}`);
    return { seconds: seconds(t0), served: child.stderr.includes('debug: ran on the engine server') };
  };
  const engine = createEngine({ device: 'cpu' });
  const server = await startServer(project);
  let cold = Infinity;
  let served = Infinity;
  let warm = Infinity;
  let pair = Infinity;
  try {
    for (let r = 0; r < Math.max(2, args.repeat); r++) {
      // Alternated, so drifting load hits all three alike.
      const here = upscale('--no-server');
      if (here.served) throw new Error('--no-server ran on the server');
      cold = Math.min(cold, here.seconds);
      const there = upscale();
      if (!there.served) throw new Error('the job did not run on the server');
      served = Math.min(served, there.seconds);
      warm = Math.min(warm, (await timeEngine(engine, image, 2, 'remaster-x2-fast', 1)).seconds);
      // Two clients at once: the server queues them (one job at a time on all cores).
      const t0 = performance.now();
      await Promise.all(['a', 'b'].map((name) => spawnAsync(process.execPath, [BIN, 'upscale', 'in512.png', `out-${name}.png`, '--device', 'cpu'], project)));
      pair = Math.min(pair, seconds(t0));
    }
  } finally {
    await engine.close();
    await server.stop();
  }
  spawnSync(process.execPath, [BIN, '--help']); // file cache warm
  const t0 = performance.now();
  spawnSync(process.execPath, [BIN, '--help']);
  const helpSeconds = seconds(t0);
  report('CLI upscale 512² ÷ engine, in-process (cold: --no-server)', cold / warm, 1.5, `${cold.toFixed(2)} s / ${warm.toFixed(2)} s; remaster --help ${helpSeconds.toFixed(2)} s`);
  report('CLI upscale 512² ÷ engine, remaster serve resident', served / warm, 1.5, `${served.toFixed(2)} s / ${warm.toFixed(2)} s`);
  report('two CLI upscales at once ÷ one, remaster serve resident', pair / served, undefined, `${pair.toFixed(2)} s: queued, one job at a time`);
}

/** `remaster serve <dir>` in a child process, ready when its socket is there. */
async function startServer(dir: string): Promise<{ stop(): Promise<void> }> {
  const child = spawn(process.execPath, [BIN, 'serve', dir, '--idle-timeout', '600'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Ready when it has loaded the default model (its prewarm logs the model line).
  for (let waited = 0; !/model remaster-x2-fast/.test(output); waited += 50) {
    if (child.exitCode !== null || waited > 60_000) throw new Error(`remaster serve did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function spawnAsync(command: string, argv: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd, stdio: 'ignore' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${argv.join(' ')} exited ${code}`))));
  });
}

interface MemoryResult {
  size: number;
  outMB: number;
  peakMB: number;
  seconds: number;
  error?: string;
}

/**
 * Peak RSS of the real CLI, `remaster upscale in.png out.png --scale 4 --device cpu`, in a process of its
 * own (worker thread, onnxruntime and libvips included): what a user's machine sees, nothing the bench
 * itself loads (measured: the bench's own modules add ~30 MB to a process that imports them).
 */
async function memoryChild(size: number, work: string): Promise<MemoryResult> {
  const input = path.join(work, `mem-${size}.png`);
  const output = path.join(work, `mem-${size}-x4.png`);
  const peakFile = path.join(work, `mem-${size}.peak`);
  const outMB = (size * 4) ** 2 * 3 / 2 ** 20;
  const t0 = performance.now();
  const child = spawnSync(process.execPath, ['-r', path.join(__dirname, 'peak-rss.js'), BIN, 'upscale', input, output, '--scale', '4', '--device', 'cpu'], {
    encoding: 'utf8',
    env: { ...process.env, REMASTER_PEAK_RSS_FILE: peakFile },
  });
  const s = seconds(t0);
  await fs.rm(output, { force: true });
  if (child.status !== 0) return { size, outMB, peakMB: NaN, seconds: s, error: `remaster upscale exited ${child.status}: ${child.stderr.trim()}` };
  return { size, outMB, peakMB: Number(await fs.readFile(peakFile, 'utf8')) / 1024, seconds: s };
}

async function memoryTargets(args: Args, work: string): Promise<void> {
  console.log('memory: peak RSS of `remaster upscale --scale 4 --device cpu` (remaster-x4-fast), one process per size:');
  for (const size of args.memorySizes) {
    const tex = await mosaicTexture(FIXTURE, size);
    await sharp(tex.data, { raw: { width: size, height: size, channels: 3 } }).png().toFile(path.join(work, `mem-${size}.png`));
    const r = await memoryChild(size, work);
    if (r.error) {
      console.log(`  ${size}² x4: ${r.error}`);
      lines.push({ what: `memory x4 of ${size}²`, value: r.error, target: '', met: false });
      continue;
    }
    const bound = 200 + 1.3 * r.outMB;
    const detail = `peak ${r.peakMB.toFixed(0)} MB, output buffer ${r.outMB.toFixed(0)} MB, bound ${bound.toFixed(0)} MB, ${r.seconds.toFixed(1)} s`;
    report(`memory x4 of ${size}²: peak ÷ (200 MB + 1.3 x output)`, r.peakMB / bound, 1, detail);
    console.log(`    peak = 200 MB + ${((r.peakMB - 200) / r.outMB).toFixed(2)} x output`);
  }
}

export async function runTargets(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'remaster-targets-'));
  try {
    if (!args.skip.has('engine')) await engineTargets(args);
    if (!args.skip.has('project')) await projectTargets(args, work);
    if (!args.skip.has('cli')) await cliTargets(args, work);
    if (!args.skip.has('memory')) await memoryTargets(args, work);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
  const width = Math.max(...lines.map((l) => l.what.length));
  console.log(`\ntargets (${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}):`);
  for (const l of lines) {
    console.log(`${l.what.padEnd(width)}  ${l.value.padStart(8)}  ${l.target.padEnd(8)}  ${l.met === undefined ? '' : l.met ? 'met' : 'MISSED'}`);
  }
}

if (require.main === module) {
  runTargets(process.argv.slice(2)).catch((err) => { console.error(`bench: ${(err as Error).message}`); process.exitCode = 1; });
}
