/**
 * The `style` rule in a project run: colour textures styled before upscaling, normal and data maps
 * untouched by default, the reference's content in the fingerprint, restore, and references that
 * would leave the project refused before anything is touched.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { remasterProject, restoreProject } from '../plugin/pipeline';
import { decode, encodePNG, makeProject, removeProject, snapshot, writeJSON } from './helpers/project';
import { bumpyNormals } from './helpers/project';
import { coolReference, maxAbsDiff, tilingTexture } from './helpers/style-images';

let dir: string;
beforeEach(async () => {
  dir = makeProject();
  fs.mkdirSync(path.join(dir, 'textures'));
  fs.mkdirSync(path.join(dir, 'art'));
  fs.writeFileSync(path.join(dir, 'textures', 'wall.png'), await encodePNG(tilingTexture(64, 64)));
  fs.writeFileSync(path.join(dir, 'textures', 'wall_n.png'), await encodePNG(bumpyNormals(64, 64)));
  fs.writeFileSync(path.join(dir, 'textures', 'wall_rough.png'), await encodePNG(tilingTexture(64, 64, 9)));
  fs.writeFileSync(path.join(dir, 'art', 'ref.png'), await encodePNG(await coolReference(96)));
});
afterEach(() => removeProject(dir));

const config = (style: Record<string, unknown>, upscale: unknown = false) =>
  writeJSON(path.join(dir, 'remaster.config.json'), {
    rules: [{ match: 'art/**', skip: true }, { match: 'textures/**', style, upscale }],
  });

test('styles colour textures only, re-styles when the reference changes, and restore puts the originals back', async () => {
  config({ reference: 'art/ref.png', strength: 1, seamless: true });
  const before = snapshot(dir);
  const report = await remasterProject(dir);
  expect(report.failed).toEqual([]);
  expect(report.processed.map((p) => p.path)).toEqual(['textures/wall.png']);
  const after = snapshot(dir);
  expect(after['textures/wall_n.png'].hash).toBe(before['textures/wall_n.png'].hash);
  expect(after['textures/wall_rough.png'].hash).toBe(before['textures/wall_rough.png'].hash);
  const styled = await decode(path.join(dir, 'textures', 'wall.png'));
  expect(styled.width).toBe(64);
  expect(maxAbsDiff(styled, tilingTexture(64, 64))).toBeGreaterThan(10);

  // Unchanged rules and reference: nothing to do. A new reference (same path): styled again.
  expect((await remasterProject(dir)).skipped.find((s) => s.path === 'textures/wall.png')?.reason).toBe('unchanged');
  fs.writeFileSync(path.join(dir, 'art', 'ref.png'), await encodePNG(tilingTexture(96, 96, 5)));
  expect((await remasterProject(dir)).processed.map((p) => p.path)).toEqual(['textures/wall.png']);
  expect(snapshot(dir)['textures/wall.png'].hash).not.toBe(after['textures/wall.png'].hash);

  await restoreProject(dir);
  expect(snapshot(dir)['textures/wall.png'].hash).toBe(before['textures/wall.png'].hash);
});

test('a rule can style data maps too; style runs before upscaling', async () => {
  config({ reference: 'art/ref.png', kinds: ['color', 'data'] }, { scale: 2, model: 'lanczos' });
  const report = await remasterProject(dir);
  const engines = Object.fromEntries(report.processed.map((p) => [p.path, p.textures[0].engine]));
  expect(engines['textures/wall.png']).toBe('style-stats+lanczos');
  expect(engines['textures/wall_rough.png']).toBe('style-stats+lanczos');
  expect(engines['textures/wall_n.png']).toBe('lanczos');
});

describe('references outside the project are refused before anything is touched (exit 2 config error)', () => {
  const outside = path.join(os.tmpdir(), `remaster-outside-ref-${process.pid}.png`);
  beforeAll(async () => fs.writeFileSync(outside, await encodePNG(await coolReference(32))));
  afterAll(() => fs.rmSync(outside, { force: true }));

  test.each([
    ['a relative path that climbs out', () => path.relative(dir, outside)],
    ['a symlink inside the project that points out', () => {
      fs.symlinkSync(outside, path.join(dir, 'art', 'link.png'));
      return 'art/link.png';
    }],
  ])('%s', async (_name, reference) => {
    config({ reference: reference() });
    const before = snapshot(dir);
    await expect(remasterProject(dir)).rejects.toThrow(/rules\.1\.style\.reference: reference .* is outside the project/);
    expect(snapshot(dir)).toEqual(before);
  });

  test('a missing reference names the rule', async () => {
    config({ reference: 'art/missing.png' });
    await expect(remasterProject(dir)).rejects.toThrow(/rules\.1\.style\.reference: reference image not found: art\/missing\.png/);
  });

  test('strength outside 0..1 is a schema error', async () => {
    config({ reference: 'art/ref.png', strength: 2 });
    await expect(remasterProject(dir)).rejects.toThrow(/rules\.1\.style\.strength/);
  });
});
