/**
 * Every sample model in fixtures/gltf, remastered: the Khronos validator finds no new errors, and every
 * material, texture slot and extension is still there. The runs go through the built CLI: plain Node
 * resamples 2048² textures several times faster than jest's VM context does.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RunReport } from '../plugin/pipeline';
import { readModel } from './helpers/model';
import { FIXTURES, imageSize, makeProject, removeProject, writeJSON } from './helpers/project';
import { errorCounts, validate } from './helpers/validator';

const MODELS = fs.readdirSync(path.join(FIXTURES, 'gltf'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => fs.readdirSync(path.join(FIXTURES, 'gltf', d.name)).filter((f) => /\.(gltf|glb)$/.test(f)).map((f) => `${d.name}/${f}`));

const BIN = path.join(__dirname, '..', 'bin', 'remaster.js');
const CAPPED = ['AlphaBlendModeTest/AlphaBlendModeTest.glb', 'NormalTangentMirrorTest/NormalTangentMirrorTest.glb'];

function runCLI(dir: string): RunReport {
  return JSON.parse(execFileSync(process.execPath, [BIN, 'run', dir, '--json'], { encoding: 'utf8', maxBuffer: 1 << 24 })) as RunReport;
}

/** What a model must keep: materials with their texture slots, extensions used. */
async function structure(file: string) {
  const doc = await readModel(file);
  const root = doc.getRoot();
  return {
    materials: root.listMaterials().map((m) => ({
      name: m.getName(),
      slots: doc.getGraph().listChildEdges(m).filter((e) => e.getName().endsWith('Texture')).map((e) => e.getName()).sort(),
      extensions: m.listExtensions().map((e) => e.extensionName).sort(),
    })),
    extensionsUsed: root.listExtensionsUsed().map((e) => e.extensionName).sort(),
    textures: root.listTextures().length,
  };
}

describe('validator-clean output on every sample model', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject({ '.': 'gltf' });
  });
  afterAll(() => removeProject(dir));

  it('finds the sample models', () => {
    expect(MODELS.length).toBeGreaterThanOrEqual(5);
  });

  it('x2 lanczos (two big models capped instead, to keep the suite fast): no new validator errors; materials, slots, extensions kept', async () => {
    const before = new Map<string, { errors: Record<string, number>; structure: Awaited<ReturnType<typeof structure>> }>();
    for (const model of MODELS) {
      const file = path.join(dir, model);
      before.set(model, { errors: errorCounts(await validate(file)), structure: await structure(file) });
    }
    // DamagedHelmet gets the full x2 (5 × 2048² → 4096²); the other two 2048² models are capped to 512,
    // which rewrites every texture through the same path at a fraction of the time.
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [
      { match: '**/*', upscale: { scale: 2, model: 'lanczos' } },
      { match: CAPPED, upscale: false, maxSize: 512 },
    ] });
    const report = runCLI(dir);
    expect(report.failed).toEqual([]);
    expect(report.processed.map((p) => p.path).sort()).toEqual([...MODELS].sort());

    for (const model of MODELS) {
      const file = path.join(dir, model);
      const after = errorCounts(await validate(file));
      for (const [code, count] of Object.entries(after)) {
        expect([model, code, count]).toEqual([model, code, Math.min(count, before.get(model)!.errors[code] ?? 0)]);
      }
      expect([model, await structure(file)]).toEqual([model, before.get(model)!.structure]);
      // Textures really were remastered (x2).
      const doc = await readModel(file);
      const sizes = await Promise.all(doc.getRoot().listTextures().map((t) => imageSize(t.getImage()!)));
      const entry = report.processed.find((p) => p.path === model)!;
      expect(sizes).toEqual(entry.textures.map((t) => [t.after.width, t.after.height]));
      const capped = CAPPED.some((c) => c === model);
      for (const t of entry.textures) expect([model, t.after.width]).toEqual([model, capped ? 512 : t.before.width * 2]);
    }
  }, 240_000); // a whole-project run plus the validator on every model: slow on a loaded machine

  it('WebP conversion (with KHR_texture_transform kept) passes the validator', async () => {
    const webp = makeProject({ BoxTextured: 'gltf/BoxTextured', TextureTransformTest: 'gltf/TextureTransformTest' });
    try {
      writeJSON(path.join(webp, 'remaster.config.json'), { rules: [{ match: '**/*', format: 'webp' }] });
      const report = runCLI(webp);
      expect(report.failed).toEqual([]);
      for (const model of ['BoxTextured/BoxTextured.gltf', 'TextureTransformTest/TextureTransformTest.gltf']) {
        const result = await validate(path.join(webp, model));
        expect([model, errorCounts(result)]).toEqual([model, {}]);
        const doc = await readModel(path.join(webp, model));
        expect(doc.getRoot().listTextures().every((t) => t.getMimeType() === 'image/webp')).toBe(true);
      }
      const json = JSON.parse(fs.readFileSync(path.join(webp, 'TextureTransformTest/TextureTransformTest.gltf'), 'utf8'));
      expect(json.extensionsUsed.sort()).toEqual(['EXT_texture_webp', 'KHR_texture_transform']);
    } finally {
      removeProject(webp);
    }
  });
});
