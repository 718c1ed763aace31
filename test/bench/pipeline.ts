/**
 * Pipeline concurrency: `remasterProject` over a generated project of standalone 512² textures with
 * the shipped remaster-x2-fast model, at concurrency 1 and N, alternating (so drifting load on a shared
 * machine hits both alike), each on a fresh copy of the project. Prints every time, the medians and
 * the ratio (N over 1). One engine serves every run, so model loading is not timed.
 *
 *   npx tsc -p . && node dist/test/bench/pipeline.js [--textures 8] [--size 512] [--repeat 3] [--jobs 2]
 *   (or `npx tsc -p . --outDir node_modules/.cache/bench` to leave dist/ alone)
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createEngine } from '../../plugin/engine';
import { packageRoot } from '../../plugin/engine/model-source';
import { remasterProject } from '../../plugin/pipeline/project';
import { mosaicTexture } from './texture';
import { median } from './median';

// Found from the package root, so the bench also runs from a private build folder (outside dist/).
const FIXTURE = path.join(packageRoot(), 'fixtures', 'textures', 'helmet-basecolor-128.png');

function arg(name: string, fallback: string): number {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback);
}


async function main(): Promise<void> {
  const count = arg('textures', '8');
  const size = arg('size', '512');
  const repeat = arg('repeat', '3');
  const jobs = arg('jobs', '2');
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'remaster-pipeline-bench-'));
  const source = path.join(work, 'source');
  await fs.mkdir(path.join(source, 'tex'), { recursive: true });
  await fs.writeFile(path.join(source, 'remaster.config.json'), JSON.stringify({ rules: [{ match: '**/*', upscale: { scale: 2, model: 'remaster-x2-fast' } }] }));
  const base = await mosaicTexture(FIXTURE, size);
  for (let i = 0; i < count; i++) {
    // Distinct images (nothing is reused), PNG as exported.
    const data = base.data.map((v, j) => (j % 3 === i % 3 ? 255 - v : (v + 17 * i) & 255));
    await fs.writeFile(path.join(source, 'tex', `t${i}.png`), await sharp(data, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer());
  }

  const engine = createEngine({ device: 'cpu' });
  const times = new Map<number, number[]>([[1, []], [jobs, []]]);
  try {
    await engine.checkModel('remaster-x2-fast'); // load the session outside the timings
    for (let r = 0; r < repeat; r++) {
      for (const concurrency of [1, jobs]) {
        const root = path.join(work, `run-${r}-${concurrency}`);
        await fs.cp(source, root, { recursive: true });
        const t0 = performance.now();
        const report = await remasterProject(root, { engine, concurrency });
        const ms = performance.now() - t0;
        if (report.processed.length !== count) throw new Error(`expected ${count} processed, got ${JSON.stringify(report)}`);
        times.get(concurrency)!.push(ms);
        console.log(`run ${r + 1} concurrency ${concurrency}: ${(ms / 1000).toFixed(2)} s`);
        await fs.rm(root, { recursive: true, force: true });
      }
    }
  } finally {
    await engine.close();
    await fs.rm(work, { recursive: true, force: true });
  }
  const one = median(times.get(1)!);
  const many = median(times.get(jobs)!);
  console.log(`${count} textures ${size}² remaster-x2-fast, ${os.cpus().length} CPUs: median concurrency 1 ${(one / 1000).toFixed(2)} s, concurrency ${jobs} ${(many / 1000).toFixed(2)} s, ratio ${(many / one).toFixed(3)} (< 1 = faster)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
