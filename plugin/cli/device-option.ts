/** The `--device` and `--threads` flags shared by every command that may run a neural model. */
import { InvalidArgumentError, Option } from 'commander';
import type { DeviceChoice } from '../types';

const DEVICES: DeviceChoice[] = ['auto', 'cpu', 'webgpu', 'cuda'];

export function deviceOption(): Option {
  return new Option('--device <device>', 'device for neural models').choices(DEVICES).default('auto');
}

/**
 * `--threads N`: intra-op threads of the model sessions (default: every available core). One
 * session serves all assets, so with `--jobs` the inference still uses N threads in total; the
 * other jobs decode, blend and encode around it (see plugin/engine/README.md, "Threads and jobs").
 */
export function threadsOption(): Option {
  return new Option('--threads <n>', 'CPU threads for model inference (default: every available core)').argParser(parseThreads);
}

function parseThreads(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1024) throw new InvalidArgumentError('must be a whole number from 1 to 1024');
  return n;
}
