/** The `--device` and `--threads` flags shared by every command that may run a neural model. */
import { Option } from 'commander';
import type { DeviceChoice } from '../types';
import { integerOption } from './number-option';

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

const parseThreads = integerOption({ min: 1, max: 1024, message: 'must be a whole number from 1 to 1024' });
