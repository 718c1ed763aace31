/**
 * A no-op run touches nothing it does not need: no model session, no file hashed while the change gate
 * (size, mtime, ctime, inode as Remaster left them) vouches for it; and the gate lets no edit through,
 * even one that keeps the file's size and puts its mtime back.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { remasterProject } from '../plugin/pipeline/project';
import * as gltfIO from '../plugin/gltf/io';
import * as hash from '../plugin/state/hash';
import * as originals from '../plugin/state/originals';
import { noisePNG } from './reliability/helpers';
import { makeProject, removeProject, writeJSON } from './helpers/project';

let dir: string;
beforeEach(async () => {
  dir = makeProject({ 'models/box': 'gltf/BoxTextured' });
  for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(dir, `t${i}.png`), await noisePNG(8, 8, i + 1));
  // The shipped neural model, so a session is what a real run creates.
  writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: '**/*', upscale: { scale: 2, model: 'remaster-x2-fast' } }] });
});
afterEach(() => {
  jest.restoreAllMocks();
  removeProject(dir);
});

test('a no-op run loads no model (no inference session) and hashes no file', async () => {
  // The engine logs each model it loads (a session, in this thread or its inference worker).
  const loaded = (lines: string[]) => lines.filter((l) => /^model remaster-x2-fast: /.test(l));
  const firstLog: string[] = [];
  const first = await remasterProject(dir, { log: (l) => firstLog.push(l) });
  expect(first.failed).toEqual([]);
  expect(first.processed.length).toBe(4);
  expect(loaded(firstLog)).toHaveLength(1); // the log shows a model when one is loaded

  const secondLog: string[] = [];
  const hashed = jest.spyOn(hash, 'hashBytes');
  const second = await remasterProject(dir, { log: (l) => secondLog.push(l) });
  expect(second.processed).toEqual([]);
  expect(second.skipped.map((s) => s.reason)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  expect(loaded(secondLog)).toEqual([]);
  expect(hashed).not.toHaveBeenCalled();
});

test('a no-op run reads no kept original and parses no model: one lstat per file', async () => {
  expect((await remasterProject(dir)).processed.length).toBe(4);
  const readOriginal = jest.spyOn(originals, 'readOriginal');
  const parse = jest.spyOn(gltfIO, 'parseContainer');
  const hashed = jest.spyOn(hash, 'hashBytes');
  const second = await remasterProject(dir);
  expect(second.skipped.map((s) => s.reason)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  expect(readOriginal).not.toHaveBeenCalled();
  expect(parse).not.toHaveBeenCalled();
  expect(hashed).not.toHaveBeenCalled();
  // Any file the gate cannot vouch for takes the full check: a touched model is read (and still unchanged).
  const model = path.join(dir, 'models/box/BoxTextured.gltf');
  const text = fs.readFileSync(model);
  fs.writeFileSync(model, text);
  const third = await remasterProject(dir);
  expect(parse).toHaveBeenCalled();
  expect(third.skipped.map((s) => s.reason)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
});

test('a kept original deleted behind Remaster\'s back is still reported by a no-op run (one lstat, no read)', async () => {
  expect((await remasterProject(dir)).processed.length).toBe(4);
  fs.rmSync(path.join(dir, '.remaster', 'originals', 't1.png'));
  const second = await remasterProject(dir);
  expect(second.failed).toEqual([{ path: 't1.png', error: expect.stringMatching(/t1\.png: the kept original is missing from \.remaster\/originals/) }]);
  expect(second.skipped.map((s) => s.reason)).toEqual(['unchanged', 'unchanged', 'unchanged']);
});

test('a bad model in the rules still fails the run (exit 2) as soon as an asset needs remastering', async () => {
  writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: '**/*', upscale: { scale: 2, model: 'models/none.onnx' } }] });
  await expect(remasterProject(dir)).rejects.toMatchObject({ code: 'CONFIG' });
  expect(fs.existsSync(path.join(dir, '.remaster', 'originals'))).toBe(false);
});

test('an edit that keeps the size and puts the mtime back is still seen (ctime moved)', async () => {
  await remasterProject(dir);
  const file = path.join(dir, 't0.png');
  const before = fs.statSync(file, { bigint: true });
  // Same length, one byte flipped inside the PNG's last chunk CRC: the content is no longer Remaster's.
  const bytes = fs.readFileSync(file);
  bytes[bytes.length - 1] ^= 0xff;
  fs.writeFileSync(file, bytes);
  // The mtime put back to the nanosecond (touch does; fs.utimes rounds).
  const ns = before.mtimeNs;
  expect(spawnSync('touch', ['-m', '-d', `@${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`, file]).status).toBe(0);
  const after = fs.statSync(file, { bigint: true });
  expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
  const run = await remasterProject(dir);
  // The edited file is the user's now (a new original, whatever becomes of it), never skipped as unchanged.
  expect(run.skipped.find((s) => s.path === 't0.png')).toBeUndefined();
  expect(run.skipped.length).toBe(3);
});
