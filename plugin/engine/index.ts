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
import { resolveModel } from './model-source';
import { assertRawImage } from './pixels';
import { crop, wrapPad } from './wrap';

export interface EngineOptions {
  /** Execution device for neural models (default 'auto'). */
  device?: DeviceChoice;
  /** Tile edge in input texels for neural inference (default: chosen per model and device). */
  tileSize?: number;
  /** Receives one line per notable event (device fallback, model loaded). Default: silent. */
  log?: (line: string) => void;
  /** Base for relative model paths (default: process.cwd()). */
  projectRoot?: string;
}

export interface Engine {
  /** Upscale by opts.scale with opts.model ('lanczos' | shipped model name | path to .onnx), kind-aware:
   *  colour keeps alpha, normal maps come out renormalised, data maps get no colour treatment. */
  upscale(image: RawImage, opts: UpscaleOptions): Promise<UpscaleResult>;
  /** Classical kind-aware resize to exact size (used for `maxSize` caps). */
  resize(image: RawImage, width: number, height: number, kind: TextureKind): Promise<RawImage>;
  /** Throws a one-line Error if the model name/path cannot be used (unknown name, not ONNX, bad shapes). */
  checkModel(model: string): Promise<void>;
  close(): Promise<void>;
}

/** Texels of wrap-around padding for seamless Lanczos: the kernel reaches 3 source texels. */
const LANCZOS_WRAP_PAD = 4;

export function createEngine(options: EngineOptions = {}): Engine {
  const projectRoot = options.projectRoot ?? process.cwd();

  async function upscale(image: RawImage, opts: UpscaleOptions): Promise<UpscaleResult> {
    assertRawImage(image);
    if (opts.scale !== 2 && opts.scale !== 4) throw new Error(`unsupported scale ${opts.scale} (use 2 or 4)`);
    const source = resolveModel(opts.model, projectRoot);
    if (source.kind === 'lanczos') {
      return { image: await lanczosUpscale(image, opts), engine: 'lanczos' };
    }
    throw new Error(`model "${opts.model}": neural inference is not available in this build yet`);
  }

  return {
    upscale,
    async resize(image, width, height, kind) {
      assertRawImage(image);
      // Downscaling colour averages light, so do it in linear light; anything else stays as stored.
      const down = width <= image.width && height <= image.height;
      return resizeClassical(image, width, height, kind, { light: down ? 'linear' : 'srgb' });
    },
    async checkModel(model) {
      resolveModel(model, projectRoot);
    },
    async close() {},
  };
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

export { resolveModel, shippedModels } from './model-source';
export { normalLengthError } from './normal';
