/**
 * The engine a run makes for itself (`remaster run`, remasterProject without an `engine`): how its
 * inference thread budget is laid out for the assets it processes at once.
 *
 * With `concurrency` assets at once (--jobs, default 2) and a budget of `threads` (--threads, default
 * every core), a CPU run gets min(concurrency, threads) inference workers of threads / workers intra-op
 * threads each, instead of one session using every thread: the tiles of assets in flight then run side
 * by side instead of one after another, each session on its own threads. Measured on the 2-core machine
 * (issue 13; 40 textures of 256², x2): two 1-thread sessions did the 40 upscales in 0.71-0.75x the time
 * of one 2-thread session, because onnxruntime's intra-op threads wait for each other at every layer.
 * Each worker holds its own session (onnxruntime's arena: tens of MB per model). An explicit GPU device
 * keeps one worker; under `auto` a model that starts on a GPU runs in the first worker only.
 */
import type { EngineOptions } from '../engine';
import { availableCores } from '../engine/cores';
import type { DeviceChoice } from '../types';
import { DEFAULT_CONCURRENCY } from './defaults';

export interface RunEngineChoice {
  device?: DeviceChoice;
  /** The run's inference thread budget (default: every available core). */
  threads?: number;
  /** Assets processed at once (default DEFAULT_CONCURRENCY). */
  concurrency?: number;
}

/**
 * Workers and threads per session for a run's engine.
 *
 * @example
 * runEngineOptions({ concurrency: 2 });              // 2 cores: { workers: 2, threads: 1 }
 * runEngineOptions({ concurrency: 2, threads: 8 });  // { workers: 2, threads: 4 }
 * runEngineOptions({ concurrency: 1 });              // { workers: 1, threads: <every core> }
 */
export function runEngineOptions(choice: RunEngineChoice): Required<Pick<EngineOptions, 'workers' | 'threads'>> {
  const budget = choice.threads ?? availableCores();
  const gpu = choice.device === 'webgpu' || choice.device === 'cuda';
  const workers = gpu ? 1 : Math.max(1, Math.min(Math.floor(choice.concurrency ?? DEFAULT_CONCURRENCY), budget));
  return { workers, threads: Math.max(1, Math.floor(budget / workers)) };
}
