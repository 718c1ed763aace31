/**
 * `stats` on two threads (style-threads.ts): the same bytes as on one, on real textures through every path
 * the second thread takes (the offset with room left: contrast search here, the offset's reading there; a
 * dark texture: both bisections; grain on and off; tiling and mirrored; alpha; a non-square crop); workers
 * that end with the call; a worker's failure rethrown as one line. The worker runs the compiled dist/ (built
 * by jest's global setup).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { styleTexture, type StyleOptions } from '../plugin/ops/style';
import { liveStyleWorkers, statsLane, styleWorkerTasks } from '../plugin/ops/style/style-threads';
import type { RawImage } from '../plugin/types';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

function load(file: string): RawImage {
  const png = PNG.sync.read(fs.readFileSync(path.join(FIXTURES, file)));
  return { data: new Uint8Array(png.data), width: png.width, height: png.height, channels: 4 };
}

/** `image` repeated to width x height (RGB), its colours scaled by `gain`. */
function tiled(image: RawImage, width: number, height: number, gain = 1): RawImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = ((y % image.height) * image.width + (x % image.width)) * image.channels;
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = Math.round(image.data[from + c] * gain);
    }
  }
  return { data, width, height, channels: 3 };
}

async function workersGone(): Promise<number> {
  for (let t = 0; t < 100 && liveStyleWorkers() > 0; t++) await new Promise((r) => setTimeout(r, 50));
  return liveStyleWorkers();
}

const helmet = load('textures/helmet-basecolor-128.png');
const warm = load('style/warm-strokes-512.png');
const cool = load('style/cool-strokes-512.png');

describe('stats on two threads', () => {
  it.each([
    ['helmet mosaic 256², warm, tiling (room left: contrast search)', tiled(helmet, 256, 256), warm, { seamless: true, seed: 1 }],
    ['the mosaic darkened, cool, tiling (both bisections)', tiled(helmet, 256, 256, 0.3), cool, { seamless: true, seed: 2 }],
    ['the dark mosaic, warm, mirrored, no grain', tiled(helmet, 256, 256, 0.3), warm, { seed: 3, grain: false }],
    ['alpha blend 128², warm, mirrored', load('textures/alpha-blend-128.png'), warm, { seed: 4 }],
    ['stones 192x136, cool, tiling, tone 0.6', tiled(load('sample-project/textures/stones.png'), 192, 136), cool, { seamless: true, seed: 5, tone: 0.6 }],
  ] as [string, RawImage, RawImage, StyleOptions][])('gives the one-thread bytes: %s', async (_name, input, reference, options) => {
    const before = styleWorkerTasks();
    const one = await styleTexture(input, reference, { ...options, threads: 1 });
    expect(styleWorkerTasks()).toBe(before); // threads: 1 uses no worker
    const two = await styleTexture(input, reference, { ...options, threads: 2 });
    expect(styleWorkerTasks() - before).toBeGreaterThanOrEqual(4); // the worker did run (scorer, moves, ratio bisection and its reading)
    expect(Buffer.from(two.data).equals(Buffer.from(one.data))).toBe(true);
    expect(await workersGone()).toBe(0);
  });

  it('rethrows a failure in the worker as one line', async () => {
    const lane = statsLane(2);
    expect(lane.parallel).toBe(true);
    try {
      const largest = lane.start({ kind: 'largest', curve: 'ratio' }); // before any moves were sent: the worker throws
      expect(() => largest()).toThrow(/^style: the second thread failed: style: largest task before the task it needs$/);
    } finally {
      lane.close();
    }
    expect(await workersGone()).toBe(0);
  });

  it('refuses a thread count that is not a whole number from 1', async () => {
    await expect(styleTexture(helmet, warm, { threads: 0 })).rejects.toThrow(/threads must be a whole number from 1/);
    await expect(styleTexture(helmet, warm, { threads: 1.5 })).rejects.toThrow(/threads must be a whole number from 1/);
  });
});
