/**
 * Where the wall time of `remaster upscale` of a 512² texture goes (issue 13: CLI ÷ warm engine), phase by
 * phase: each call traced by cli-trace.ts (ms since the spawn), alternating with the same upscale in a warm
 * engine in this process; medians over `--repeat` calls. `--before <checkout>` alternates the CLI of another
 * built checkout too (its own bin/remaster.js, this file's tracer), for before/after tables in one run.
 *
 *   npm run build && node dist/test/bench/cli-phases.js [--repeat 10] [--before ../other-checkout]
 *
 * Run it at real-time priority on a shared machine (`chrt -r 5`, see plugin/engine/README.md).
 */
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createEngine } from '../../plugin/engine';
import { packageRoot } from '../../plugin/engine/model-source';
import { median } from './median';
import { mosaicTexture } from './texture';

const ROOT = packageRoot();
const FIXTURE = path.join(ROOT, 'fixtures', 'textures', 'helmet-basecolor-128.png');
const TRACER = path.join(__dirname, 'cli-trace.js');

type Line = [ms: number, thread: string, event: string, detail?: string];

/** The phases, in order: name and how to find its time in one call's trace (NaN when absent). */
const PHASES: Array<[string, (t: Line[]) => number]> = [
  ['main: node started, first JS runs', (t) => at(t, 'M', 'preload')],
  ['main: commander loaded', (t) => at(t, 'M', 'load>', 'commander')],
  ['main: sharp load starts', (t) => at(t, 'M', 'load<', 'sharp')],
  ['main: sharp loaded', (t) => at(t, 'M', 'load>', 'sharp')],
  ['worker: first JS runs', (t) => at(t, 'W', 'preload')],
  ['worker: onnxruntime loaded', (t) => at(t, 'W', 'load>', 'onnxruntime-node')],
  ['worker: session creation starts', (t) => at(t, 'W', 'create<')],
  ['worker: session created', (t) => at(t, 'W', 'create>')],
  ['first tile starts', (t) => runs(t)[0][0] - Number(runs(t)[0][3])],
  ['last tile ends', (t) => runs(t).at(-1)![0]],
  ['sum of the tiles\' session.run times', (t) => runs(t).reduce((s, l) => s + Number(l[3]), 0)],
  ['worker exits', (t) => at(t, 'W', 'exit')],
  ['output written and synced (rename starts)', (t) => at(t, 'M', 'rename<')],
  ['main: exit event', (t) => at(t, 'M', 'exit')],
];

function at(trace: Line[], thread: string, event: string, detail?: string): number {
  return trace.find((l) => l[1] === thread && l[2] === event && (detail === undefined || l[3] === detail))?.[0] ?? NaN;
}
const runs = (trace: Line[]) => trace.filter((l) => l[2] === 'run');

async function tracedCall(root: string, input: string, work: string): Promise<Line[] & { gone: number }> {
  const file = path.join(work, 'trace.txt');
  await fs.rm(file, { force: true });
  const t0 = performance.timeOrigin + performance.now();
  const child = spawnSync(process.execPath, ['-r', TRACER, path.join(root, 'bin', 'remaster.js'), 'upscale', input, path.join(work, 'out.png'), '--device', 'cpu'], {
    encoding: 'utf8',
    env: { ...process.env, REMASTER_TRACE_FILE: file, REMASTER_TRACE_T0: String(t0) },
  });
  const gone = performance.timeOrigin + performance.now() - t0;
  if (child.status !== 0) throw new Error(`remaster upscale failed: ${child.stderr}`);
  const lines = (await fs.readFile(file, 'utf8')).trim().split('\n').map((l) => {
    const [ms, thread, event, detail] = l.split(' ');
    return [Number(ms), thread, event, detail] as Line;
  });
  return Object.assign(lines, { gone });
}

async function main(argv: string[]): Promise<void> {
  const repeat = argv.includes('--repeat') ? Number(argv[argv.indexOf('--repeat') + 1]) : 10;
  const before = argv.includes('--before') ? path.resolve(argv[argv.indexOf('--before') + 1]) : undefined;
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'remaster-cli-phases-'));
  const builds = [...(before ? [['before', before]] : []), ['this build', ROOT]] as Array<[string, string]>;
  const image = await mosaicTexture(FIXTURE, 512);
  const input = path.join(work, 'in512.png');
  await fs.writeFile(input, await sharp(image.data, { raw: { width: 512, height: 512, channels: 3 } }).png().toBuffer());
  const engine = createEngine({ device: 'cpu' });
  const times = new Map<string, number[][]>(builds.map(([name]) => [name, []]));
  const warm: number[] = [];
  try {
    await engine.upscale(image, { scale: 2, model: 'remaster-x2-fast', kind: 'color' });
    for (let r = 0; r < repeat; r++) {
      for (const [name, root] of builds) {
        const trace = await tracedCall(root, input, work);
        times.get(name)!.push([...PHASES.map(([, find]) => find(trace)), trace.gone]);
      }
      const t0 = performance.now();
      await engine.upscale(image, { scale: 2, model: 'remaster-x2-fast', kind: 'color' });
      warm.push(performance.now() - t0);
    }
  } finally {
    await engine.close();
    await fs.rm(work, { recursive: true, force: true });
  }
  const names = [...PHASES.map(([name]) => name), 'process gone (its parent sees the exit)'];
  console.log(`remaster upscale of 512² (x2), ms since spawn, medians of ${repeat} alternated calls (load ${os.loadavg()[0].toFixed(1)}):`);
  console.log(`| phase | ${builds.map(([name]) => name).join(' | ')} |\n| --- |${builds.map(() => ' --- |').join('')}`);
  names.forEach((name, i) => console.log(`| ${name} | ${builds.map(([b]) => median(times.get(b)!.map((row) => row[i])).toFixed(0)).join(' | ')} |`));
  console.log(`| warm engine, the same upscale (engine.upscale, alternated) | ${builds.map(() => median(warm).toFixed(0)).join(' | ')} |`);
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`bench: ${(err as Error).message}`);
  process.exitCode = 1;
});
