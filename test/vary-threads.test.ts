/**
 * vary on several threads (vary-threads.ts): the same bytes as on one thread, workers that end with the
 * call, and a worker's failure rethrown as one line. Outputs ≥ 256² use the workers; the workers run the
 * compiled dist/ (built by jest's global setup).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { varyTexture, VaryInputError, type VaryMap, type VaryOptions } from '../plugin/ops/vary';
import { liveVaryWorkers, varyWorkerTasks, VaryThreads } from '../plugin/ops/vary/vary-threads';
import type { RawImage } from '../plugin/types';

const TEXTURES = path.join(__dirname, '..', 'fixtures', 'sample-project', 'textures');

function load(file: string): RawImage {
  const png = PNG.sync.read(fs.readFileSync(path.join(TEXTURES, file)));
  return { data: new Uint8Array(png.data), width: png.width, height: png.height, channels: 4 };
}

const stones: VaryMap[] = [
  { slot: 'color', kind: 'color', image: load('stones.png') },
  { slot: 'normal', kind: 'normal', image: load('stones_n.png') },
  { slot: 'orm', kind: 'data', image: load('stones_orm.png') },
];

/** Every byte a caller gets: each variant's maps and coordinates, and the self-check's figures. */
function bytesOf(maps: VaryMap[], options: VaryOptions): Buffer[] {
  const r = varyTexture(maps, options);
  return [
    ...r.variants.flatMap((v) => [...v.maps.map((m) => Buffer.from(m.image.data)), Buffer.from(v.coords.x.buffer.slice(0)), Buffer.from(v.coords.y.buffer.slice(0))]),
    Buffer.from(JSON.stringify(r.check)),
  ];
}

async function workersGone(): Promise<number> {
  for (let t = 0; t < 100 && liveVaryWorkers() > 0; t++) await new Promise((r) => setTimeout(r, 50));
  return liveVaryWorkers();
}

describe('vary on several threads', () => {
  // Bands (8 per thread: 256 / 16, 256 / 24 rows) start on odd rows too, where a sub-pass's row parity must be kept.
  it.each([
    ['stones, 3 maps, tiling, guided, 2 variants', stones, { count: 2, seed: 3, width: 256, height: 256 }],
    ['stones, non-tiling output 320x256', stones, { count: 1, seed: 5, width: 320, height: 256, tile: false }],
    ['hexametal, lattice', [{ slot: 'color', kind: 'color', image: load('hexametal.png') }] as VaryMap[], { count: 1, seed: 2, width: 256, height: 256 }],
  ])('gives the one-thread bytes: %s', (_name, maps, options) => {
    const before = varyWorkerTasks();
    const one = bytesOf(maps, { ...options, threads: 1 });
    expect(varyWorkerTasks()).toBe(before); // threads: 1 uses no worker
    const two = bytesOf(maps, { ...options, threads: 2 });
    const split = varyWorkerTasks() - before;
    expect(split).toBeGreaterThan(20); // the workers did run (level tables, sub-passes, blurs, FFTs)
    const three = bytesOf(maps, { ...options, threads: 3 });
    expect(two.length).toBe(one.length);
    two.forEach((b, i) => expect(b.equals(one[i])).toBe(true));
    three.forEach((b, i) => expect(b.equals(one[i])).toBe(true));
  });

  it('ends its workers with the call', async () => {
    varyTexture(stones, { count: 1, seed: 1, width: 256, height: 256, threads: 2 });
    expect(await workersGone()).toBe(0);
  });

  it('rethrows a failure in a worker as one line and ends the workers', async () => {
    const threads = VaryThreads.open(2)!;
    expect(threads).toBeDefined();
    try {
      // A table fill before any level was sent: the worker throws.
      expect(() => threads.together([{ kind: 'fill-q', rows: [0, 8] }], () => undefined)).toThrow(/^vary: a worker thread failed: fill-q before any level$/);
    } finally {
      threads.close();
    }
    expect(await workersGone()).toBe(0);
  });

  it('refuses a thread count that is not a whole number from 1', () => {
    expect(() => varyTexture(stones, { threads: 0 })).toThrow(VaryInputError);
    expect(() => varyTexture(stones, { threads: 1.5 })).toThrow(/threads must be a whole number/);
  });
});
