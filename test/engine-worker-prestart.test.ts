/**
 * `remaster upscale` starts the inference worker before the CLI has loaded (prestartInferenceWorker in
 * bin/remaster.js): the next engine takes that worker over, and one that died before it was taken
 * over is replaced by a fresh worker, never a run that hangs or fails. Real onnxruntime, tiny model.
 */
import path from 'node:path';
import { crashPrestartedForTest, InferenceHost, prestartedThreadIdForTest, prestartInferenceWorker } from '../plugin/engine/inference-host';
import { MODELS } from './engine-fixtures';

const tiny = path.join(MODELS, 'tiny-x2.onnx');

async function runOnce(host: InferenceHost): Promise<number> {
  const m = await host.load(tiny, 'tiny', 'cpu', () => undefined);
  return (await m.run(new Float32Array(3 * 32 * 32).fill(0.5), 32, 32)).length; // a tile is handed over, not copied: a new one each run
}

test('the next host adopts the prestarted worker (same thread) and runs on it', async () => {
  prestartInferenceWorker();
  const early = prestartedThreadIdForTest();
  expect(early).toBeDefined();
  const host = new InferenceHost({ threads: 1 });
  try {
    expect(await runOnce(host)).toBe(3 * 64 * 64);
    expect(host.threadId).toBe(early);
    expect(prestartedThreadIdForTest()).toBeUndefined(); // adopted once, not handed out again
  } finally {
    await host.close();
  }
});

test('a prestarted worker that died before adoption is replaced by a fresh one', async () => {
  prestartInferenceWorker();
  const early = prestartedThreadIdForTest();
  await crashPrestartedForTest();
  const host = new InferenceHost({ threads: 1 });
  try {
    expect(await runOnce(host)).toBe(3 * 64 * 64);
    expect(host.threadId).toBeDefined();
    expect(host.threadId).not.toBe(early);
  } finally {
    await host.close();
  }
});
