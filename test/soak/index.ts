/**
 * `npm run soak`: the long versions of the reliability suite, printing the figures for the record.
 *   1. Load: 2000 16×16 textures + 200 .gltf (each with an external image): full run (peak RSS,
 *      time) and a second run that must be a no-op (time).
 *   2. Kill soak: SOAK_KILL_POINTS (default 200) SIGKILLs at random points, in series of 8, checking
 *      after each kill that every file is old or new and originals are intact, and that each series'
 *      completing run equals an unkilled reference run.
 * Options (env): SOAK_TEXTURES, SOAK_MODELS, SOAK_KILL_POINTS, SOAK_SEED. Exit 1 on any problem.
 * `npm run soak -- --assets 100000`: instead, the synthetic big project (test/soak/big-project.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeSandbox, removeDir, usePrivateBuild } from '../reliability/helpers';
import { buildFaultProject, killSeries, referenceRun, seededRandom } from '../reliability/kill-harness';
import { buildLoadProject, describeLoad, measureLoad } from '../reliability/load-project';
import { buildBigProject } from './big-project';

/** `npm run soak -- --assets N`: only the synthetic big project (big-project.ts): generate, full run, no-op run, through the CLI. */
async function bigProject(assets: number): Promise<number> {
  const dropBuild = usePrivateBuild();
  process.on('exit', dropBuild);
  const box = makeSandbox();
  try {
    const t0 = Date.now();
    const made = await buildBigProject(box.project, assets);
    console.log(`soak: ${assets} assets (${made.textures} textures, ${made.models} .gltf) generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const f = measureLoad(box.project, assets);
    console.log(describeLoad(f));
    return f.first.code === 0 && f.first.processed === assets && f.second.skipped === assets && f.second.unchangedTree ? 0 : 1;
  } finally {
    removeDir(box.base);
  }
}

async function main(): Promise<number> {
  const big = process.argv.indexOf('--assets');
  if (big >= 0) return bigProject(Number(process.argv[big + 1]));
  const textures = Number(process.env.SOAK_TEXTURES ?? 2000);
  const models = Number(process.env.SOAK_MODELS ?? 200);
  const points = Number(process.env.SOAK_KILL_POINTS ?? 200);
  const seed = Number(process.env.SOAK_SEED ?? Date.now() % 100000);
  let failed = false;
  const dropBuild = usePrivateBuild();
  process.on('exit', dropBuild);

  const load = makeSandbox();
  try {
    console.log(`soak: generating ${textures} textures + ${models} .gltf…`);
    await buildLoadProject(load.project, textures, models);
    const f = measureLoad(load.project, textures + models);
    console.log(describeLoad(f));
    if (f.first.code !== 0 || f.first.processed !== textures + models || f.second.skipped !== textures + models || !f.second.unchangedTree) {
      console.log('soak: LOAD FAILED');
      failed = true;
    }
  } finally {
    removeDir(load.base);
  }

  const kill = makeSandbox();
  try {
    const template = path.join(kill.base, 'template');
    await buildFaultProject(template, 16);
    const ref = await referenceRun(template, path.join(kill.base, 'reference'));
    console.log(`soak: kill reference run ${ref.seconds.toFixed(2)} s (first asset at ${ref.firstAssetSeconds.toFixed(2)} s), ${Object.keys(ref.original).length} files; seed ${seed}`);
    const summary = await killSeries(template, kill.project, ref, points, 8, seededRandom(seed));
    console.log(`soak: ${summary.killPoints} mid-run kill points (${summary.attempts} kills) in ${summary.series} series, ${summary.problems.length} problems`);
    for (const p of summary.problems.slice(0, 20)) console.log(`  ${p}`);
    if (summary.problems.length || summary.killPoints < points) failed = true;
  } finally {
    fs.rmSync(kill.base, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
