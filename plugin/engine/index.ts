/**
 * The upscaling engine: one object per pipeline run that owns the ONNX sessions (created once per
 * model and device, reused for every texture) and hands out kind-aware upscales and resizes.
 *
 *   const engine = createEngine({ device: 'auto' });
 *   const { image, engine: id } = await engine.upscale(raw, { scale: 2, model: 'lanczos', kind: 'color' });
 *   await engine.close();
 */

import type { DeviceChoice, RawImage, TextureKind, UpscaleOptions, UpscaleResult } from '../types';
import { resizeClassical } from './classical';
import type { Device } from './device';
import { resolveModel } from './model-source';
import { InferenceHost } from './inference-host';
import { upscaleNeural, planPasses } from './neural';
import type { ModelHandle } from './onnx-model';
import { chooseLayout } from './tile-layout';
import { assertRawImage } from './pixels';
import { fillTransparent } from './alpha-fill';
import { crop, wrapPad } from './wrap';

export interface EngineOptions {
  /** Execution device for neural models (default 'auto'). */
  device?: DeviceChoice;
  /** Tile edge in input texels for neural inference (default: chosen per model and device). */
  tileSize?: number;
  /** Texels of context around each tile (default 16, less for small tiles). */
  tileOverlap?: number;
  /** Receives one line per notable event (device fallback, model loaded). Default: silent. */
  log?: (line: string) => void;
  /** Base for relative model paths (default: process.cwd()). When given, model paths must stay inside it. */
  projectRoot?: string;
  /**
   * Intra-op threads of every ONNX session (default: every available core, see device.ts). One session per model
   * serves every texture, so this is the run's whole inference thread budget; `--jobs` only sets
   * how many assets are decoded, blended and encoded around it at once.
   */
  threads?: number;
  /**
   * Inference workers (default 1), each with its own session of a CPU model and `threads` intra-op
   * threads, that tiles are spread over: tiles of textures upscaled at the same time, or of one big
   * texture, then run side by side (inference-host.ts). `remaster run` uses as many as it processes
   * assets at once, up to the cores (pipeline/run-engine.ts). Ignored with 'main-thread'; a model on a GPU
   * runs in one worker.
   */
  workers?: number;
  /**
   * Where sessions run: 'worker' (default) in a worker thread, so this thread stays free for
   * decoding, blending, encoding and commits while a tile computes; 'main-thread' runs
   * `session.run` here, blocking the event loop for each tile (kept for measuring the difference).
   */
  inference?: 'worker' | 'main-thread';
}

export interface Engine {
  /**
   * Upscale by opts.scale with opts.model ('lanczos' | shipped model name | path to .onnx), kind-aware:
   * colour keeps alpha, normal maps come out renormalised, data maps get no colour treatment.
   *
   * @example
   * const { image: big, engine: id } = await engine.upscale(image, { scale: 4, model: 'remaster-x4-fast', kind: 'normal' });
   * // big.width === 4 * image.width; id === 'remaster-x4-fast@cpu'
   */
  upscale(image: RawImage, opts: UpscaleOptions): Promise<UpscaleResult>;
  /**
   * Classical kind-aware resize to exact size (used for `maxSize` caps).
   *
   * @example
   * const capped = await engine.resize(image, 1024, 512, 'color');
   */
  resize(image: RawImage, width: number, height: number, kind: TextureKind): Promise<RawImage>;
  /**
   * Loads the model (once per engine) and says its measured scale (1 for a same-size model: style,
   * denoise; undefined for 'lanczos'). Throws a one-line Error if the model name/path cannot be used
   * (unknown name, not ONNX, bad shapes). Whether a scale suits is the operation's call (upscale: >= 2).
   *
   * @example
   * await engine.checkModel('lanczos'); // undefined
   * await engine.checkModel('models/my-x2.onnx'); // { scale: 2 }, or throws a one-line Error naming the file
   */
  checkModel(model: string): Promise<{ scale: number } | undefined>;
  /** Releases the sessions and the inference worker; call once, when the run is over. */
  close(): Promise<void>;
  /**
   * Time spent inside `session.run` (in the inference workers, summed) so far, how many runs, and how many
   * each worker did; NaN and no workers on 'main-thread'.
   */
  inferenceStats?(): { runSeconds: number; runs: number; runsPerWorker: number[] };
}

/** Texels of wrap-around padding for seamless Lanczos: the kernel reaches 3 source texels. */
const LANCZOS_WRAP_PAD = 4;

const KINDS: readonly TextureKind[] = ['color', 'normal', 'data'];

/**
 * Creates the engine of one run: sessions are made on first use of a model and shared by every
 * texture until `close()`. Options are checked here (one-line Error for a bad `threads` or `workers`).
 *
 * @example
 * import { createEngine } from 'remaster';
 *
 * const engine = createEngine({ device: 'auto', log: console.log });
 * try {
 *   // image: a RawImage, 8-bit interleaved pixels ({ data, width, height, channels })
 *   const { image: big, engine: id } = await engine.upscale(image, { scale: 4, model: 'remaster-x4-fast', kind: 'color' });
 * } finally {
 *   await engine.close();
 * }
 */
export function createEngine(options: EngineOptions = {}): Engine {
  const projectRoot = options.projectRoot ?? process.cwd();
  const confineModels = options.projectRoot !== undefined;
  const device = options.device ?? 'auto';
  const said = new Set<string>();
  const log = (line: string) => {
    if (said.has(line)) return; // e.g. the device fallback: once per engine, not once per model
    said.add(line);
    options.log?.(line);
  };
  checkCount('threads', options.threads);
  checkCount('workers', options.workers);
  /** One session per model file, created on first use and shared by every texture. */
  const models = new Map<string, Promise<ModelHandle>>();
  /** GPU providers that failed to start under 'auto': not retried for the next model. */
  const failedDevices = new Map<Device, string>();
  const host = options.inference === 'main-thread' ? undefined : new InferenceHost({ threads: options.threads, workers: options.workers });

  function model(file: string, label: string): Promise<ModelHandle> {
    let loaded = models.get(file);
    if (!loaded) {
      // onnxruntime is only loaded in this thread when sessions run here: the worker loads its own.
      loaded = host ? host.load(file, label, device, log) : import('./onnx-model').then(({ loadModel }) => loadModel(file, label, device, log, failedDevices, options.threads));
      models.set(file, loaded);
      loaded.then((m) => log(describeModel(m)), () => undefined);
    }
    return loaded;
  }

  async function upscale(image: RawImage, opts: UpscaleOptions): Promise<UpscaleResult> {
    assertRawImage(image);
    if (opts.scale !== 2 && opts.scale !== 4) throw new Error(`unsupported scale ${opts.scale} (use 2 or 4)`);
    if (!KINDS.includes(opts.kind)) throw new Error(`unknown texture kind "${opts.kind}" (use ${KINDS.join(', ')})`);
    const source = resolveModel(opts.model, projectRoot, confineModels);
    if (source.kind === 'lanczos') {
      return { image: fillOutput(await lanczosUpscale(image, opts), opts.kind), engine: 'lanczos' };
    }
    const m = await model(source.file, source.label);
    if (m.info.scale < 2) throw new Error(`${source.label}: model does not upscale (output is ${m.info.scale}x its input)`);
    const layout = chooseLayout(m, options.tileSize, options.tileOverlap);
    const result = await upscaleNeural(image, m, { scale: opts.scale, kind: opts.kind, seamless: !!opts.seamless, layout, onRows: opts.onRows });
    const plan = planPasses(m.info.scale, opts.scale);
    const adapted = plan.passes > 1 || plan.resize ? `:x${m.info.scale}>x${opts.scale}` : '';
    return { image: fillOutput(result, opts.kind), engine: `${m.label}@${m.device}${adapted}` };
  }

  return {
    upscale,
    async resize(image, width, height, kind) {
      assertRawImage(image);
      // Downscaling colour averages light, so do it in linear light; anything else stays as stored.
      const down = width <= image.width && height <= image.height;
      return fillOutput(await resizeClassical(image, width, height, kind, { light: down ? 'linear' : 'srgb' }), kind);
    },
    async checkModel(name) {
      const source = resolveModel(name, projectRoot, confineModels);
      return source.kind === 'onnx' ? { scale: (await model(source.file, source.label)).info.scale } : undefined;
    },
    async close() {
      const loaded = [...models.values()];
      models.clear();
      for (const m of await Promise.allSettled(loaded)) {
        if (m.status === 'fulfilled') await m.value.release().catch(() => undefined);
      }
      await host?.close();
    },
    inferenceStats: () => (host ? { ...host.stats, runsPerWorker: [...host.stats.runsPerWorker] } : { runSeconds: NaN, runs: 0, runsPerWorker: [] }),
  };
}

/** `threads` and `workers` are checked here, once (InferenceHost takes them as given): a one-line Error otherwise. */
function checkCount(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) throw new Error(`${name} must be a whole number from 1 up (got ${value})`);
}

/** The log line for a loaded model, e.g. `model byo.onnx: x3, float16, fixed 64x64, on cpu`. */
function describeModel(m: ModelHandle): string {
  const fixed = m.info.fixedSize ? `, fixed ${m.info.fixedSize.width}x${m.info.fixedSize.height}` : '';
  return `model ${m.label}: x${m.info.scale}, ${m.info.dtype}${fixed}, on ${m.device}`;
}

/**
 * Resampling leaves fully transparent colour texels black (premultiplied: 0 x anything). Mipmaps and
 * filtering blend them into visible edges (dark fringes), so they get the push-pull colour of their
 * visible surroundings instead, as the model input does. Visible texels are not changed.
 */
function fillOutput(image: RawImage, kind: TextureKind): RawImage {
  return kind === 'color' ? fillTransparent(image) : image;
}

/** Lanczos-3 upscale, wrap-padded in seamless mode. */
async function lanczosUpscale(image: RawImage, opts: UpscaleOptions): Promise<RawImage> {
  const { scale, kind } = opts;
  if (!opts.seamless) return resizeClassical(image, image.width * scale, image.height * scale, kind);
  const pad = LANCZOS_WRAP_PAD;
  const padded = wrapPad(image, pad);
  const big = await resizeClassical(padded, padded.width * scale, padded.height * scale, kind);
  return crop(big, pad * scale, pad * scale, image.width * scale, image.height * scale);
}

export { defaultModel, resolveModel, shippedModels } from './model-source';
/**
 * Image files for the engine's own commands (see image-codec.ts). Loaded on first use, with sharp,
 * so a command can start its model loading (createEngine + checkModel) before paying for libvips.
 */
export async function readImageFile(file: string): Promise<RawImage> {
  return (await import('../image-codec')).readImageFile(file);
}
export async function writeImageFile(file: string, image: RawImage): Promise<void> {
  return (await import('../image-codec')).writeImageFile(file, image);
}
/** writeImageFile for an image the engine is still making (see image-codec.ts). */
export async function imageFileWriter(file: string): Promise<import('../image-codec').ImageFileWriter> {
  return (await import('../image-codec')).imageFileWriter(file);
}
export { normalLengthError } from './normal';
