/**
 * Load, small enough for CI (the big one is `npm run soak`): a few hundred textures and dozens of
 * .gltf files in one run, then a second run that must skip everything and change no file. The
 * figures are printed, not asserted (speed belongs in the soak/bench, not in a unit test), except a
 * generous memory ceiling that only a leak proportional to the asset count would break.
 */
import { makeSandbox, removeDir } from './helpers';
import { buildLoadProject, describeLoad, measureLoad } from './load-project';

jest.setTimeout(180_000);

describe('load', () => {
  let box: ReturnType<typeof makeSandbox>;
  afterAll(() => removeDir(box.base));

  it('300 textures + 40 .gltf: run completes, a second run is a no-op', async () => {
    box = makeSandbox();
    await buildLoadProject(box.project, 300, 40);
    const f = measureLoad(box.project, 340);
    console.log(describeLoad(f));
    expect(f.first).toMatchObject({ code: 0, processed: 340, failed: 0 });
    expect(f.second).toMatchObject({ code: 0, skipped: 340, unchangedTree: true });
    expect(f.first.peakMiB).toBeLessThan(1024);
  });
});
