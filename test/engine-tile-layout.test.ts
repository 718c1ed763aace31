/**
 * Default tiles: on CPU a model's output tile stays within CPU_MAX_OUTPUT_TILE texels, so onnxruntime's
 * arena stays in its smaller size class (memory target of issue 13); `--tile` and fixed-size models still win.
 */
import { chooseLayout, CPU_MAX_OUTPUT_TILE, defaultTile } from '../plugin/engine/tile-layout';
import { planAxis } from '../plugin/engine/tiler';
import type { ModelInfo } from '../plugin/engine/onnx-model';

const info = (scale: number, fixedSize?: { width: number; height: number }): ModelInfo =>
  ({ inputName: 'input', outputName: 'output', dtype: 'float32', scale, batch: true, probe: 'known', fixedSize });

test('x2 keeps 256 texel tiles on CPU; x4 gets 204; GPUs keep 512', () => {
  expect(defaultTile('cpu', 2)).toBe(256);
  expect(defaultTile('cpu', 4)).toBe(204);
  expect(defaultTile('webgpu', 4)).toBe(512);
  expect(defaultTile('cuda', 2)).toBe(512);
});

test.each([512, 1000, 1024, 2048, 4096])('x4 of %i² on CPU runs tiles whose output fits the limit', (size) => {
  const layout = chooseLayout({ info: info(4), device: 'cpu' });
  const plan = planAxis(size, layout.tileWidth, layout);
  expect(plan.length * 4).toBeLessThanOrEqual(CPU_MAX_OUTPUT_TILE);
  // Still real tiles, not slivers: the core is most of the tile.
  expect(plan.length).toBeGreaterThanOrEqual(150);
});

test('an explicit tile size and a fixed-size model override the default', () => {
  expect(chooseLayout({ info: info(4), device: 'cpu' }, 256).tileWidth).toBe(256);
  expect(chooseLayout({ info: info(4, { width: 64, height: 48 }), device: 'cpu' }).tileHeight).toBe(48);
});
