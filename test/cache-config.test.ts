/**
 * `cache` in remaster.config.json: the same result cache as `--cache DIR`, relative to the project,
 * overridden by the flag / API option; a folder that is the project, contains it or lies in its
 * .remaster/ is refused before anything is touched; not allowed in a sidecar.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { remasterProject } from '../plugin/pipeline/project';
import { countingEngine } from './helpers/counting-engine';
import { noisePNG, REPO, write } from './reliability/helpers';

let base: string;
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'remaster-cache-config-'));
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

const entries = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).filter((n) => n.endsWith('.entry')) : []);
const rules = [{ match: '**/*', upscale: { scale: 2, model: 'lanczos' } }];

async function project(name: string, cache?: unknown): Promise<string> {
  const dir = path.join(base, name);
  for (let i = 0; i < 2; i++) write(path.join(dir, `t${i}.png`), await noisePNG(8, 8, i + 1));
  write(path.join(dir, 'remaster.config.json'), JSON.stringify({ ...(cache === undefined ? {} : { cache }), rules }));
  return dir;
}

test('a configured cache outside the project is filled, and a copy of the project takes its results with zero engine calls', async () => {
  const a = await project('a', { dir: '../shared-cache', maxMB: 64 });
  const b = path.join(base, 'b');
  fs.cpSync(a, b, { recursive: true });
  const cold = countingEngine();
  const ra = await remasterProject(a, { engine: cold });
  await cold.close();
  expect(ra.processed).toHaveLength(2);
  expect(entries(path.join(base, 'shared-cache'))).toHaveLength(2);

  const warm = countingEngine();
  const rb = await remasterProject(b, { engine: warm });
  await warm.close();
  expect(warm.calls).toBe(0);
  for (const p of rb.processed) expect(p.warnings).toContain('from the result cache');
});

test('--cache / the cache option overrides the configured folder', async () => {
  const a = await project('a', { dir: '../configured' });
  const engine = countingEngine();
  await remasterProject(a, { engine, cache: path.join(base, 'given') });
  await engine.close();
  expect(entries(path.join(base, 'given'))).toHaveLength(2);
  expect(fs.existsSync(path.join(base, 'configured'))).toBe(false);
});

test('maxMB caps the configured cache (entries evicted at the end of the run)', async () => {
  const a = await project('a', { dir: '../capped', maxMB: 0.0001 }); // ~100 bytes: less than one entry
  const engine = countingEngine();
  const report = await remasterProject(a, { engine });
  await engine.close();
  expect(report.processed).toHaveLength(2);
  expect(entries(path.join(base, 'capped'))).toEqual([]);
});

test.each([
  ['the project itself', '.'],
  ['a folder containing the project', '..'],
  ['its .remaster/', '.remaster/cache'],
])('a cache folder that is %s is a config error, and nothing is touched', async (_what, dir) => {
  const a = await project('a', { dir });
  const before = fs.readdirSync(a).sort();
  await expect(remasterProject(a)).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining('cache.dir') });
  expect(fs.readdirSync(a).sort()).toEqual(before);
  expect(fs.readdirSync(base)).toEqual(['a']);
});

test('a sidecar may not set the cache; an unknown key in it is named', async () => {
  const a = await project('a');
  write(path.join(a, 't0.png.remaster.json'), JSON.stringify({ cache: { dir: '../x' }, rules: [] }));
  await expect(remasterProject(a)).rejects.toThrow(/t0\.png\.remaster\.json: cache: not allowed in a sidecar/);
  write(path.join(a, 'remaster.config.json'), JSON.stringify({ cache: { dir: '../x', size: 3 }, rules }));
  fs.rmSync(path.join(a, 't0.png.remaster.json'));
  await expect(remasterProject(a)).rejects.toThrow(/cache\.size: unknown key/);
});

test('remaster run: the configured cache is used, --cache overrides it', async () => {
  const a = await project('a', { dir: '../from-config' });
  const b = await project('b', { dir: '../from-config' });
  const cli = (dir: string, ...flags: string[]) => spawnSync(process.execPath, [path.join(REPO, 'bin/remaster.js'), 'run', dir, '--json', ...flags], { encoding: 'utf8' });
  expect(cli(a).status).toBe(0);
  expect(entries(path.join(base, 'from-config'))).toHaveLength(2);
  expect(cli(b, '--cache', path.join(base, 'from-flag')).status).toBe(0);
  expect(entries(path.join(base, 'from-flag'))).toHaveLength(2);
});
