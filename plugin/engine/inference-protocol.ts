/** Messages between the engine (main thread) and the inference worker (inference-worker.ts). */

import type { DeviceChoice } from '../types';
import type { Device } from './device';
import type { ModelInfo } from './onnx-model';

export type WorkerRequest =
  /** Create the session (device choice resolved in the worker), probe the model, reply with its info. */
  | { type: 'load'; id: number; file: string; label: string; device: DeviceChoice; threads?: number }
  /** Run one tile (or batch). `device` is the one the load resolved to, so a respawned worker recreates the same session. */
  | { type: 'run'; id: number; file: string; label: string; device: Device; threads?: number; tile: Float32Array; width: number; height: number; batch: number }
  | { type: 'release'; id: number; file: string }
  /** Load onnxruntime now (no reply): sent by prestartInferenceWorker once this thread has pinned the runtime. */
  | { type: 'warm'; id: 0 }
  /**
   * End this thread with `code` once the request in progress is done; queued requests are dropped (the
   * host has already failed them). Never terminate() mid-request: see InferenceHost.close.
   */
  | { type: 'exit'; id: 0; code: number };

export type WorkerReply =
  | { id: number; ok: true; type: 'load'; info: ModelInfo; device: Device; logs: string[] }
  | { id: number; ok: true; type: 'run'; data: Float32Array; seconds: number }
  | { id: number; ok: true; type: 'release' }
  | { id: number; ok: false; error: string };
