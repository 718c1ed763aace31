/**
 * Checks of the options given to the public entry points (remasterProject, restoreProject,
 * watchProject), with one-line errors in sharp's style: `Expected <what> for <option> but received
 * <value>`. A wrong option is a usage error (ConfigError), found before anything is touched.
 */
import { ConfigError } from '../errors';

const DEVICES = ['auto', 'cpu', 'webgpu', 'cuda'];

function received(value: unknown): string {
  return `${typeof value === 'string' ? JSON.stringify(value) : String(value)} of type ${typeof value}`;
}

function fail(expected: string, option: string, value: unknown): never {
  throw new ConfigError(`Expected ${expected} for ${option} but received ${received(value)}`);
}

/** Checks the options that are set; unset ones take their defaults. */
export function checkOptions(options: object, where: string): void {
  const o = options as Record<string, unknown>;
  for (const key of ['concurrency', 'threads'] as const) {
    if (o[key] !== undefined && !(Number.isInteger(o[key]) && (o[key] as number) >= 1)) fail('a positive integer', `${where} ${key}`, o[key]);
  }
  if (o.device !== undefined && !DEVICES.includes(o.device as string)) fail(`one of ${DEVICES.join(', ')}`, `${where} device`, o.device);
  if (o.paths !== undefined && !(Array.isArray(o.paths) && o.paths.every((p) => typeof p === 'string'))) fail('an array of paths', `${where} paths`, o.paths);
  for (const key of ['stabilityMs', 'maxBatchWaitMs'] as const) {
    if (o[key] !== undefined && !(typeof o[key] === 'number' && (o[key] as number) >= 0 && Number.isFinite(o[key]))) fail('a number of milliseconds >= 0', `${where} ${key}`, o[key]);
  }
  if (o.pollMs !== undefined && !(typeof o.pollMs === 'number' && o.pollMs > 0 && Number.isFinite(o.pollMs))) fail('a number of milliseconds > 0', `${where} pollMs`, o.pollMs);
  for (const key of ['onEvent', 'log'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'function') fail('a function', `${where} ${key}`, o[key]);
  }
}
