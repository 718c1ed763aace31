/**
 * Applies resolved actions to one encoded image: upscale (engine), cap to maxSize (engine resize),
 * re-encode. Results are cached by (original bytes hash, kind, actions), so an image shared by several
 * materials or several models is processed once per run.
 */
import type { Engine } from '../engine';
import { DEFAULT_MAX_PIXELS, DEFAULT_QUALITY } from '../config/defaults';
import { assertWithinPixelLimit, type PixelLimits } from '../safety/pixel-limit';
import type { ResolvedActions } from '../config/types';
import { hashBytes, hashValue } from '../state/hash';
import type { RawImage, TextureKind } from '../types';
import { decodeImage, encodeImage, MIME_BY_FORMAT, probeImage, type ImageFormat } from './image-codec';
import type { TextureReport } from './report';

export interface Size {
  width: number;
  height: number;
}

export interface ProcessedImage {
  bytes: Uint8Array;
  mimeType: string;
  before: Size;
  after: Size;
  /** Engine id for the upscale (`lanczos`, `remaster-x2-fast@cpu`, ...), `resize` for a cap only, `none`. */
  engine: string;
  /** False when the actions left the image as it was (original bytes returned). */
  changed: boolean;
  /** True when this result came from the cache (the image was already processed in this run). */
  reused: boolean;
  /** Why the image was left unchanged although the rules asked for a change. */
  warning?: string;
}

/**
 * Longest side an upscale may produce. 16384 is the largest texture most GPUs load, and 16384² RGBA
 * is already 1 GiB of pixels; beyond it a `maxSize` is needed.
 */
export const MAX_OUTPUT_SIDE = 16384;

/**
 * One asset's requests, in order, and which texture report each became. With assets processed
 * concurrently, which of two asks first is timing; `reused` is settled from these in plan order.
 */
export interface ImageRequests {
  keys: string[];
  /** Texture report → index in `keys` of the request it shows. */
  reports: Map<TextureReport, number>;
}

export class ImageProcessor {
  private readonly cache: Map<string, Promise<ProcessedImage>>;
  private readonly requests?: ImageRequests;

  /** `dryRun`: compute the planned sizes only; no pixels are decoded or produced. */
  /** `limits`: images over `maxPixels` are refused from their header (see safety/pixel-limit.ts). */
  constructor(private readonly engine: Engine, private readonly dryRun = false, private readonly limits: PixelLimits = { maxPixels: DEFAULT_MAX_PIXELS }, shared?: { cache: Map<string, Promise<ProcessedImage>>; requests: ImageRequests }) {
    this.cache = shared?.cache ?? new Map();
    this.requests = shared?.requests;
  }

  /** A processor for one asset: same cache (and in-flight work), its requests recorded in `requests`. */
  forAsset(requests: ImageRequests): ImageProcessor {
    return new ImageProcessor(this.engine, this.dryRun, this.limits, { cache: this.cache, requests });
  }

  /** Marks `report` as showing the latest request (call right after process() returned it). */
  reported(report: TextureReport): void {
    if (this.requests?.keys.length) this.requests.reports.set(report, this.requests.keys.length - 1);
  }

  async process(bytes: Uint8Array, kind: TextureKind, actions: ResolvedActions): Promise<ProcessedImage> {
    const { rules: _sources, ...what } = actions;
    const key = hashValue({ image: hashBytes(bytes), kind, what });
    this.requests?.keys.push(key);
    const hit = this.cache.get(key);
    if (hit) return { ...(await hit), reused: true };
    const job = this.run(bytes, kind, actions);
    this.cache.set(key, job);
    job.catch(() => this.cache.delete(key));
    return job;
  }

  private async run(bytes: Uint8Array, kind: TextureKind, actions: ResolvedActions): Promise<ProcessedImage> {
    const info = await probeImage(bytes);
    assertWithinPixelLimit(info.width, info.height, this.limits);
    const before = { width: info.width, height: info.height };
    const format: ImageFormat = actions.format === 'keep' ? info.format : actions.format;
    const plan = planSizes(before, actions);
    const unchanged = !plan.upscale && !plan.cap && format === info.format;
    const result = (image: Partial<ProcessedImage>): ProcessedImage => ({
      bytes, mimeType: MIME_BY_FORMAT[format], before, after: plan.after, engine: 'none', changed: !unchanged, reused: false, ...image,
    });
    if (unchanged) return result({ mimeType: MIME_BY_FORMAT[info.format] });
    if (info.pages > 1) {
      // Only the first frame would survive a decode: an animation is left as it is.
      return result({ mimeType: MIME_BY_FORMAT[info.format], after: before, changed: false, warning: `animated image (${info.pages} frames) left unchanged` });
    }
    if (info.bitsPerSample > 8) {
      // The engine works on 8-bit pixels: a 16-bit height or data map would lose precision.
      return result({ mimeType: MIME_BY_FORMAT[info.format], after: before, changed: false, warning: `${info.bitsPerSample}-bit image left unchanged (8-bit only)` });
    }
    if (plan.upscale && Math.max(before.width, before.height) * actions.upscale!.scale > MAX_OUTPUT_SIDE) {
      throw new Error(`x${actions.upscale!.scale} of ${before.width}x${before.height} exceeds ${MAX_OUTPUT_SIDE} px; set a maxSize or a smaller scale`);
    }
    const engineName = plan.upscale ? actions.upscale!.model : plan.cap ? 'resize' : 'none';
    if (this.dryRun) return result({ engine: engineName });

    let image: RawImage = await decodeImage(bytes, this.limits.maxPixels);
    let engine = engineName;
    if (plan.upscale) {
      const up = await this.engine.upscale(image, { scale: actions.upscale!.scale, model: actions.upscale!.model, kind, seamless: actions.upscale!.seamless });
      image = up.image;
      engine = up.engine;
    }
    if (plan.cap) image = await this.engine.resize(image, plan.after.width, plan.after.height, kind);
    const out = await encodeImage(image, format, actions.quality ?? DEFAULT_QUALITY, kind);
    return result({ bytes: out, engine, after: { width: image.width, height: image.height } });
  }
}

/**
 * Upscale unless the image already reaches maxSize (upscaling it only to shrink it back wastes time and
 * blurs); then cap the longest side at maxSize, keeping the aspect ratio.
 */
export function planSizes(before: Size, actions: ResolvedActions): { upscale: boolean; cap: boolean; after: Size } {
  const max = actions.maxSize;
  const longest = Math.max(before.width, before.height);
  const upscale = actions.upscale !== null && (max === null || longest < max);
  const factor = upscale ? actions.upscale!.scale : 1;
  let after = { width: before.width * factor, height: before.height * factor };
  const cap = max !== null && Math.max(after.width, after.height) > max;
  if (cap) {
    const ratio = max / Math.max(after.width, after.height);
    after = { width: Math.max(1, Math.round(after.width * ratio)), height: Math.max(1, Math.round(after.height * ratio)) };
  }
  return { upscale, cap, after };
}
