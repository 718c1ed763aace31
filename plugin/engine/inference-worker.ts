/**
 * The inference worker: a worker_threads thread that owns the engine's ONNX sessions.
 *
 * onnxruntime-node 1.23's `session.run` is synchronous on the calling JS thread (its promise only
 * defers the call with setImmediate), so run on the main thread it stalls the event loop for a
 * whole tile and nothing else (decoding, blending, encoding, commits of other assets, watch status,
 * signals) can overlap it. Here it blocks only this thread. Requests are handled in arrival order,
 * one at a time: a session is not re-entrant on every provider, and concurrent runs would only
 * compete for the same intra-op threads.
 */

import { parentPort } from 'node:worker_threads';
import { firstLine } from '../errors';
import type { Device } from './device';
import type { WorkerReply, WorkerRequest } from './inference-protocol';
import type { LoadedModel } from './onnx-model';
import { TileGarbage } from './tile-garbage';

const port = parentPort;
if (!port) throw new Error('inference-worker.ts runs as a worker thread (see inference-host.ts)');

const models = new Map<string, Promise<LoadedModel>>();
/** GPU providers that failed to start under 'auto': not retried for the next model. */
const failedDevices = new Map<Device, string>();
/** Tiles in, onnxruntime's copies of outputs: garbage after each run (see tile-garbage.ts). */
const garbage = new TileGarbage();

/**
 * onnxruntime (with onnx-model.ts) is required on the first request, not when this thread starts: the
 * main thread must load onnxruntime's addon before any worker does (see pinRuntime in inference-host.ts),
 * and it does so while this thread boots, before it sends the first request.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const onnxModel = () => require('./onnx-model') as typeof import('./onnx-model');

/** The model's session, created on first use (again after a respawn: `run` names the device to use). */
function load(req: Extract<WorkerRequest, { type: 'load' | 'run' }>, logs: string[]): Promise<LoadedModel> {
  let m = models.get(req.file);
  if (!m) {
    m = onnxModel().loadModel(req.file, req.label, req.device, (line) => logs.push(line), failedDevices, req.threads);
    models.set(req.file, m);
    m.catch(() => models.delete(req.file));
  }
  return m;
}

async function handle(req: Exclude<WorkerRequest, { type: 'exit' | 'warm' }>): Promise<{ reply: WorkerReply; transfer?: ArrayBuffer[] }> {
  try {
    if (req.type === 'load') {
      const logs: string[] = [];
      const m = await load(req, logs);
      return { reply: { id: req.id, ok: true, type: 'load', info: m.info, device: m.device, logs } };
    }
    if (req.type === 'run') {
      const m = await load(req, []);
      const started = performance.now();
      const out = await m.run(req.tile, req.width, req.height, req.batch);
      const seconds = (performance.now() - started) / 1000;
      // The output tensor's buffer may be shared with others' data: transfer an exact copy only when it is not ours alone.
      const data = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : out.slice();
      garbage.add(req.tile.byteLength + (data === out ? 0 : out.buffer.byteLength));
      return { reply: { id: req.id, ok: true, type: 'run', data, seconds }, transfer: [data.buffer as ArrayBuffer] };
    }
    const m = models.get(req.file);
    models.delete(req.file);
    if (m) await (await m.catch(() => undefined))?.release();
    return { reply: { id: req.id, ok: true, type: 'release' } };
  } catch (err) {
    return { reply: { id: req.id, ok: false, error: firstLine(err).trim() } };
  }
}

let queue: Promise<void> = Promise.resolve();
/** An exit request arrived: requests not yet started are dropped. */
let exiting = false;
port.on('message', (req: WorkerRequest) => {
  if (req.type === 'warm') {
    // Started ahead of its first request (prestartInferenceWorker): load onnxruntime while the main thread loads the rest.
    queue = queue.then(() => void onnxModel());
    return;
  }
  if (req.type === 'exit') {
    // Between requests: this listener never runs inside session.run (it blocks this thread).
    exiting = true;
    queue = queue.then(() => process.exit(req.code));
    return;
  }
  queue = queue.then(async () => {
    if (exiting) return; // its caller was failed when the host closed
    const { reply, transfer } = await handle(req);
    port.postMessage(reply, transfer ?? []);
  });
});
