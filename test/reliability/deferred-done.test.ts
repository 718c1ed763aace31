/**
 * commitAsset's last save ("done") is deferred to the next asset's intent record or the run's closing
 * flush, saving an fsync per asset. A process killed right after an asset's files were replaced — its
 * done record only in memory — must leave every file old or new, the originals kept, and the next run
 * must take the new files for Remaster's own work (never for new originals) and end like an unkilled run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { remasterProject } from '../../plugin/pipeline/project';
import { hashTree, noisePNG, REPO, write } from './helpers';

let base: string;
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'remaster-deferred-'));
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

const files = (dir: string) => Object.fromEntries(Object.entries(hashTree(dir)).filter(([rel]) => !rel.startsWith('.remaster/')));

test('a kill right after the first asset is written: its done record is lost, the next run redoes it, outputs as an unkilled run', async () => {
  const template = path.join(base, 'template');
  for (let i = 0; i < 3; i++) write(path.join(template, `t${i}.png`), await noisePNG(16, 16, i + 1));
  write(path.join(template, 'remaster.config.json'), JSON.stringify({ rules: [{ match: '**/*', upscale: { scale: 2, model: 'lanczos' } }] }));
  const reference = path.join(base, 'reference');
  fs.cpSync(template, reference, { recursive: true });
  await remasterProject(reference, { concurrency: 1 });

  const killed = path.join(base, 'killed');
  fs.cpSync(template, killed, { recursive: true });
  // One asset at a time; SIGKILL as soon as the first one is reported processed (its commit returned).
  const script = `
    const { remasterProject } = require(${JSON.stringify(path.join(REPO, 'dist/plugin/pipeline/project.js'))});
    remasterProject(${JSON.stringify(killed)}, { concurrency: 1, onEvent: (e) => {
      if (e.type === 'asset' && e.outcome === 'processed') process.kill(process.pid, 'SIGKILL');
    } });`;
  expect(spawnSync(process.execPath, ['-e', script]).signal).toBe('SIGKILL');

  // On disk: t0.png is the new file; its record still holds the intent (pending), no fingerprint.
  expect(files(killed)['t0.png']).toBe(files(reference)['t0.png']);
  expect(files(killed)['t1.png']).toBe(hashTree(template)['t1.png']);
  const { loadState } = await import('../../plugin/state/store');
  const onDisk = await loadState(killed);
  expect(onDisk.files['t0.png'].pending).toBeDefined();
  expect(onDisk.assets['t0.png'].fingerprint).toBe('');
  expect(fs.readFileSync(path.join(killed, '.remaster/originals/t0.png'))).toEqual(fs.readFileSync(path.join(template, 't0.png')));

  const next = await remasterProject(killed, { concurrency: 1 });
  expect(next.failed).toEqual([]);
  expect(next.processed.map((p) => p.path).sort()).toEqual(['t0.png', 't1.png', 't2.png']); // t0 redone from its kept original
  expect(files(killed)).toEqual(files(reference));
  expect(hashTree(path.join(killed, '.remaster/originals'))).toEqual(hashTree(path.join(reference, '.remaster/originals')));
  const again = await remasterProject(killed);
  expect(again.skipped.map((s) => s.reason)).toEqual(['unchanged', 'unchanged', 'unchanged']);
});
