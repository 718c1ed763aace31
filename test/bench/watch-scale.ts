/**
 * Watch latency against project size (issue 14): one texture of a remastered, watched project gets new
 * content (written beside it and renamed into place, as editors do); the latency is from the rename to
 * the watcher's `asset` event for it (remastered and committed). A small project (10 assets) and a big
 * one (--assets N, test/soak/big-project.ts) are watched at the same time by two watchers in this
 * process, and the changes alternate between them, so both see the same machine load. Target: big /
 * small ≤ 1.5 (medians).
 *
 * Rules: x2 with the classical `lanczos` engine (no model session: the bench measures the watcher,
 * not inference). The projects are remastered once by remasterProject() before watching (the setup is
 * timed and printed too: the watcher's startup pass is then a no-op run).
 *
 *   npm run bench:scale -- --watch 10000          (part of the scale bench)
 *   npx tsc -p . && node dist/test/bench/watch-scale.js --assets 10000 [--repeat 7] [--stability 100] [--fast-prepare]
 *
 * --fast-prepare: the setup run (remasterProject before watching) runs with fsync switched off, only to
 * build the state faster (a 100k-asset setup run otherwise waits minutes in fsync); the watched changes
 * are committed with fsync as always, so the latencies are unaffected in kind.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../../plugin/engine';
import { remasterProject } from '../../plugin/pipeline/project';
import { watchProject, type ProjectWatcher } from '../../plugin/watch';
import { buildBigProject, seededPNG } from '../soak/big-project';
import { median } from './median';
import { nextWatchEvent } from './next-watch-event';
import { instrumentSyncs, syncWait } from './sync-wait';

const CONFIG = { rules: [{ match: '**/*', upscale: { scale: 2, model: 'lanczos' } }] };

interface Watched {
  assets: number;
  root: string;
  watcher: ProjectWatcher;
  /** Standalone textures to change, in turn. */
  targets: string[];
  latencies: number[];
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function setUp(assets: number, stabilityMs: number, engine: ReturnType<typeof createEngine>, fastPrepare: boolean): Promise<Watched> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), `remaster-watch-scale-${assets}-`));
  const g0 = performance.now();
  await buildBigProject(root, assets);
  await fs.writeFile(path.join(root, 'remaster.config.json'), JSON.stringify(CONFIG));
  const g1 = performance.now();
  syncWait.off = fastPrepare;
  const first = await remasterProject(root, { engine }).finally(() => (syncWait.off = false));
  const g2 = performance.now();
  if (first.failed.length) throw new Error(`setup run: ${first.failed.length} failed, e.g. ${JSON.stringify(first.failed[0])}`);
  const watcher = watchProject(root, { engine, stabilityMs });
  watcher.on('event', (e) => {
    if (e.type === 'problem' || (e.type === 'asset' && e.outcome === 'failed')) console.log(`  [${assets}] ${JSON.stringify(e)}`);
  });
  await watcher.ready;
  const g3 = performance.now();
  console.log(`  ${assets} assets: generated ${s(g1 - g0)}, first run ${s(g2 - g1)}${fastPrepare ? ' with fsync off' : ''} (${first.processed.length} processed), watcher ready (startup no-op pass) ${s(g3 - g2)}`);
  // Standalone textures (t<i>.png: i not ≡ 9 mod 10), spread over the project.
  const targets: string[] = [];
  for (let i = 0; i < assets && targets.length < 64; i += Math.max(1, Math.floor(assets / 64))) {
    if (i % 10 !== 9) targets.push(`set${Math.floor(i / 100)}/t${i}.png`);
  }
  return { assets, root, watcher, targets, latencies: [] };
}

/** One changed texture: rename → its `asset` event; then waits for the watcher to go idle (its own outputs classified). */
async function change(w: Watched, round: number): Promise<void> {
  const rel = w.targets[round % w.targets.length];
  const abs = path.join(w.root, rel);
  const tmp = path.join(path.dirname(abs), `.incoming-${round}.png`); // a dot-name: ignored until renamed
  await fs.writeFile(tmp, seededPNG(4, 1_000_000 + round));
  const done = nextWatchEvent(w.watcher, (e) => e.type === 'asset' && e.path === rel);
  const idle = nextWatchEvent(w.watcher, (e) => e.type === 'idle');
  const t0 = performance.now();
  await fs.rename(tmp, abs);
  w.latencies.push((await done) - t0);
  await idle;
}

export async function watchScaleFigures(bigAssets: number, options: { repeat?: number; stabilityMs?: number; fastPrepare?: boolean } = {}): Promise<void> {
  const repeat = options.repeat ?? 7;
  const fastPrepare = options.fastPrepare ?? false;
  if (fastPrepare) await instrumentSyncs();
  const stabilityMs = options.stabilityMs ?? 100;
  console.log(`watch latency, one changed 4×4 texture, 10 vs ${bigAssets} assets (x2 lanczos, stabilityMs ${stabilityMs}, ${repeat} changes each after 1 warm-up, alternating; ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}):`);
  const engine = createEngine();
  const projects: Watched[] = [];
  try {
    projects.push(await setUp(10, stabilityMs, engine, fastPrepare));
    projects.push(await setUp(bigAssets, stabilityMs, engine, fastPrepare));
    for (let round = 0; round <= repeat; round++) for (const w of projects) await change(w, round);
    for (const w of projects) w.latencies.shift(); // warm-up
    const [small, big] = projects.map((w) => median(w.latencies));
    for (const w of projects) console.log(`  ${String(w.assets).padStart(6)} assets: latency median ${median(w.latencies).toFixed(0)} ms (runs: ${w.latencies.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`  watch latency ratio ${bigAssets} / 10: ${(big / small).toFixed(2)} (target ≤ 1.5 at 100000 assets${bigAssets < 100_000 ? `; this run: ${bigAssets}` : ''})`);
  } finally {
    for (const w of projects) {
      await w.watcher.close();
      await fs.rm(w.root, { recursive: true, force: true });
    }
    await engine.close();
  }
}

if (require.main === module) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
  };
  watchScaleFigures(arg('assets', 1000), { repeat: arg('repeat', 7), stabilityMs: arg('stability', 100), fastPrepare: process.argv.includes('--fast-prepare') }).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
