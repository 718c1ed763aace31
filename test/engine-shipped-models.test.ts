/**
 * The models shipped in models/ follow the engine's convention and work through it. Skipped (and
 * reported as skipped) while models/ has none; runs for every model TRAIN adds.
 */
import { createEngine, normalLengthError, shippedModels } from '../plugin/engine';
import { loadModel } from '../plugin/engine/onnx-model';
import { resolveModel } from '../plugin/engine/model-source';
import { channel, texture } from './engine-fixtures';

const models = shippedModels();
const engine = createEngine({ device: 'cpu' });
afterAll(() => engine.close());

(models.length ? describe : describe.skip)('shipped models', () => {
  test.each(models.length ? models : ['none'])('%s: NCHW float32 RGB "input" -> "output", dynamic, scale as named', async (name) => {
    const source = resolveModel(name);
    if (source.kind !== 'onnx') throw new Error('not a model');
    const m = await loadModel(source.file, name, 'cpu', () => undefined);
    expect([m.info.inputName, m.info.outputName, m.info.dtype, m.info.fixedSize]).toEqual(['input', 'output', 'float32', undefined]);
    const named = /-x(\d+)-/.exec(name);
    if (named) expect(m.info.scale).toBe(Number(named[1]));
    await m.session.release();
  });

  test.each(models.length ? models : ['none'])('%s: colour keeps alpha, normals stay unit length', async (name) => {
    const scale = /-x4-/.test(name) ? 4 : 2;
    const alpha = await texture('alpha-blend-128.png');
    const out = (await engine.upscale(alpha, { scale, model: name, kind: 'color' })).image;
    expect([out.width, out.channels]).toEqual([128 * scale, 4]);
    expect(channel(out, 3).filter((a) => a === 0).length).toBeGreaterThan(1000);
    const normal = await texture('helmet-normal-128.png');
    const n = (await engine.upscale(normal, { scale, model: name, kind: 'normal' })).image;
    expect(normalLengthError(n).max).toBeLessThan(0.012);
  });
});
