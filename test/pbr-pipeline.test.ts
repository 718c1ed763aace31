/**
 * The `pbr` rule through the whole pipeline: a colour-only glTF material and a standalone colour
 * texture get their maps, recorded like every output (second run no-op, restore removes them, watch
 * ignores them), upscaled with the material when an upscale rule applies, validator-clean.
 */
import fs from 'node:fs';
import path from 'node:path';
import { remasterProject, restoreProject } from '../plugin/pipeline';
import { watchProject, type WatchEvent } from '../plugin/watch';
import { readModel } from './helpers/model';
import { decode, FIXTURES, imageSize, makeProject, removeProject, snapshot, writeJSON } from './helpers/project';
import { errorCounts, validate } from './helpers/validator';

const hashes = (snap: Record<string, { hash: string }>) => Object.fromEntries(Object.entries(snap).map(([k, v]) => [k, v.hash]));

let dir: string;
afterEach(() => removeProject(dir));

test('glTF: a base-colour-only material gets normalTexture + one ORM texture, upscaled with it; no-op twice; restore removes them', async () => {
  dir = makeProject({ models: 'gltf/BoxTextured' });
  writeJSON(path.join(dir, 'remaster.config.json'), {
    rules: [{ match: 'models/**', pbr: { generate: ['normal', 'roughness', 'occlusion'], method: 'heuristic' }, upscale: { scale: 2, model: 'lanczos' } }],
  });
  const before = snapshot(dir);
  const [bw, bh] = await imageSize(path.join(dir, 'models/CesiumLogoFlat.png'));

  const dry = await remasterProject(dir, { dryRun: true });
  expect(dry.processed[0].textures.filter((t) => t.derivedBy === 'pbr').map((t) => [t.name, t.slots])).toEqual([
    ['CesiumLogoFlat_normal', ['normal']],
    ['CesiumLogoFlat_orm', ['metallicRoughness', 'occlusion']],
  ]);
  expect(snapshot(dir)).toEqual(before);

  const run = await remasterProject(dir);
  expect(run.failed).toEqual([]);
  expect(run.processed[0].files).toEqual(expect.arrayContaining(['models/CesiumLogoFlat_normal.png', 'models/CesiumLogoFlat_orm.png']));
  const model = await readModel(path.join(dir, 'models/BoxTextured.gltf'));
  const m = model.getRoot().listMaterials()[0];
  expect(m.getNormalTexture()?.getURI()).toBe('CesiumLogoFlat_normal.png');
  expect(m.getMetallicRoughnessTexture()).toBe(m.getOcclusionTexture());
  // Generated maps went through the upscale rule with the base colour: all at 2x.
  for (const f of ['CesiumLogoFlat.png', 'CesiumLogoFlat_normal.png', 'CesiumLogoFlat_orm.png']) {
    expect(await imageSize(path.join(dir, 'models', f))).toEqual([2 * bw, 2 * bh]);
  }
  const n = await decode(path.join(dir, 'models/CesiumLogoFlat_normal.png'));
  for (let i = 0; i < n.width * n.height; i += 131) {
    const v = [0, 1, 2].map((c) => (n.data[i * n.channels + c] / 255) * 2 - 1);
    expect(Math.abs(Math.hypot(...v) - 1)).toBeLessThan(0.02);
  }
  expect(errorCounts(await validate(path.join(dir, 'models/BoxTextured.gltf')))).toEqual({});

  const again = await remasterProject(dir);
  expect([again.processed, again.skipped]).toEqual([[], [{ path: 'models/BoxTextured.gltf', reason: 'unchanged' }]]);

  await restoreProject(dir);
  expect(fs.existsSync(path.join(dir, 'models/CesiumLogoFlat_normal.png'))).toBe(false);
  expect(hashes(snapshot(dir))).toEqual(hashes(before));
});

test('standalone texture: _normal/_orm/_height beside it, except what the user has; watch ignores them', async () => {
  dir = makeProject();
  fs.mkdirSync(path.join(dir, 'tex'));
  fs.copyFileSync(path.join(FIXTURES, 'textures/helmet-basecolor-128.png'), path.join(dir, 'tex/wall.png'));
  fs.copyFileSync(path.join(FIXTURES, 'textures/helmet-basecolor-128.png'), path.join(dir, 'tex/floor.png'));
  fs.copyFileSync(path.join(FIXTURES, 'textures/helmet-normal-128.png'), path.join(dir, 'tex/floor_norm.png'));
  writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: 'tex/*', pbr: { method: 'heuristic' } }] });
  const before = snapshot(dir);

  const run = await remasterProject(dir);
  expect(run.failed).toEqual([]);
  const files = run.processed.flatMap((p) => p.files ?? []).sort();
  expect(files).toEqual(['tex/floor_height.png', 'tex/floor_orm.png', 'tex/wall_height.png', 'tex/wall_normal.png', 'tex/wall_orm.png']);
  expect(fs.existsSync(path.join(dir, 'tex/floor_normal.png'))).toBe(false); // floor_norm.png is the user's
  expect(hashes(snapshot(dir))['tex/floor_norm.png']).toBe(hashes(before)['tex/floor_norm.png']);
  expect(await imageSize(path.join(dir, 'tex/wall_normal.png'))).toEqual([128, 128]);

  const again = await remasterProject(dir);
  expect(again.processed).toEqual([]);

  const watcher = watchProject(dir, { stabilityMs: 200 });
  const events: WatchEvent[] = [];
  watcher.on('event', (e) => events.push(e));
  try {
    await watcher.ready;
    fs.utimesSync(path.join(dir, 'tex/wall_normal.png'), new Date(), new Date());
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(events.filter((e) => e.type === 'job')).toHaveLength(1); // the startup pass only
  } finally {
    await watcher.close();
  }

  await restoreProject(dir);
  expect(hashes(snapshot(dir))).toEqual(hashes(before));
}, 60000);
