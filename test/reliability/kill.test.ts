/**
 * SIGKILL a real `remaster run` at random points (REMASTER_KILL_POINTS, default 20; the seed is printed
 * so a failure can be replayed with REMASTER_KILL_SEED). The longer version is `npm run soak`.
 */
import path from 'node:path';
import { makeSandbox, removeDir } from './helpers';
import { buildFaultProject, killSeries, referenceRun, seededRandom } from './kill-harness';

jest.setTimeout(180_000);

describe('SIGKILL during a run', () => {
  let box: ReturnType<typeof makeSandbox>;
  afterAll(() => removeDir(box.base));

  it('every file is old or new after each kill; originals intact; the next run completes like an unkilled one', async () => {
    box = makeSandbox();
    const template = path.join(box.base, 'template');
    await buildFaultProject(template);
    const ref = await referenceRun(template, path.join(box.base, 'reference'));
    const seed = Number(process.env.REMASTER_KILL_SEED ?? Date.now() % 100000);
    const points = Number(process.env.REMASTER_KILL_POINTS ?? 20);
    const summary = await killSeries(template, box.project, ref, points, 6, seededRandom(seed));
    // The figures for the report.
    console.log(`kill test: seed ${seed}, ${summary.killPoints} mid-run kill points (${summary.attempts} kills) in ${summary.series} series; reference run ${ref.seconds.toFixed(2)} s, first asset at ${ref.firstAssetSeconds.toFixed(2)} s`);
    expect(summary.problems).toEqual([]);
    expect(summary.killPoints).toBe(points);
  });
});
