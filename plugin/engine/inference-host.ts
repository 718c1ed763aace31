/**
 * The main thread's side of the inference worker (inference-worker.ts): loads models into it and
 * runs tiles there, so the JS thread stays free while onnxruntime computes.
 *
 *   const host = new InferenceHost({ threads: 2 });
 *   const model = await host.load('/abs/model.onnx', 'model', 'cpu', console.log);
 *   const out = await model.run(tile, 256, 256);   // resolves when the worker is done
 *   await host.close();
 *
 * A worker that crashes or exits fails only the requests it had (one line each: the pipeline turns
 * that into one asset failure); the next request starts a fresh worker, which recreates its
 * sessions on the device they were first loaded on. The worker does not keep the process alive
 * while it has nothing to do.
 *
 * With `workers` > 1 a CPU model has a session in each worker and every tile goes to the worker with
 * the fewest requests out, so tiles of different textures (or of one big texture) run side by side,
 * each session on its own threads. Why (issue 13, `remaster run`): on 2 cores two 1-thread sessions
 * upscaled 40 textures of 256² in 0.71-0.75x the time one 2-thread session took, one after another
 * (onnxruntime's intra-op threads wait for each other at every layer; separate sessions never do).
 * A model on a GPU runs in the first worker only.
 */

import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DeviceChoice } from '../types';
import { firstLine } from '../errors';
import type { WorkerReply, WorkerRequest } from './inference-protocol';
import { packageRoot } from './model-source';
import { compiledWorker } from './compiled-worker';
import type { ModelHandle } from './onnx-model';
import { TileGarbage } from './tile-garbage';

/** Distributes a request without its id. */
type Request = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

interface Pending {
  worker: Worker;
  resolve: (reply: WorkerReply) => void;
  reject: (err: Error) => void;
}

export interface InferenceHostOptions {
  /** Intra-op threads of every session (default: every available core, see device.ts). */
  threads?: number;
  /**
   * Worker threads, each with its own sessions, that tiles of a CPU model are spread over (default 1;
   * see the file comment). Each session has `threads` intra-op threads: `workers` x `threads` in all.
   */
  workers?: number;
}

export class InferenceHost {
  /** One entry per worker; a worker is started on its first request (again after it died). */
  private readonly workers: Array<Worker | undefined>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /**
   * Time spent inside `session.run` in the workers, summed over every run (for the bench's overhead
   * ratio), and the runs each worker did.
   */
  readonly stats: { runSeconds: number; runs: number; runsPerWorker: number[] };
  /** Tile outputs arrive here as new buffers, and are garbage once blended (see tile-garbage.ts). */
  private readonly garbage = new TileGarbage();

  constructor(private readonly options: InferenceHostOptions = {}) {
    const n = options.workers ?? 1; // checked by createEngine, this class's only user
    this.workers = new Array<Worker | undefined>(n).fill(undefined);
    this.stats = { runSeconds: 0, runs: 0, runsPerWorker: new Array<number>(n).fill(0) };
  }

  /** Loads (or finds) a model in the workers; `log` gets the first worker's notes (e.g. the device fallback). */
  async load(file: string, label: string, device: DeviceChoice, log: (line: string) => void): Promise<ModelHandle> {
    const { threads } = this.options;
    const reply = await this.request(0, { type: 'load', file, label, device, threads });
    if (reply.type !== 'load') throw new Error('inference worker: unexpected reply');
    reply.logs.forEach(log);
    const used = reply.device;
    // A CPU session in every worker, made now (beside whatever this thread does next) rather than on each
    // worker's first tile. A failure here is met again, and reported, by the tile that needs the session.
    const spread = used === 'cpu' && this.workers.length > 1;
    if (spread) for (let w = 1; w < this.workers.length; w++) this.request(w, { type: 'load', file, label, device: used, threads }).catch(() => undefined);
    return {
      file, label, device: used, info: reply.info,
      run: async (tile, width, height, batch = 1) => {
        // Hand the tile's memory over instead of copying it (the tiler never reads a tile again).
        const own = tile.byteOffset === 0 && tile.byteLength === tile.buffer.byteLength;
        const sent = own ? tile : tile.slice();
        const w = spread ? this.leastBusy() : 0;
        const r = await this.request(w, { type: 'run', file, label, device: used, threads, tile: sent, width, height, batch }, [sent.buffer as ArrayBuffer]);
        if (r.type !== 'run') throw new Error('inference worker: unexpected reply');
        this.stats.runSeconds += r.seconds;
        this.stats.runs++;
        this.stats.runsPerWorker[w]++;
        // Counted on arrival: by the time the count calls a collection, the tiles before are blended.
        this.garbage.add(r.data.byteLength + sent.byteLength);
        return r.data;
      },
      release: async () => {
        if (this.closed) return;
        await Promise.all(this.workers.map((worker, w) => (worker ? this.request(w, { type: 'release', file }) : undefined)));
      },
    };
  }

  /** Stops the workers (their sessions with them); requests still waiting fail with "engine closed". */
  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers.filter((w): w is Worker => w !== undefined);
    this.workers.fill(undefined);
    for (const worker of workers) this.failAll(worker, 'engine closed');
    await Promise.all(workers.map((worker) => endWorker(worker, 0)));
  }

  /** The first worker's thread id, or undefined (tests use it to check respawns). */
  get threadId(): number | undefined {
    return this.workers[0]?.threadId;
  }

  /**
   * Stops the first worker as a crash would, for tests of recovery: it exits with code 1 once the request
   * in progress is done, and requests posted to it after this call die with it.
   */
  async crashForTest(): Promise<void> {
    const worker = this.workers[0];
    if (worker) await endWorker(worker, 1);
  }

  /** The worker with the fewest requests out (the first of those tied), for the next tile. */
  private leastBusy(): number {
    const out = this.workers.map(() => 0);
    for (const p of this.pending.values()) {
      const w = this.workers.indexOf(p.worker);
      if (w >= 0) out[w]++;
    }
    return out.indexOf(Math.min(...out));
  }

  private request(w: number, req: Request, transfer: ArrayBuffer[] = []): Promise<Extract<WorkerReply, { ok: true }>> {
    if (this.closed) return Promise.reject(new Error('engine closed'));
    const worker = (this.workers[w] ??= this.spawn(w));
    const id = this.nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      worker.ref(); // keep the process alive while work is out
      worker.postMessage({ ...req, id } as WorkerRequest, transfer);
    }).then((reply) => {
      if (!reply.ok) throw new Error(reply.error);
      return reply as Extract<WorkerReply, { ok: true }>;
    });
  }

  private spawn(w: number): Worker {
    // The prestarted worker (bin/remaster.js) becomes the first one.
    const worker = (w === 0 ? adoptPrestarted() : undefined) ?? startWorker();
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (![...this.pending.values()].some((q) => q.worker === worker)) worker.unref();
      p.resolve(reply);
    });
    worker.on('error', (err) => this.died(worker, `inference worker crashed (${firstLine(err)})`));
    worker.on('exit', (code) => this.died(worker, `inference worker stopped (exit code ${code})`));
    return worker;
  }

  private died(worker: Worker, why: string): void {
    const w = this.workers.indexOf(worker);
    if (w >= 0) this.workers[w] = undefined;
    this.failAll(worker, this.closed ? 'engine closed' : why);
  }

  private failAll(worker: Worker | undefined, why: string): void {
    for (const [id, p] of this.pending) {
      if (worker && p.worker !== worker) continue;
      this.pending.delete(id);
      p.reject(new Error(why));
    }
  }
}

/**
 * A new inference worker. The thread boots (tens of ms) while this one loads onnxruntime's addon; the
 * worker loads onnxruntime only when told to ('warm') or on its first request, both posted after this.
 */
function startWorker(): Worker {
  const worker = new Worker(workerFile());
  try {
    pinRuntime();
  } catch (err) {
    void worker.terminate();
    throw err;
  }
  return worker;
}

/** The worker prestartInferenceWorker started, until a host adopts it; `exited` if it died first. */
let prestarted: { worker: Worker; exited: boolean } | undefined;

/**
 * Starts an inference worker now, for the next InferenceHost to take over, and has it load onnxruntime
 * at once: for `remaster upscale`, called before the CLI loads commander, the engine and sharp, so the
 * thread's boot and onnxruntime's JS (~70-100 ms on the quiet 2-core machine) run beside those loads
 * instead of after them (issue 13: CLI ÷ engine). Unused (e.g. `--model lanczos`), it does not keep the
 * process alive.
 *
 * @example
 * prestartInferenceWorker(); // first thing in bin/remaster.js for `upscale`
 */
export function prestartInferenceWorker(): void {
  if (prestarted) return;
  const entry = { worker: startWorker(), exited: false };
  entry.worker.unref();
  // Until adopted: a failure is noted (the host then starts a fresh worker), never an unhandled 'error'.
  const died = () => void (entry.exited = true);
  entry.worker.once('error', died).once('exit', died);
  entry.worker.postMessage({ type: 'warm', id: 0 } satisfies WorkerRequest);
  prestarted = entry;
}

/** The prestarted worker's thread id while no host has adopted it (for tests). */
export function prestartedThreadIdForTest(): number | undefined {
  return prestarted?.worker.threadId;
}

/**
 * Ends the prestarted worker as a crash before adoption would (exit code 1, after its onnxruntime load: see
 * endWorker), for tests; the next host starts a fresh one.
 */
export async function crashPrestartedForTest(): Promise<void> {
  if (prestarted && !prestarted.exited) await endWorker(prestarted.worker, 1);
}

/** The prestarted worker, if it is still alive; each is adopted once. */
function adoptPrestarted(): Worker | undefined {
  const entry = prestarted;
  prestarted = undefined;
  if (!entry || entry.exited) return undefined;
  return entry.worker;
}

/**
 * Ends a worker between requests. Not `worker.terminate()`: tearing the thread down while it is inside
 * onnxruntime's native `session.run` aborts the whole process ("terminate called after throwing an
 * instance of 'Napi::Error'", exit 134) — measured: every time for a terminate landing mid-tile, which a
 * close after a failed asset (its other tiles still queued) or a test's crash could do. The worker exits
 * itself once its current request is done (a tile: under a second). Only a worker stuck for a minute
 * is terminated.
 */
async function endWorker(worker: Worker, code: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => resolve());
    timer = setTimeout(() => void worker.terminate(), 60_000);
  });
  worker.ref(); // until it is gone: the process must not end (skipping what follows close()) meanwhile
  worker.postMessage({ type: 'exit', id: 0, code } satisfies WorkerRequest);
  await exited;
  clearTimeout(timer);
}

/**
 * Loads onnxruntime's native binding in this (the main) thread once, before any worker does, and
 * keeps it. Its addon registers itself only when first loaded: loaded first by a worker, it is
 * unloaded when that worker exits and can then not be loaded again in this process ("Module did not
 * self-register") — not by the next worker, not by anyone else in the process using onnxruntime-node
 * directly. Loaded here first, every later load (workers included) works.
 */
function pinRuntime(): void {
  // The addon file alone (3-6 ms), not onnxruntime's JS API (another 10-20 ms this thread never uses), when
  // the package keeps it where onnxruntime-node 1.23's dist/binding.js requires it from.
  const addon = path.join(path.dirname(require.resolve('onnxruntime-node/package.json')), 'bin', 'napi-v6', process.platform, process.arch, 'onnxruntime_binding.node');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(fs.existsSync(addon) ? addon : 'onnxruntime-node');
}

/** The compiled worker: beside this file in dist/, or (when the engine runs from .ts sources, as under jest) in the package's dist/. */
function workerFile(): string {
  const file = compiledWorker(__dirname, 'inference-worker.js');
  if (file) return file;
  throw new Error(`inference worker not built (${path.join(packageRoot(), 'dist', 'plugin', 'engine', 'inference-worker.js')} missing): run \`npm run build\``);
}
