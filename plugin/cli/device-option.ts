/** The `--device` and `--threads` flags shared by every command that may run a neural model. */
import { Option } from 'commander';
import type { DeviceChoice } from '../types';
import { integerOption } from './number-option';

const DEVICES: DeviceChoice[] = ['auto', 'cpu', 'webgpu', 'cuda'];

export function deviceOption(): Option {
  return new Option('--device <device>', 'device for neural models').choices(DEVICES).default('auto');
}

/**
 * `--threads N`: the inference thread budget (default: every available core), N threads in total
 * whatever `--jobs` is. `upscale`, `eval` and `watch` give them all to one session; `run` splits them
 * over up to `--jobs` inference workers, one session each (pipeline/run-engine.ts), while the jobs
 * decode, blend and encode around them (see plugin/engine/README.md, "Threads and jobs").
 */
export function threadsOption(): Option {
  return new Option('--threads <n>', 'CPU threads for model inference (default: every available core)').argParser(parseThreads);
}

const parseThreads = integerOption({ min: 1, max: 1024, message: 'must be a whole number from 1 to 1024' });
