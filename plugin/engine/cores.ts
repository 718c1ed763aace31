import os from 'node:os';

/** Cores this process may use (device.ts's default thread count), without loading onnxruntime. */
export function availableCores(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}
