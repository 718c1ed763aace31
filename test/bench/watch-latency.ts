/**
 * Watch-mode latency: from a 512² texture landing in a watched project (renamed into place, as editors
 * and exporters do) to its remastered version on disk (committed: file renamed, state saved), minus
 * the model's own upscale time measured on the same image in the same process. What is left is the
 * watcher's latency: the stability wait (a file is read only after it has been quiet for stabilityMs),
 * planning, decode/encode, hashing, atomic writes and state.
 *
 *   npx tsc -p . && node dist/test/bench/watch-latency.js [--repeat 5] [--stability 500] [--model lanczos]
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { decodeImage } from '../../plugin/image-codec';
import { createEngine } from '../../plugin/engine';
import { watchProject, type WatchEvent } from '../../plugin/watch';
import { mosaicTexture } from './texture';
import { median } from './median';
import { nextWatchEvent } from './next-watch-event';

const FIXTURE = path.join(__dirname, '..', '..', '..', 'fixtures', 'textures', 'helmet-basecolor-128.png');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const ms = (x: number) => `${x.toFixed(0).padStart(5)} ms`;

async function main(): Promise<void> {
  const repeat = Number(arg('repeat', '5'));
  const stabilityMs = Number(arg('stability', '500'));
  const model = arg('model', 'lanczos');
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'remaster-watch-bench-'));
  await fs.writeFile(path.join(root, 'remaster.config.json'), JSON.stringify({ rules: [{ match: '**/*', upscale: { scale: 2, model } }] }));
  const engine = createEngine();
  const watcher = watchProject(root, { engine, stabilityMs });
  const events: WatchEvent[] = [];
  watcher.on('event', (e) => { events.push(e); if (process.env.BENCH_DEBUG) console.log(JSON.stringify(e)); });
  await watcher.ready;

  const base = await mosaicTexture(FIXTURE, 512);
  const rows: { total: number; model: number }[] = [];
  for (let i = 0; i < repeat + 1; i++) {
    // A different image each time (so nothing is reused), written beside the project and renamed in.
    const image = { ...base, data: base.data.map((v, j) => (j % 3 === i % 3 ? 255 - v : v)) };
    const png = await sharp(image.data, { raw: { width: 512, height: 512, channels: 3 } }).png().toBuffer();
    const name = `tex/drop-${i}.png`;
    const tmp = path.join(root, `${name}.tmp`);
    await fs.mkdir(path.dirname(tmp), { recursive: true });
    await fs.writeFile(tmp, png);
    const done = nextWatchEvent(watcher, (e) => e.type === 'asset' && e.path === name);
    const landed = performance.now();
    await fs.rename(tmp, path.join(root, name));
    const finished = await done;
    const idle = nextWatchEvent(watcher, (e) => e.type === 'idle'); // after its own outputs' events are classified
    const out = await sharp(path.join(root, name)).metadata();
    if (out.width !== 1024) throw new Error(`${name}: expected 1024 px wide output, got ${out.width}`);
    await idle;

    // The model's own time on the same image, same engine, while the watcher is idle.
    const raw = await decodeImage(png);
    const t = performance.now();
    await engine.upscale(raw, { scale: 2, model, kind: 'color' });
    const modelMs = performance.now() - t;
    if (i > 0) rows.push({ total: finished - landed, model: modelMs }); // the first run warms up (model load, JIT)
  }
  await watcher.close();
  await engine.close();
  await fs.rm(root, { recursive: true, force: true });

  console.log(`watch latency, 512² texture x2 ${model}, stabilityMs ${stabilityMs}, ${repeat} runs after 1 warm-up (${os.cpus().length} CPUs)`);
  for (const [i, r] of rows.entries()) console.log(`  run ${i + 1}: landed→on disk ${ms(r.total)}   model ${ms(r.model)}   watcher ${ms(r.total - r.model)}`);
  const total = median(rows.map((r) => r.total));
  const modelMs = median(rows.map((r) => r.model));
  const watcherMs = median(rows.map((r) => r.total - r.model));
  console.log(`median: landed→on disk ${ms(total)}   model ${ms(modelMs)}   watcher latency ${ms(watcherMs)} (of which the stability wait ${stabilityMs} ms; ${(watcherMs - stabilityMs).toFixed(0)} ms beyond it)`);
  const failed = events.filter((e) => e.type === 'asset' && e.outcome !== 'processed');
  if (failed.length) throw new Error(`unexpected outcomes: ${JSON.stringify(failed)}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
