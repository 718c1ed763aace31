/**
 * One image file, two models that want different things from it (issue 8, item 6): as colour in one and
 * as a normal map in the other, or under different rules (x2 vs x4 sidecar). The file can hold only one
 * result, so the conflict must be decided the same way on every run — never one run writing a's
 * version and the next b's over it while reporting a as unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gltfJSON, makeSandbox, noisePNG, removeDir, runJSON, sha, write } from './helpers';

jest.setTimeout(180_000);

describe('a texture shared by two models that disagree', () => {
  let box: ReturnType<typeof makeSandbox>;
  beforeEach(() => {
    box = makeSandbox();
  });
  afterEach(() => removeDir(box.base));

  async function model(name: string, slot: 'baseColor' | 'normal'): Promise<void> {
    const { json } = await gltfJSON({ uri: 'shared.png' });
    if (slot === 'normal') {
      json.materials[0].normalTexture = json.materials[0].pbrMetallicRoughness.baseColorTexture;
      delete json.materials[0].pbrMetallicRoughness.baseColorTexture;
    }
    write(path.join(box.project, `${name}.gltf`), JSON.stringify(json));
  }

  /** Three runs: the same outcome for each model every time, and shared.png never rewritten after run 1. */
  function expectStableConflict(loser: string): void {
    let first: string | undefined;
    const outcomes: string[][] = [];
    for (let run = 0; run < 3; run++) {
      const r = runJSON(box.project);
      expect(r.report.failed.map((f) => f.path)).toEqual([loser]);
      expect(r.report.failed[0].error).toMatch(/shared\.png/);
      outcomes.push([...r.report.processed.map((p) => `${p.path} processed`), ...r.report.skipped.map((s) => `${s.path} ${s.reason}`)]);
      const now = sha(fs.readFileSync(path.join(box.project, 'shared.png')));
      first ??= now;
      expect(now).toBe(first);
    }
    expect(outcomes[2]).toEqual(outcomes[1]); // settled after the first run: the same every run
  }

  it('colour in a.gltf, normal in b.gltf: b fails on every run, a keeps its texture', async () => {
    write(path.join(box.project, 'shared.png'), await noisePNG(16, 16, 1));
    await model('a', 'baseColor');
    await model('b', 'normal');
    expectStableConflict('b.gltf');
  });

  it('the same slot under different rules (x4 sidecar on b): b fails on every run', async () => {
    write(path.join(box.project, 'shared.png'), await noisePNG(16, 16, 2));
    await model('a', 'baseColor');
    await model('b', 'baseColor');
    write(path.join(box.project, 'b.gltf.remaster.json'), JSON.stringify({ rules: [{ upscale: { scale: 4 } }] }));
    expectStableConflict('b.gltf');
  });
});
