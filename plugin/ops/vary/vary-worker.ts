/**
 * A vary worker thread (vary-threads.ts): runs its share of a split step with the same code as the
 * calling thread, on shared arrays, and reports through its control block: `done` counts finished
 * tasks, `failed` is set (the message posted on the errors port) when one throws, `exited` when the
 * thread ends.
 */

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { fft2d } from '../../metrics/texture-stats/fft';
import { blurRowsH, blurRowsV, type BlurShape } from './blur';
import { correctSubPass, fillFeatures, NeighbourProjections, type ExemplarGrid } from './correct-pass';

/** A correction level's tables and exemplar shape, sent once per level; the level tasks work on them. */
export interface LevelTask {
  kind: 'level';
  /** The level's stack image and PCA projection (copied), the Q tables and features (shared). */
  F: Float32Array;
  P: Float32Array;
  Q: Float32Array;
  qKnown: Uint8Array;
  cache: Float32Array;
  known: Uint8Array;
  ex: ExemplarGrid;
  /** Texel spacing at the level. */
  h: number;
}

/** Steps split by bands of rows [from, to). */
export type BandTask =
  /** Q tables of exemplar rows (correct-pass.ts). */
  | { kind: 'fill-q'; rows: [number, number] }
  /** Features of exemplar rows (all Q tables filled). */
  | { kind: 'fill-features'; rows: [number, number] }
  /** One parity sub-pass over output rows of the shared coordinate map. */
  | { kind: 'sub-pass'; width: number; height: number; x: Int32Array; y: Int32Array; sub: number; wrapOut: boolean; rows: [number, number] }
  /** The exemplar stack's blur passes (blur.ts). */
  | { kind: 'blur-h'; src: Float32Array; tmp: Float32Array; shape: BlurShape; rows: [number, number] }
  | { kind: 'blur-v'; tmp: Float32Array; out: Float32Array; shape: BlurShape; rows: [number, number] };

export type ThreadTask =
  | LevelTask
  | BandTask
  /**
   * Bands of rows [0, n) cut in `chunks`, taken in turn from the shared counter `next` (vary-threads.ts
   * `split`), each run as `task` with its rows.
   */
  | { kind: 'bands'; n: number; chunks: number; next: Int32Array; task: BandTask }
  /** A whole 2-D FFT in place (shared planes). */
  | { kind: 'fft2d'; re: Float64Array; im: Float64Array; width: number; height: number; inverse: boolean };

// Same slots as CONTROL in vary-threads.ts (not imported: that module imports this one's types).
const DONE = 0;
const FAILED = 1;
const EXITED = 2;

const { control, errors } = workerData as { control: Int32Array; errors: MessagePort };
process.on('exit', () => {
  Atomics.store(control, EXITED, 1);
  Atomics.notify(control, DONE);
});

let level: { task: LevelTask; proj: NeighbourProjections } | undefined;

function run(task: ThreadTask): void {
  switch (task.kind) {
    case 'level': {
      const { F, P, Q, qKnown, ex } = task;
      level = { task, proj: new NeighbourProjections(F, ex.width * ex.height, ex.channels, P, { Q, known: qKnown }) };
      return;
    }
    case 'blur-h': return blurRowsH(task.src, task.tmp, task.shape, task.rows[0], task.rows[1]);
    case 'blur-v': return blurRowsV(task.tmp, task.out, task.shape, task.rows[0], task.rows[1]);
    case 'fft2d': return fft2d({ re: task.re, im: task.im }, task.width, task.height, task.inverse);
    case 'bands': {
      const { n, chunks, next } = task;
      for (let c = Atomics.add(next, 0, 1); c < chunks; c = Atomics.add(next, 0, 1)) {
        run({ ...task.task, rows: [Math.floor((n * c) / chunks), Math.floor((n * (c + 1)) / chunks)] });
      }
      return;
    }
    default: break;
  }
  if (!level) throw new Error(`${task.kind} before any level`);
  const { proj } = level;
  const { cache, known, ex, h } = level.task;
  const [from, to] = task.rows;
  if (task.kind === 'fill-q') proj.fill(from * ex.width, to * ex.width);
  else if (task.kind === 'fill-features') fillFeatures(from, to, h, proj, cache, known, ex);
  else correctSubPass({ width: task.width, height: task.height, x: task.x, y: task.y }, task.sub, h, proj, cache, known, ex, task.wrapOut, undefined, undefined, from, to);
}

parentPort!.on('message', (task: ThreadTask) => {
  try {
    run(task);
  } catch (err) {
    errors.postMessage(String((err as Error)?.message ?? err).split('\n')[0]);
    Atomics.store(control, FAILED, 1);
  }
  Atomics.add(control, DONE, 1);
  Atomics.notify(control, DONE);
});
