/**
 * Execution providers: which onnxruntime backend runs a model, and creating sessions on it.
 *
 * onnxruntime-node 1.23 bundles CPU and WebGPU; CUDA and TensorRT are listed by
 * `listSupportedBackends()` but only usable when their libraries were installed separately
 * (the project's .npmrc skips that download). 'auto' tries the GPU providers that are present,
 * in order, and keeps the first that actually creates a session; otherwise CPU, logged once.
 */

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { DeviceChoice } from '../types';
import { firstLine } from '../errors';
import { availableCores } from './cores';

/** A concrete provider a session runs on. */
export type Device = 'cpu' | 'webgpu' | 'cuda';

/** GPU providers that 'auto' tries, best first. */
const AUTO_ORDER: Device[] = ['cuda', 'webgpu'];

/** Providers this onnxruntime build can load (bundled, or present as separately installed). */
export function availableDevices(): Device[] {
  const names = new Set(ort.listSupportedBackends().map((b) => b.name));
  return (['cpu', 'webgpu', 'cuda'] as Device[]).filter((d) => names.has(d));
}

/** Where onnxruntime-node keeps its native libraries (and a separately installed CUDA provider). */
function ortBinDir(): string {
  const pkg = path.dirname(require.resolve('onnxruntime-node/package.json'));
  return path.join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
}

/**
 * Cheap checks before 'auto' tries a GPU provider: trying one that cannot work makes the native
 * libraries print multi-line errors to stderr, which the one clear fallback line should replace.
 * Returns why the device cannot start, or undefined when it is worth trying.
 */
export function missingPrerequisite(device: Device): string | undefined {
  if (device === 'cuda') {
    const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
    return fs.existsSync(path.join(ortBinDir(), lib)) ? undefined : 'CUDA provider not installed';
  }
  if (device === 'webgpu' && process.platform === 'linux') {
    // Dawn (WebGPU) runs on Vulkan on Linux and looks for the loader in these places.
    const dirs = [ortBinDir(), ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
      '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu', '/usr/local/lib'];
    const found = dirs.some((d) => fs.existsSync(path.join(d, 'libvulkan.so.1'))) || inLinkerCache('libvulkan.so.1');
    return found ? undefined : 'no Vulkan loader (libvulkan.so.1)';
  }
  return undefined;
}

let linkerCache: string | undefined;

/** Whether the dynamic linker's cache (`ldconfig -p`) knows a library, for loaders in odd places. */
function inLinkerCache(lib: string): boolean {
  if (linkerCache === undefined) {
    try {
      linkerCache = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      linkerCache = '';
    }
  }
  return linkerCache.includes(lib);
}

/**
 * Intra-op threads when none are asked for: every core this process may use. onnxruntime-node itself
 * defaults to ONE thread when `intraOpNumThreads` is not set, though 2 threads take 0.66-0.71x the
 * time of 1 on an idle 2-core machine (issue 13). Not load-aware on purpose: the 1-minute load average
 * counts Remaster's own inference a moment ago (a watcher would starve its next job), and a default that
 * moves with the load makes CI timings unrepeatable. On an oversubscribed machine (measured: load 13-23
 * on 2 cores, 2 threads took 1.35-1.6x the time of 1) pass `--threads 1`.
 */
export function defaultThreads(): number {
  return availableCores();
}

/**
 * Session options per device. CPU: `threads` intra-op threads (default: defaultThreads());
 * one session serves every texture, so this is the whole inference thread budget of a run.
 */
function sessionOptions(device: Device, threads?: number): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [device],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads ?? defaultThreads(),
    // Tiles run one at a time: there is no graph-level parallelism for extra inter-op threads to use.
    interOpNumThreads: 1,
    // Memory patterns pre-plan one block for every intermediate of a shape: measured 20-30 MB more
    // peak RSS for x4 at 256² tiles and no faster, so off.
    enableMemPattern: false,
    executionMode: 'sequential',
    // No spinning: by default onnxruntime's intra-op threads busy-wait between parallel sections, and the
    // cores they burn are the ones this process blends, decodes and encodes on (and other jobs run on).
    // Measured on the shared 2-core machine (load 8-10, 1024² x2, alternating): 0.74x the CPU time and
    // 0.85x the wall time with spinning off; a `remaster upscale` of 512² took 0.72x the CPU time.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
    // Quiet: onnxruntime's own warnings (unused initialisers in exported models) and its multi-line
    // error logs (a failing run's message also comes back as the exception, which becomes one line).
    logSeverityLevel: 4,
  };
}

/**
 * A model to make a session of: its path, or its path and the bytes already read from it (so what
 * was hashed, see probe-cache.ts, is exactly what runs).
 */
export type ModelFile = string | { file: string; bytes: Uint8Array };

const pathOf = (model: ModelFile) => (typeof model === 'string' ? model : model.file);

function create(model: ModelFile, options: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> {
  return typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model.bytes, options);
}

/** Creates a session on one device; a one-line error naming the file and device otherwise. */
export async function createSession(model: ModelFile, device: Device, threads?: number): Promise<ort.InferenceSession> {
  try {
    return await create(model, sessionOptions(device, threads));
  } catch (err) {
    throw new Error(`${pathOf(model)}: cannot load model on ${device} (${firstLine(err).trim()})`);
  }
}

/**
 * Creates a session for the requested device choice. An explicit device that cannot start is an
 * error; 'auto' falls back to CPU and reports why through `log`, in one line that names providers,
 * not files, so an engine that loads several models says it once. `failed` remembers providers
 * that could not start, so later models do not retry them.
 */
export async function createSessionFor(
  file: ModelFile,
  choice: DeviceChoice,
  log: (line: string) => void,
  failed: Map<Device, string> = new Map(),
  threads?: number,
): Promise<{ session: ort.InferenceSession; device: Device }> {
  if (choice !== 'auto') {
    if (!availableDevices().includes(choice)) {
      throw new Error(`device "${choice}" is not available in this onnxruntime build (available: ${availableDevices().join(', ')})`);
    }
    const missing = missingPrerequisite(choice);
    if (missing) throw new Error(`device "${choice}" cannot start: ${missing} (use --device auto or cpu)`);
    return { session: await createSession(file, choice, threads), device: choice };
  }
  const present = availableDevices();
  for (const device of AUTO_ORDER) {
    if (!present.includes(device) || failed.has(device)) continue;
    const missing = missingPrerequisite(device);
    if (missing) {
      failed.set(device, missing);
      continue;
    }
    try {
      return { session: await create(file, sessionOptions(device, threads)), device };
    } catch (err) {
      failed.set(device, gpuReason(err));
    }
  }
  const reasons = [...failed].map(([device, reason]) => `${device}: ${reason}`).join('; ');
  log(`device auto: no GPU provider could start (${reasons || 'none installed'}), running on CPU`);
  return { session: await createSession(file, 'cpu', threads), device: 'cpu' };
}

/** The useful tail of a provider failure ("No supported adapters", "libcudart.so.12: cannot open ..."). */
function gpuReason(err: unknown): string {
  const text = firstLine(err).trim();
  const adapter = /Failed to get a WebGPU adapter: ([^.)]*)/.exec(text);
  if (adapter) return `no WebGPU adapter (${adapter[1].trim()})`;
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}
