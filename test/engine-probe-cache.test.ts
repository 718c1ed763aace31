/**
 * Shipped models' probe results come from models/probe-results.json, keyed by the SHA-256 of the
 * file's bytes (probe-cache.ts): a file whose bytes change is probed again, whatever its name.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadModel } from '../plugin/engine/onnx-model';
import { freshProbeTable, PROBE_TABLE_FILE } from '../plugin/engine/probe-cache';
import { modelsDir } from '../plugin/engine/model-source';
import { MODELS } from './engine-fixtures';

const quiet = () => undefined;
let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'remaster-probe-cache-')); });
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function load(file: string) {
  const m = await loadModel(file, path.basename(file), 'cpu', quiet, undefined, 1);
  await m.release();
  return m.info;
}

test('the shipped table matches a fresh probe of every shipped model', async () => {
  const recorded = JSON.parse(fs.readFileSync(path.join(modelsDir(), PROBE_TABLE_FILE), 'utf8')).models;
  const fresh = (await freshProbeTable()).models;
  // On failure: a shipped model changed; run `npm run build && node dist/plugin/engine/probe-cache.js --write`.
  expect(recorded).toEqual(fresh);
});

test('a shipped model is not probed; its bytes under another name are known too', async () => {
  const shipped = path.join(modelsDir(), 'remaster-x2-fast.onnx');
  expect(await load(shipped)).toMatchObject({ scale: 2, batch: true, probe: 'known' });
  const copy = path.join(tmp, 'renamed.onnx');
  fs.copyFileSync(shipped, copy);
  expect(await load(copy)).toMatchObject({ scale: 2, probe: 'known' });
});

test('a model file whose bytes change is probed again, even under a shipped model name', async () => {
  const file = path.join(tmp, 'remaster-x2-fast.onnx');
  fs.copyFileSync(path.join(modelsDir(), 'remaster-x2-fast.onnx'), file);
  expect(await load(file)).toMatchObject({ scale: 2, probe: 'known' });
  fs.copyFileSync(path.join(MODELS, 'byo-x3.onnx'), file); // same path, other bytes
  expect(await load(file)).toMatchObject({ scale: 3, probe: 'run' });
});
