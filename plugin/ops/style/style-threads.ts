/**
 * `stats`' second core: a lane that runs its tasks (stats-tasks.ts) on one worker thread (style-worker.ts)
 * while the calling thread works on, or — one thread, or no compiled worker — here, when their results are
 * first asked for, in the order they were handed over. The caller stays synchronous: asking for a result
 * blocks (Atomics.wait) until the worker has sent it. A task's arrays are copied both ways (structured
 * clone: a few milliseconds for a 1024² texture's planes), so neither thread ever sees the other write.
 * The same code runs the same numbers on either thread, so the output is the same bytes for any thread count.
 *
 * The worker starts with the first task handed over (so a call that needs none starts none) and ends at
 * `close`; it is unref'd, so it never keeps a process alive. A task that throws there is rethrown here.
 *
 * @example
 * const lane = statsLane(2);
 * try {
 *   const grain = lane.start({ kind: 'chroma-grain', ... }); // runs over there
 *   doOtherWork();
 *   use(grain()); // waits for it
 * } finally { lane.close(); }
 */

import os from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { compiledWorker } from '../../engine/compiled-worker';
import { runStatsTask, type StatsTask, type StatsTaskResult, type StatsTaskState } from './stats-tasks';

/** A task's result, when asked for (waits for it if it runs on the worker). */
export type Later<T> = () => T;

export interface StatsLane {
  /** Tasks run on another thread: handing over one that may go unused costs this thread nothing. */
  readonly parallel: boolean;
  start<T extends StatsTask>(task: T): Later<StatsTaskResult[T['kind']]>;
  close(): void;
}

/** Slots of the worker's control block (Int32Array on a SharedArrayBuffer). */
export const STYLE_CONTROL = { sent: 0, exited: 1, size: 2 } as const;

/** What the worker sends back per task. */
export interface StatsReply { id: number; value?: unknown; error?: string }

/**
 * Textures from this many texels up use the second thread by default. Measured on 2 cores, nothing else running
 * (sixteenth pass, `bench/style.js --threads 1|2`, 3 pairs): 1024² 0.75-0.83x the one-thread time, 512² 0.90-0.95x,
 * 256² 0.99-1.04x, each at 40-50 % more CPU; under load the second thread is slower below 1024². So below, one.
 */
export const STYLE_THREADS_MIN_TEXELS = 1024 * 1024;

/** The default thread count for a texture of `texels`: two (one on a single-core machine), one below STYLE_THREADS_MIN_TEXELS. */
export function defaultStyleThreads(texels: number): number {
  return texels >= STYLE_THREADS_MIN_TEXELS ? Math.min(2, os.availableParallelism()) : 1;
}

/** Worker threads started and not yet exited, and tasks handed to workers, in this process (for tests). */
const counters = { live: 0, tasks: 0 };

/** Style worker threads alive now (a closed one counts until its thread has exited). */
export function liveStyleWorkers(): number {
  return counters.live;
}

/** Tasks handed to style worker threads so far in this process. */
export function styleWorkerTasks(): number {
  return counters.tasks;
}

/** A lane over `threads` threads in all: a worker when 2 or more (the tasks have room for one) and it is built; else this thread. */
export function statsLane(threads: number): StatsLane {
  const file = threads > 1 ? compiledWorker(__dirname, 'style-worker.js') : undefined;
  return file ? new WorkerLane(file) : new HereLane();
}

/** Tasks run here, each when its result (or a later task's) is first asked for, in the order handed over. */
class HereLane implements StatsLane {
  readonly parallel = false;
  private readonly state: StatsTaskState = {};
  private readonly waiting: (() => void)[] = [];
  private ran = 0;

  start<T extends StatsTask>(task: T): Later<StatsTaskResult[T['kind']]> {
    let value: StatsTaskResult[T['kind']] | undefined;
    this.waiting.push(() => (value = runStatsTask(this.state, task)));
    const at = this.waiting.length;
    return () => {
      while (this.ran < at) this.waiting[this.ran++]();
      return value as StatsTaskResult[T['kind']];
    };
  }

  close(): void {
    this.waiting.length = 0;
  }
}

class WorkerLane implements StatsLane {
  readonly parallel = true;
  private worker?: Worker;
  private readonly control = new Int32Array(new SharedArrayBuffer(STYLE_CONTROL.size * 4));
  private port?: MessagePort;
  private readonly replies = new Map<number, StatsReply>();
  private posted = 0;
  private closed = false;

  constructor(private readonly file: string) {}

  start<T extends StatsTask>(task: T): Later<StatsTaskResult[T['kind']]> {
    if (this.closed) throw new Error('style: the second thread is already closed');
    const id = this.posted++;
    counters.tasks++;
    this.open().postMessage({ id, task });
    let reply: StatsReply | undefined;
    return () => {
      reply ??= this.wait(id);
      if (reply.error !== undefined) throw new Error(`style: the second thread failed: ${reply.error}`);
      return reply.value as StatsTaskResult[T['kind']];
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.replies.clear();
    this.port?.close();
    if (this.worker) void this.worker.terminate().catch(() => undefined);
  }

  private open(): Worker {
    if (this.worker) return this.worker;
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(this.file, { workerData: { control: this.control, port: port1 }, transferList: [port1] });
    worker.unref();
    counters.live++;
    worker.once('exit', () => counters.live--);
    // A failure comes back as a reply, or as the exited flag; an 'error' event without a listener would crash the process.
    worker.on('error', () => undefined);
    this.port = port2;
    return (this.worker = worker);
  }

  /** Blocks until the reply to task `id` has come. */
  private wait(id: number): StatsReply {
    for (;;) {
      const sent = Atomics.load(this.control, STYLE_CONTROL.sent);
      for (let m = receiveMessageOnPort(this.port!); m; m = receiveMessageOnPort(this.port!)) {
        const reply = m.message as StatsReply;
        this.replies.set(reply.id, reply);
      }
      const reply = this.replies.get(id);
      if (reply) {
        this.replies.delete(id);
        return reply;
      }
      if (Atomics.load(this.control, STYLE_CONTROL.exited)) throw new Error('style: the second thread stopped before finishing its work');
      Atomics.wait(this.control, STYLE_CONTROL.sent, sent, 1000);
    }
  }
}
