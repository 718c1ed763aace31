/**
 * The kill suite (kill.test.ts) during a run with a result cache (filled by the reference run, so
 * the killed runs commit cache hits) and during a sharded run: every file old or
 * new after each kill, originals intact, and the next run completes like an unkilled one.
 * REMASTER_KILL_POINTS (default 6 each here) and REMASTER_KILL_SEED as in kill.test.ts.
 */
import path from 'node:path';
import { makeSandbox, removeDir } from './helpers';
import { buildFaultProject, killSeries, referenceRun, runExtraArgs, seededRandom } from './kill-harness';

jest.setTimeout(400_000); // kills land after a short shard run ends more often: more series

describe.each([
  ['a cached run', (base: string) => ['--cache', path.join(base, 'cache')]],
  ['a sharded run (1/2)', () => ['--shard', '1/2']],
])('SIGKILL during %s', (_name, args) => {
  let box: ReturnType<typeof makeSandbox>;
  afterAll(() => removeDir(box.base));

  it('every file is old or new after each kill; originals intact; the next run completes like an unkilled one', async () => {
    box = makeSandbox();
    runExtraArgs.splice(0, runExtraArgs.length, ...args(box.base));
    const template = path.join(box.base, 'template');
    await buildFaultProject(template);
    // Timed on the second run: with a cache the first fills it, and the killed runs (all hits) are as
    // fast as the second, so the kill moments must fall within that run's length.
    await referenceRun(template, path.join(box.base, 'reference'));
    const ref = await referenceRun(template, path.join(box.base, 'reference'));
    const seed = Number(process.env.REMASTER_KILL_SEED ?? Date.now() % 100000);
    const points = Number(process.env.REMASTER_KILL_POINTS ?? 6);
    const summary = await killSeries(template, box.project, ref, points, 6, seededRandom(seed));
    console.log(`kill test (${runExtraArgs.join(' ')}): seed ${seed}, ${summary.killPoints} mid-run kill points (${summary.attempts} kills) in ${summary.series} series`);
    expect(summary.problems).toEqual([]);
    expect(summary.killPoints).toBe(points);
  });
});
