/**
 * Tile buffers are collected as they pile up (tile-garbage.ts), not after V8's ~64 MB of external
 * memory. What that saves in peak RSS is measured by the bench (`test/bench/targets.ts`, memory).
 */
import { TileGarbage } from '../plugin/engine/tile-garbage';

const MB = 2 ** 20;

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('a young-generation collection runs (just after) each time the tile bytes pass the limit, with V8 collector found', async () => {
  const garbage = new TileGarbage(16 * MB);
  for (let i = 0; i < 6; i++) {
    new Float32Array(2 * MB).fill(i); // 8 MB, like a x4 tile's output, dropped at once
    garbage.add(8 * MB);
    if (i === 1) expect(garbage.collections).toBe(0); // not in the caller's turn: after it
    await tick();
  }
  expect(garbage.collections).toBe(3); // counted only when V8's gc was found and ran
  const never = new TileGarbage(Infinity);
  never.add(64 * MB);
  await tick();
  expect(never.collections).toBe(0);
});

test('the collector does not leave gc exposed to code that runs later', async () => {
  new TileGarbage(0).add(1);
  await tick();
  expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(require('node:vm').runInNewContext('typeof gc')).toBe('undefined');
});
