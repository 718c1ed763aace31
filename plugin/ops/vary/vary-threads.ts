/**
 * vary's other cores: worker threads (vary-worker.ts) that run shares of a step on arrays in
 * SharedArrayBuffers — bands of rows of the synthesis's correction (correct-pass.ts) and of the exemplar
 * stack's blur (blur.ts), one of the spectrum filter's independent FFTs. The caller stays synchronous:
 * this thread runs its own share, then blocks (Atomics.wait) until every worker has finished, so
 * `varyTexture` keeps its synchronous API. A share reads nothing another share writes in the same step
 * and runs the same code on the same numbers, so the result is the same, byte for byte, for any number
 * of threads.
 *
 * Workers are started per `varyTexture` call and terminated at its end (`close`), and unref'd, so they
 * never keep a process alive. A task that throws in a worker is rethrown here as one Error.
 *
 * @example
 * const threads = VaryThreads.open(2); // undefined: run on this thread only
 * try { threads?.split(rows, (band) => ({ kind: 'fill-q', rows: band }), (from, to) => fillHere(from, to)); }
 * finally { threads?.close(); }
 */

import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { compiledWorker } from '../../engine/compiled-worker';
import type { BandTask, ThreadTask } from './vary-worker';

/** A copy of `a` in shared memory, which worker threads can read (and write) as it is. */
export function sharedCopy<T extends Float32Array | Float64Array | Int32Array>(a: T): T {
  const out = new (a.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  (out as Float64Array).set(a);
  return out;
}

/** Slots of a worker's control block (Int32Array on a SharedArrayBuffer). */
export const CONTROL = { done: 0, failed: 1, exited: 2, size: 4 } as const;

/** Workers started and not yet exited, and tasks posted to workers, in this process (for tests and the bench). */
const counters = { live: 0, tasks: 0 };

/** Vary worker threads alive now (a closed one counts until its thread has exited). */
export function liveVaryWorkers(): number {
  return counters.live;
}

/** Tasks handed to vary worker threads so far in this process. */
export function varyWorkerTasks(): number {
  return counters.tasks;
}

/** Bands per thread in `split`: enough for a fast thread to take over a slow one's, few enough to cost nothing. */
const CHUNKS_PER_THREAD = 8;

interface Helper {
  worker: Worker;
  control: Int32Array;
  errors: MessagePort;
  posted: number;
}

export class VaryThreads {
  private closed = false;
  /** The next band to take in `split` (shared with the workers). */
  private readonly next = new Int32Array(new SharedArrayBuffer(4));
  private readonly buffers = new Map<string, SharedArrayBuffer>();

  private constructor(private readonly helpers: Helper[]) {}

  /**
   * `threads` − 1 workers (this thread is the first); undefined when `threads` ≤ 1 or the compiled
   * worker is missing (then the synthesis runs here alone, with the same result).
   */
  static open(threads: number): VaryThreads | undefined {
    if (!(threads > 1)) return undefined;
    const file = compiledWorker(__dirname, 'vary-worker.js');
    if (!file) return undefined;
    const helpers: Helper[] = [];
    for (let i = 1; i < threads; i++) {
      const control = new Int32Array(new SharedArrayBuffer(CONTROL.size * 4));
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(file, { workerData: { control, errors: port1 }, transferList: [port1] });
      worker.unref();
      counters.live++;
      worker.once('exit', () => counters.live--);
      // A failure is read from the control block; an 'error' event without a listener would crash the process.
      worker.on('error', () => undefined);
      helpers.push({ worker, control, errors: port2, posted: 0 });
    }
    return new VaryThreads(helpers);
  }

  /** Threads in all, this one included. */
  get count(): number {
    return this.helpers.length + 1;
  }

  /** Sends every worker the same task (e.g. the level's tables) without waiting. */
  broadcast(task: ThreadTask): void {
    for (const h of this.helpers) this.post(h, task);
  }

  /**
   * Splits rows [0, n) into bands (CHUNKS_PER_THREAD per thread) that the threads take in turn from a
   * shared counter — a worker as `task(band)`, this thread as `here(from, to)` — so a slower thread (a
   * worker's code starts JIT-cold in every call; other processes) takes fewer; returns when all are done.
   * Which thread runs a band does not change its result.
   */
  split(n: number, task: (rows: [number, number]) => BandTask, here: (from: number, to: number) => void): void {
    const chunks = Math.min(n, this.count * CHUNKS_PER_THREAD);
    const edge = (c: number) => Math.floor((n * c) / chunks);
    Atomics.store(this.next, 0, 0);
    for (const h of this.helpers) this.post(h, { kind: 'bands', n, chunks, next: this.next, task: task([0, 0]) });
    for (let c = Atomics.add(this.next, 0, 1); c < chunks; c = Atomics.add(this.next, 0, 1)) here(edge(c), edge(c + 1));
    this.wait();
  }

  /** Runs `tasks` on the workers (one each; at most `count` − 1) and `here` on this thread, together. */
  together(tasks: ThreadTask[], here: () => void): void {
    if (tasks.length > this.helpers.length) throw new Error(`vary: ${tasks.length} tasks for ${this.helpers.length} worker threads`);
    tasks.forEach((task, i) => this.post(this.helpers[i], task));
    here();
    this.wait();
  }

  /**
   * A SharedArrayBuffer of `bytes` kept for the rest of the call under `key`: the same one again for the
   * next step that asks (one set of correction tables for every split level, instead of 75 MB more per
   * level for a 512² exemplar that the worker's heap would keep until it happened to collect).
   * Its contents are whatever the last user left.
   */
  buffer(key: string, bytes: number): SharedArrayBuffer {
    const had = this.buffers.get(key);
    if (had && had.byteLength === bytes) return had;
    const made = new SharedArrayBuffer(bytes);
    this.buffers.set(key, made);
    return made;
  }

  /** Ends the workers (their threads stop; nothing keeps the process alive meanwhile). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffers.clear();
    for (const h of this.helpers) {
      h.errors.close();
      void h.worker.terminate().catch(() => undefined);
    }
  }

  private post(h: Helper, task: ThreadTask): void {
    if (this.closed) throw new Error('vary: synthesis threads already closed');
    h.posted++;
    counters.tasks++;
    h.worker.postMessage(task);
  }

  /** Blocks until every worker has done every task posted to it; rethrows a worker's failure. */
  private wait(): void {
    for (const h of this.helpers) {
      for (;;) {
        const done = Atomics.load(h.control, CONTROL.done);
        if (Atomics.load(h.control, CONTROL.failed)) {
          const message = receiveMessageOnPort(h.errors)?.message;
          throw new Error(`vary: a worker thread failed: ${typeof message === 'string' ? message : 'unknown error'}`);
        }
        if (done === h.posted) break;
        if (Atomics.load(h.control, CONTROL.exited)) throw new Error('vary: a worker thread stopped before finishing its work');
        Atomics.wait(h.control, CONTROL.done, done, 1000);
      }
    }
  }
}
