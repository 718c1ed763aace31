/**
 * `npm run bench` (Texture Multiplier part): one 1024² variant of a 512² exemplar with 3 maps (colour,
 * normal, ORM) — the target is ≤ 10 s on 2 CPU cores — plus the two eval baselines on the same
 * input. Wall time AND process CPU time (user+system, every thread) per configuration, best of --repeat:
 * on a shared machine the CPU time is the figure other load cannot inflate much. The first rows use the
 * default threads (min(2, cores)); one row repeats the first on one thread, for the ratio.
 *
 *   npm run bench                                    # whole bench, this part last
 *   node dist/test/bench/vary.js --repeat 3 --size 1024
 */
import path from 'node:path';
import sharp from 'sharp';
import { varyTexture, type VaryMap } from '../../plugin/ops/vary';
import { defaultThreads } from '../../plugin/ops/vary/vary-texture';
import { histogramBlend, shuffledTiles } from '../../plugin/ops/vary/baselines';
import type { RawImage } from '../../plugin/types';

const ROOT = path.join(__dirname, '..', '..', '..');
const STONES = path.join(ROOT, 'fixtures', 'sample-project', 'textures');

async function load(file: string, size: number): Promise<RawImage> {
  const { data, info } = await sharp(path.join(STONES, file)).removeAlpha().resize(size, size, { kernel: 'lanczos3' }).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
}

function measure(fn: () => void, repeat: number): { wall: number; cpu: number } {
  let best = { wall: Infinity, cpu: Infinity };
  for (let r = 0; r < repeat; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    fn();
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    if (wall < best.wall) best = { wall, cpu };
  }
  return best;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, def: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : def);
  const exemplar = opt('--exemplar', 512);
  const size = opt('--size', 1024);
  const repeat = opt('--repeat', 2);
  const maps: VaryMap[] = [
    { slot: 'color', kind: 'color', image: await load('stones.png', exemplar) },
    { slot: 'normal', kind: 'normal', image: await load('stones_n.png', exemplar) },
    { slot: 'orm', kind: 'data', image: await load('stones_orm.png', exemplar) },
  ];
  const rows: [string, { wall: number; cpu: number }][] = [];
  rows.push([`vary: 1 variant ${size}² of ${exemplar}², 3 maps`, measure(() => varyTexture(maps, { count: 1, seed: 1, width: size, height: size }), repeat)]);
  // The self-check (self-check.ts) is part of every run; this row shows what it costs.
  rows.push([`vary: the same, check: false`, measure(() => varyTexture(maps, { count: 1, seed: 1, width: size, height: size, check: false }), repeat)]);
  rows.push([`vary: the same as the first, threads: 1`, measure(() => varyTexture(maps, { count: 1, seed: 1, width: size, height: size, threads: 1 }), repeat)]);
  rows.push([`vary: 4 variants ${size}², 3 maps (per variant)`, (() => {
    const m = measure(() => varyTexture(maps, { count: 4, seed: 1, width: size, height: size }), 1);
    return { wall: m.wall / 4, cpu: m.cpu / 4 };
  })()]);
  const cell = Math.round(exemplar / 4);
  rows.push([`baseline shuffled tiles ${size}², 3 maps`, measure(() => shuffledTiles(maps, { width: size, height: size, seed: 1, cell }), repeat)]);
  rows.push([`baseline Heitz-Neyret ${size}², 3 maps`, measure(() => histogramBlend(maps, { width: size, height: size, seed: 1, cell }), repeat)]);
  process.stdout.write(`\nTexture Multiplier (node ${process.version}, threads ${defaultThreads()}; target: first row ≤ 10 s)\n`);
  process.stdout.write(`${'configuration'.padEnd(48)} ${'wall s'.padStart(8)} ${'cpu s'.padStart(8)}\n`);
  for (const [name, m] of rows) process.stdout.write(`${name.padEnd(48)} ${m.wall.toFixed(2).padStart(8)} ${m.cpu.toFixed(2).padStart(8)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
