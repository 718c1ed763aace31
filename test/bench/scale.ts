/**
 * Scale figures (issue 14), each with its target, old and new measured in the same run:
 *
 *   1. State commit cost per asset in a project that already holds N assets (1k vs 10k, and 100k with
 *      --big): the journal (one record per save) against rewriting state.json whole per save (what
 *      every commit did before), same save pattern as commitAsset (two saves per asset).
 *   2. A generated project (test/soak/big-project.ts) of --assets assets remastered in-process with the
 *      shipped default rules: first-run time outside the engine per asset (wall time less the time
 *      inside engine.upscale/resize), the no-op second run's time and whether it loaded a model (an
 *      inference session; the engine logs each), with and without the change gate's stamps.
 *   3. With --watch N: watch latency for one changed texture, a 10-asset project against an N-asset one
 *      watched at the same time (watch-scale.ts; target ratio ≤ 1.5 at 100k).
 *
 *   npm run bench:scale -- [--assets 1000] [--commits 20] [--big] [--watch 10000] [--project-only] [--fast-prepare] [--first-run-only]
 *
 * --first-run-only (with --project-only) stops after the first-run figure: at 100k assets the no-op,
 * gate and second-machine figures after it take longer than the first run itself. The first run's
 * process CPU is printed too, less load-sensitive than wall time on a shared machine.
 * --project-only runs part 2 alone. --fast-prepare builds the state for the no-op figure with fsync
 * switched off in the first run (whose figures are then not printed): a 100k-asset first run is
 * otherwise dominated by fsync waits on a slow disk, and what a no-op run reads is the same either way.
 * With --watch it also sets up the watched projects that way (watch-scale.ts).
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type Engine } from '../../plugin/engine';
import { remasterProject } from '../../plugin/pipeline/project';
import { compactState, loadState, saveState, type StateData } from '../../plugin/state/store';
import { buildBigProject } from '../soak/big-project';
import { watchScaleFigures } from './watch-scale';
import { median } from './median';
import { instrumentSyncs, syncWait } from './sync-wait';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}

const hash = (n: number) => n.toString(16).padStart(64, '0');

/** A state of `n` remastered textures, the shape a run leaves (one file record, one asset record each). */
function syntheticState(n: number): StateData {
  const state: StateData = { version: 1, files: {}, assets: {} };
  for (let i = 0; i < n; i++) {
    const rel = `set${Math.floor(i / 100)}/t${i}.png`;
    state.files[rel] = { original: hash(i), output: hash(i + 1e7) };
    state.assets[rel] = { type: 'texture', files: [rel], fingerprint: hash(i + 2e7), rules: ['remaster.config.json#0'], engines: ['remaster-x2-fast@cpu'] };
  }
  return state;
}

/** A project's .remaster/ holding a state of `size` assets, loaded, ready for commits. */
async function stateProject(size: number): Promise<{ root: string; state: StateData }> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'remaster-bench-state-'));
  await fs.mkdir(path.join(root, '.remaster'));
  await compactState(root, syntheticState(size));
  return { root, state: await loadState(root) };
}

let serial = 0;
/** Milliseconds per asset of `commits` commits (intent + final save, as commitAsset), journal or whole-file saves. */
async function commitCost({ root, state }: { root: string; state: StateData }, commits: number, whole: boolean, cpuOut?: number[]): Promise<number> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let c = 0; c < commits; c++) {
    const rel = `new/n${serial++}.png`;
    const changes = { files: [rel], assets: [rel] };
    state.files[rel] = { original: hash(c), output: hash(c), pending: hash(c + 5e7) };
    state.assets[rel] = { type: 'texture', files: [rel], fingerprint: '', rules: [], engines: [] };
    await (whole ? compactState(root, state) : saveState(root, state, changes));
    delete state.files[rel].pending;
    state.files[rel].output = hash(c + 5e7);
    state.assets[rel].fingerprint = hash(c + 6e7);
    await (whole ? compactState(root, state) : saveState(root, state, changes));
  }
  const cpu = process.cpuUsage(cpu0);
  cpuOut?.push((cpu.user + cpu.system) / 1000 / commits);
  return Number(process.hrtime.bigint() - t0) / 1e6 / commits;
}


/** The engine, with the time spent inside it summed. */
function timedEngine(engine: Engine): { engine: Engine; ms: () => number } {
  let ns = 0n;
  const timed = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
    const t0 = process.hrtime.bigint();
    try {
      return await fn(...a);
    } finally {
      ns += process.hrtime.bigint() - t0;
    }
  };
  return { engine: { ...engine, upscale: timed(engine.upscale), resize: timed(engine.resize) }, ms: () => Number(ns) / 1e6 };
}

/** Models loaded (one inference session each, in this thread or the engine's worker): the engine logs each. */
let sessions = 0;
const countModels = (line: string) => {
  if (/^model \S+: x\d/.test(line)) sessions++;
};

async function projectFigures(assets: number, fastPrepare: boolean): Promise<void> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'remaster-bench-big-'));
  try {
    const g0 = Date.now();
    const made = await buildBigProject(root, assets);
    console.log(`project: ${assets} assets (${made.textures} textures, ${made.models} .gltf), ${made.files} files, generated in ${((Date.now() - g0) / 1000).toFixed(1)} s`);

    const cache = path.join(root + '-cache');
    sessions = 0;
    await instrumentSyncs();
    syncWait.off = fastPrepare;
    const first = timedEngine(createEngine({ projectRoot: root, log: countModels }));
    const cpu1 = process.cpuUsage();
    const t1 = process.hrtime.bigint();
    const r1 = await remasterProject(root, { engine: first.engine, cache: fastPrepare ? undefined : cache });
    const wall1 = Number(process.hrtime.bigint() - t1) / 1e6;
    await first.engine.close();
    syncWait.off = false;
    const cpu = process.cpuUsage(cpu1);
    const outside = (wall1 - first.ms()) / assets;
    if (fastPrepare) {
      console.log(`first run with fsync switched off (--fast-prepare: only to build the state the no-op run reads; not a first-run figure): ${(wall1 / 1000).toFixed(1)} s, ${r1.processed.length} processed, ${r1.failed.length} failed`);
    } else {
      console.log(`first run (with --cache): ${(wall1 / 1000).toFixed(1)} s, ${r1.processed.length} processed, ${r1.failed.length} failed; engine ${(first.ms() / 1000).toFixed(1)} s; ` +
        `outside the engine ${outside.toFixed(2)} ms/asset wall (target ≤ 3 at 100k; measured at ${assets}), ${syncWait.calls} fsyncs (${(syncWait.calls / assets).toFixed(1)} per asset), ` +
        `pending ${(Number(syncWait.pendingNs) / 1e6 / assets).toFixed(2)} ms/asset of wall time (their waits summed, side by side: ${(Number(syncWait.ns) / 1e6 / assets).toFixed(2)}); process CPU ${((cpu.user + cpu.system) / 1000 / assets).toFixed(2)} ms/asset incl. engine ` +
        `(user ${(cpu.user / 1000 / assets).toFixed(2)}, system ${(cpu.system / 1000 / assets).toFixed(2)}); load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; models loaded ${sessions}`);
      if (process.argv.includes('--first-run-only')) return;
    }

    sessions = 0;
    const t2 = process.hrtime.bigint();
    const r2 = await remasterProject(root, { log: countModels });
    const wall2 = Number(process.hrtime.bigint() - t2) / 1e6;
    const met = assets >= 100_000 ? (wall2 <= 10_000 && sessions === 0 ? 'MET' : 'MISSED') : `not a 100k run: no verdict (measured at ${assets})`;
    console.log(`no-op run at ${assets} assets: ${(wall2 / 1000).toFixed(2)} s (${(wall2 / assets).toFixed(3)} ms/asset; target at 100k ≤ 10 s, 0 sessions: ${met}), ${r2.skipped.length} skipped, ` +
      `${r2.processed.length} processed, ${r2.failed.length} failed, model sessions created: ${sessions} (target 0)`);
    if (fastPrepare) {
      const t = process.hrtime.bigint();
      const again = await remasterProject(root, { log: countModels });
      console.log(`no-op run again: ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(2)} s, ${again.skipped.length} skipped, model sessions ${sessions}`);
      return;
    }
    // The change gate's share, in one run: no-op runs with the stamps and without them (every file
    // hashed, as before the gate), alternating; medians.
    const gated: number[] = [];
    const hashed: number[] = [];
    const stamps = path.join(root, '.remaster', 'state.stamps.json');
    const kept = await fs.readFile(stamps);
    for (let i = 0; i < 3; i++) {
      for (const withGate of [true, false]) {
        if (withGate) await fs.writeFile(stamps, kept);
        else await fs.rm(stamps, { force: true });
        const t = process.hrtime.bigint();
        await remasterProject(root);
        (withGate ? gated : hashed).push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }
    await fs.writeFile(stamps, kept);
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
    console.log(`no-op run, medians of 3: gate ${(med(gated) / 1000).toFixed(2)} s, every file hashed ${(med(hashed) / 1000).toFixed(2)} s (gate/hash ${(med(gated) / med(hashed)).toFixed(2)})`);

    // A second machine: the same project generated afresh, the cache warm.
    const copy = root + '-copy';
    await buildBigProject(copy, assets);
    const warm = timedEngine(createEngine({ projectRoot: copy, log: countModels }));
    let calls = 0;
    const upscale = warm.engine.upscale;
    warm.engine.upscale = (...a) => (calls++, upscale(...a));
    sessions = 0;
    const t3 = process.hrtime.bigint();
    const r3 = await remasterProject(copy, { engine: warm.engine, cache });
    const wall3 = Number(process.hrtime.bigint() - t3) / 1e6;
    await warm.engine.close();
    console.log(`second machine, warm cache: ${(wall3 / 1000).toFixed(1)} s, ${r3.processed.length} processed, engine calls ${calls} (target 0), model sessions ${sessions}`);
    await fs.rm(copy, { recursive: true, force: true });
  } finally {
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(root + '-cache', { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--project-only')) return projectFigures(arg('assets', 1000), process.argv.includes('--fast-prepare'));
  const commits = arg('commits', 20);
  const sizes = process.argv.includes('--big') ? [1000, 10_000, 100_000] : [1000, 10_000];
  const rounds = 7;
  console.log(`state commit cost per asset (2 saves each), journal vs whole state.json per save; sizes interleaved over ${rounds} rounds (${commits} journal commits per size and round), medians:`);
  const projects = await Promise.all(sizes.map(stateProject));
  const journal = sizes.map(() => [] as number[]);
  const journalCpu = sizes.map(() => [] as number[]);
  const whole = sizes.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < sizes.length; i++) {
      journal[i].push(await commitCost(projects[i], commits, false, journalCpu[i]));
      if (r < 3) whole[i].push(await commitCost(projects[i], Math.max(2, Math.round(20_000 / sizes[i])), true));
    }
  }
  sizes.forEach((size, i) => {
    const j = median(journal[i]);
    const w = median(whole[i]);
    console.log(`  ${String(size).padStart(6)} assets: journal ${j.toFixed(2)} ms wall (${median(journalCpu[i]).toFixed(3)} ms CPU), whole file ${w.toFixed(2)} ms (${(w / j).toFixed(1)}x)`);
  });
  console.log(`  journal ratio ${sizes.at(-1)} / ${sizes[0]}: wall ${(median(journal.at(-1)!) / median(journal[0])).toFixed(2)}, CPU ${(median(journalCpu.at(-1)!) / median(journalCpu[0])).toFixed(2)} (target ≤ 1.3); ` +
    `whole file ratio ${(median(whole.at(-1)!) / median(whole[0])).toFixed(1)}`);
  for (const p of projects) await fs.rm(p.root, { recursive: true, force: true });
  if (arg('assets', 1000) > 0) await projectFigures(arg('assets', 1000), process.argv.includes('--fast-prepare'));
  if (arg('watch', 0) > 0) await watchScaleFigures(arg('watch', 0), { fastPrepare: process.argv.includes('--fast-prepare') });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
