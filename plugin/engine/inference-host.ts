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
 */

import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DeviceChoice } from '../types';
import { firstLine } from '../errors';
import type { WorkerReply, WorkerRequest } from './inference-protocol';
import { packageRoot } from './model-source';
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
}

export class InferenceHost {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /** Time spent inside `session.run` in the worker, summed over every run (for the bench's overhead ratio). */
  readonly stats = { runSeconds: 0, runs: 0 };
  /** Tile outputs arrive here as new buffers, and are garbage once blended (see tile-garbage.ts). */
  private readonly garbage = new TileGarbage();

  constructor(private readonly options: InferenceHostOptions = {}) {}

  /** Loads (or finds) a model in the worker; `log` gets the worker's notes (e.g. the device fallback). */
  async load(file: string, label: string, device: DeviceChoice, log: (line: string) => void): Promise<ModelHandle> {
    const reply = await this.request({ type: 'load', file, label, device, threads: this.options.threads });
    if (reply.type !== 'load') throw new Error('inference worker: unexpected reply');
    reply.logs.forEach(log);
    const used = reply.device;
    return {
      file, label, device: used, info: reply.info,
      run: async (tile, width, height, batch = 1) => {
        // Hand the tile's memory over instead of copying it (the tiler never reads a tile again).
        const own = tile.byteOffset === 0 && tile.byteLength === tile.buffer.byteLength;
        const sent = own ? tile : tile.slice();
        const r = await this.request({ type: 'run', file, label, device: used, threads: this.options.threads, tile: sent, width, height, batch }, [sent.buffer as ArrayBuffer]);
        if (r.type !== 'run') throw new Error('inference worker: unexpected reply');
        this.stats.runSeconds += r.seconds;
        this.stats.runs++;
        // Counted on arrival: by the time the count calls a collection, the tiles before are blended.
        this.garbage.add(r.data.byteLength + sent.byteLength);
        return r.data;
      },
      release: async () => {
        if (this.worker && !this.closed) await this.request({ type: 'release', file });
      },
    };
  }

  /** Stops the worker (its sessions with it); requests still waiting fail with "engine closed". */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(worker, 'engine closed');
    if (worker) await endWorker(worker, 0);
  }

  /** The running worker's thread id, or undefined (tests use it to check respawns). */
  get threadId(): number | undefined {
    return this.worker?.threadId;
  }

  /**
   * Stops the worker as a crash would, for tests of recovery: it exits with code 1 once the request in
   * progress is done, and requests posted after this call die with it.
   */
  async crashForTest(): Promise<void> {
    if (this.worker) await endWorker(this.worker, 1);
  }

  private request(req: Request, transfer: ArrayBuffer[] = []): Promise<Extract<WorkerReply, { ok: true }>> {
    if (this.closed) return Promise.reject(new Error('engine closed'));
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      if (this.pending.size === 1) worker.ref(); // keep the process alive while work is out
      worker.postMessage({ ...req, id } as WorkerRequest, transfer);
    }).then((reply) => {
      if (!reply.ok) throw new Error(reply.error);
      return reply as Extract<WorkerReply, { ok: true }>;
    });
  }

  private spawn(): Worker {
    const worker = adoptPrestarted() ?? startWorker();
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
    if (this.worker === worker) this.worker = undefined;
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
  const beside = path.join(__dirname, 'inference-worker.js');
  if (fs.existsSync(beside)) return beside;
  const built = path.join(packageRoot(), 'dist', 'plugin', 'engine', 'inference-worker.js');
  if (fs.existsSync(built)) return built;
  throw new Error(`inference worker not built (${built} missing): run \`npm run build\``);
}
