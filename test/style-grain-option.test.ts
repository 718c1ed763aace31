/**
 * The colour grain of method `stats` can be turned off where a studio wants only the grade: `grain: false`
 * (API), `--no-grain` (CLI), `"grain": false` (rule key). Off gives the grain-free transfer byte for byte;
 * on (the default) is unchanged; a non-boolean value or another method is refused like the other keys.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { remasterProject } from '../plugin/pipeline';
import { styleFull, styleTexture } from '../plugin/ops/style';
import { smoothDilated } from '../plugin/ops/style/band-stack';
import { style } from '../plugin/ops/style/operation';
import { rgbToOpponent } from '../plugin/ops/style/opponent';
import { rgbPlanesOf, toRawImage } from '../plugin/ops/style/planes';
import { seededRandom } from '../plugin/ops/style/random';
import { statisticsTransfer } from '../plugin/ops/style/statistics-transfer';
import type { RawImage } from '../plugin/types';
import { decode, encodePNG, makeProject, removeProject, snapshot, writeJSON } from './helpers/project';
import { coolReference, maxAbsDiff, tilingTexture } from './helpers/style-images';

const BIN = path.join(__dirname, '..', 'bin', 'remaster.js');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

/** Standard deviation of the colour-difference detail finer than ~8 texels, both planes together. */
function fineChroma(image: RawImage): number {
  const o = rgbToOpponent(rgbPlanesOf(image));
  let s = 0;
  for (const c of [1, 2]) {
    const p = o.planes[c];
    const coarse = smoothDilated(smoothDilated(p, o.width, o.height, 1, true), o.width, o.height, 2, true);
    for (let i = 0; i < p.length; i++) s += (p[i] - coarse[i]) ** 2;
  }
  return Math.sqrt(s / (2 * o.width * o.height));
}

let reference: RawImage;
beforeAll(async () => {
  reference = await coolReference(128);
});
const input = tilingTexture(96, 96, 6);

test('API: grain false is the grain-free transfer, byte for byte, with less fine colour variation than the default', async () => {
  const plain = await styleTexture(input, reference, { seamless: true, seed: 3, grain: false });
  const direct = toRawImage(statisticsTransfer(rgbPlanesOf(input), rgbPlanesOf(reference), seededRandom(3), { wrap: true, chromaGrain: false }), input);
  expect(maxAbsDiff(plain, direct)).toBe(0);
  const grained = await styleTexture(input, reference, { seamless: true, seed: 3 });
  expect(maxAbsDiff(grained, await styleTexture(input, reference, { seamless: true, seed: 3, grain: true }))).toBe(0);
  expect(maxAbsDiff(plain, grained)).toBeGreaterThan(3);
  expect(fineChroma(plain)).toBeLessThan(0.8 * fineChroma(grained));
});

test('API: a non-boolean grain, or grain false with a method that has none, is refused', async () => {
  await expect(styleFull(input, reference, { grain: 'no' as never })).rejects.toThrow('grain must be true or false, got no');
  await expect(styleFull(input, reference, { method: 'stats-bands', grain: false })).rejects.toThrow('grain applies to method "stats" only, not "stats-bands"');
});

test('rule key: absent unless a rule turns the grain off (earlier fingerprints unchanged), merged, checked against the method', async () => {
  const plain = style.merge(null, { reference: 'art/ref.png' });
  expect(plain && 'grain' in plain).toBe(false);
  const off = style.merge(plain, { grain: false });
  expect(off?.grain).toBe(false);
  expect(style.merge(off, { strength: 0.5 })?.grain).toBe(false);
  const on = style.merge(off, { grain: true });
  expect(on && 'grain' in on).toBe(false);
  const bad = await style.check?.({ grain: false, method: 'gram' }, { root: '/nonexistent' } as never);
  expect(bad).toEqual({ field: 'grain', message: 'applies to method "stats" only, not "gram"' });
});

describe('in a project and on the command line', () => {
  let dir: string;
  beforeEach(async () => {
    dir = makeProject();
    fs.mkdirSync(path.join(dir, 'textures'));
    fs.mkdirSync(path.join(dir, 'art'));
    fs.writeFileSync(path.join(dir, 'textures', 'wall.png'), await encodePNG(input));
    fs.writeFileSync(path.join(dir, 'art', 'ref.png'), await encodePNG(reference));
  });
  afterEach(() => removeProject(dir));
  const config = (value: Record<string, unknown>) =>
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: 'art/**', skip: true }, { match: 'textures/**', style: value, upscale: false }] });

  test('"grain": false styles the texture without the grain', async () => {
    config({ reference: 'art/ref.png', seamless: true, seed: 3, grain: false });
    const report = await remasterProject(dir);
    expect(report.failed).toEqual([]);
    const out = await decode(path.join(dir, 'textures', 'wall.png'));
    expect(maxAbsDiff(out, await styleTexture(input, reference, { seamless: true, seed: 3, grain: false }))).toBe(0);
  });

  test.each([
    ['a non-boolean grain', { reference: 'art/ref.png', grain: 'off' }, /remaster\.config\.json: rules\.1\.style\.grain: must be boolean/],
    ['grain false with method gram', { reference: 'art/ref.png', grain: false, method: 'gram' }, /rules\.1\.style\.grain: applies to method "stats" only, not "gram"/],
  ])('%s is a config error naming the key; nothing touched', async (_name, value, message) => {
    config(value);
    const before = snapshot(dir);
    await expect(remasterProject(dir)).rejects.toThrow(message);
    expect(snapshot(dir)).toEqual(before);
  });

  test('--no-grain writes the grade only; with another method it is one line, exit 2, nothing written', async () => {
    const wall = path.join(dir, 'textures', 'wall.png');
    const REFERENCE = path.join(dir, 'art', 'ref.png'); // 128², to keep the two CLI runs short
    const plainOut = path.join(dir, 'plain.png');
    const r = run('style', wall, plainOut, '--reference', REFERENCE, '--seamless', '--seed', '2', '--no-grain');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no grain');
    const grainOut = path.join(dir, 'grain.png');
    expect(run('style', wall, grainOut, '--reference', REFERENCE, '--seamless', '--seed', '2').status).toBe(0);
    const plain = await decode(plainOut);
    const grained = await decode(grainOut);
    expect(fineChroma(plain)).toBeLessThan(0.8 * fineChroma(grained));

    const bad = path.join(dir, 'bad.png');
    const b = run('style', wall, bad, '--reference', REFERENCE, '--no-grain', '--method', 'stats-bands');
    expect(b.status).toBe(2);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
    expect(b.stderr).toMatch(/--no-grain applies to --method stats only, not stats-bands/);
    expect(fs.existsSync(bad)).toBe(false);
  }, 180_000);
});
