/**
 * One image file, two models that want different things from it (issue 8, item 6): as colour in one and
 * as a normal map in the other, or under different rules (x2 vs x4 sidecar). The file can hold only one
 * result, so the conflict must be decided the same way on every run — never one run writing a's
 * version and the next b's over it while reporting a as unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { remasterProject } from '../../plugin/pipeline/project';
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

  /**
   * Three runs, each deciding the same way: the conflict is found over the whole plan, so both models
   * fail (left unchanged) and shared.png is never rewritten by either.
   */
  function expectStableConflict(): void {
    const before = sha(fs.readFileSync(path.join(box.project, 'shared.png')));
    for (let run = 0; run < 3; run++) {
      const r = runJSON(box.project);
      expect(r.code).toBe(1);
      expect(r.report.failed.map((f) => f.path)).toEqual(['a.gltf', 'b.gltf']);
      for (const f of r.report.failed) expect(f.error).toMatch(/^shared\.png is shared by models that want different results/);
      expect(r.report.processed).toEqual([]);
      expect(sha(fs.readFileSync(path.join(box.project, 'shared.png')))).toBe(before);
    }
  }

  it('colour in a.gltf, normal in b.gltf: both fail, on every run, shared.png untouched', async () => {
    write(path.join(box.project, 'shared.png'), await noisePNG(16, 16, 1));
    await model('a', 'baseColor');
    await model('b', 'normal');
    expectStableConflict();
    // Asked for one of them only (what watch mode does for a changed model), the run decides the same way.
    const one = await remasterProject(box.project, { paths: ['a.gltf'] });
    expect(one.failed.map((f) => f.path)).toEqual(['a.gltf']);
  });

  it('the same slot under different rules (x4 sidecar on b): both fail, on every run', async () => {
    write(path.join(box.project, 'shared.png'), await noisePNG(16, 16, 2));
    await model('a', 'baseColor');
    await model('b', 'baseColor');
    write(path.join(box.project, 'b.gltf.remaster.json'), JSON.stringify({ rules: [{ upscale: { scale: 4 } }] }));
    expectStableConflict();
    // Given the same rules, they agree: both are remastered, the texture once.
    fs.rmSync(path.join(box.project, 'b.gltf.remaster.json'));
    const r = runJSON(box.project);
    expect(r.report.processed.map((p) => p.path)).toEqual(['a.gltf', 'b.gltf']);
    expect(r.report.failed).toEqual([]);
  });
});
