/**
 * Applies resolved actions to one encoded image: the registered per-texture operations in chain order
 * (style → upscale, see plugin/ops), cap to maxSize (engine resize), re-encode. Results are cached by
 * (original bytes hash, kind, actions), so an image shared by several materials or several models is
 * processed once per run.
 */
import type { Engine } from '../engine';
import { DEFAULT_MAX_PIXELS, DEFAULT_QUALITY } from '../config/defaults';
import { textureOperations } from '../ops/registry';
import type { TextureOperation, TextureStep } from '../ops/types';
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
  /**
   * Engine ids of the operations that ran, joined by `+` (`remaster-x2-fast@cpu`, `lanczos`), `resize`
   * for a cap only, `none`.
   */
  engine: string;
  /** False when the actions left the image as it was (original bytes returned). */
  changed: boolean;
  /** True when this result came from the cache (the image was already processed in this run). */
  reused: boolean;
  /** Why the image was left unchanged although the rules asked for a change. */
  warning?: string;
  /** Warnings the operations gave while making it. */
  notes: string[];
}

/** Options of an ImageProcessor. */
export interface ImageProcessorOptions {
  /** Compute the planned sizes only; no pixels are decoded or produced. Default false. */
  dryRun?: boolean;
  /** Images over `maxPixels` are refused from their header (see safety/pixel-limit.ts). Default DEFAULT_MAX_PIXELS. */
  limits?: PixelLimits;
  /** Project root lent to operations. Default process.cwd(). */
  root?: string;
}

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
  readonly dryRun: boolean;
  readonly limits: PixelLimits;
  readonly root: string;

  constructor(readonly engine: Engine, options: ImageProcessorOptions = {}, shared?: { cache: Map<string, Promise<ProcessedImage>>; requests: ImageRequests }) {
    this.dryRun = options.dryRun ?? false;
    this.limits = options.limits ?? { maxPixels: DEFAULT_MAX_PIXELS };
    this.root = options.root ?? process.cwd();
    this.cache = shared?.cache ?? new Map();
    this.requests = shared?.requests;
  }

  /** A processor for one asset: same cache (and in-flight work), its requests recorded in `requests`. */
  forAsset(requests: ImageRequests): ImageProcessor {
    return new ImageProcessor(this.engine, { dryRun: this.dryRun, limits: this.limits, root: this.root }, { cache: this.cache, requests });
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
    const plan = planChain(before, kind, actions);
    const unchanged = !plan.error && plan.steps.length === 0 && !plan.cap && format === info.format;
    const result = (image: Partial<ProcessedImage>): ProcessedImage => ({
      bytes, mimeType: MIME_BY_FORMAT[format], before, after: plan.after, engine: 'none', changed: !unchanged, reused: false, notes: [], ...image,
    });
    if (unchanged) return result({ mimeType: MIME_BY_FORMAT[info.format] });
    if (info.bitsPerSample > 8) {
      // The engine works on 8-bit pixels: a 16-bit height or data map would lose precision.
      return result({ mimeType: MIME_BY_FORMAT[info.format], after: before, changed: false, warning: `${info.bitsPerSample}-bit image left unchanged (8-bit only)` });
    }
    if (plan.error) throw plan.error;
    const engineName = (engines: string[]) => (engines.length ? engines.join('+') : plan.cap ? 'resize' : 'none');
    if (this.dryRun) return result({ engine: engineName(plan.steps.map((s) => s.step.engine)) });

    let image: RawImage = await decodeImage(bytes, this.limits.maxPixels);
    const engines: string[] = [];
    const notes: string[] = [];
    const services = { engine: this.engine, root: this.root, warn: (line: string) => notes.push(line) };
    for (const { op, settings, step } of plan.steps) {
      const out = await op.apply(settings, { image, kind, alpha: image.channels === 2 || image.channels === 4 }, step, services);
      image = out.image;
      engines.push(out.engine);
    }
    if (plan.cap) image = await this.engine.resize(image, plan.after.width, plan.after.height, kind);
    const out = await encodeImage(image, format, actions.quality ?? DEFAULT_QUALITY, kind);
    return result({ bytes: out, engine: engineName(engines), after: { width: image.width, height: image.height }, notes });
  }
}

/** One planned operation of a texture's chain. */
interface PlannedStep {
  op: TextureOperation;
  settings: unknown;
  step: TextureStep;
}

/**
 * The texture's chain from sizes alone: each per-texture operation the actions turn on, in order (an
 * operation may decline, e.g. no upscale of a texture already at maxSize), then the cap: the longest
 * side at maxSize, keeping the aspect ratio. An operation refusing its settings (`error`) is thrown by
 * the caller once it knows the image is one it would process at all.
 */
export function planChain(before: Size, kind: TextureKind, actions: ResolvedActions): { steps: PlannedStep[]; cap: boolean; after: Size; error?: Error } {
  const steps: PlannedStep[] = [];
  let size = before;
  const settingsByKey = actions as unknown as Record<string, unknown>;
  for (const op of textureOperations()) {
    const settings = settingsByKey[op.key];
    if (settings === null || settings === undefined) continue;
    let step: TextureStep | null;
    try {
      step = op.plan(settings, { size, kind, maxSize: actions.maxSize });
    } catch (err) {
      return { steps, cap: false, after: size, error: err as Error };
    }
    if (!step) continue;
    steps.push({ op, settings, step });
    size = step.after;
  }
  const max = actions.maxSize;
  const cap = max !== null && Math.max(size.width, size.height) > max;
  if (cap) {
    const ratio = max / Math.max(size.width, size.height);
    size = { width: Math.max(1, Math.round(size.width * ratio)), height: Math.max(1, Math.round(size.height * ratio)) };
  }
  return { steps, cap, after: size };
}
