/**
 * Every built-in default in ONE place, so switching the default engine (e.g. to a shipped neural model
 * once `models/remaster-x2-fast.onnx` lands) is a one-line change.
 */
import type { RemasterConfig } from './types';
import type { DeviceChoice, TextureKind } from '../types';

/** Model used when a rule's `upscale` names no model, and by the built-in default config. */
export const DEFAULT_MODEL = 'remaster-x2-fast';

/** Scale used when a rule's `upscale` names no scale. */
export const DEFAULT_SCALE: 2 | 4 = 2;

/** Encoder quality for lossy outputs (jpeg/webp) when no rule sets `quality`. */
export const DEFAULT_QUALITY = 90;

/**
 * Largest image (width × height) decoded when the config sets no `limits.maxPixels`: 8192×8192, i.e.
 * 256 MiB of 8-bit RGBA before the engine's working copies. Anything larger is refused from its header
 * (decompression bombs declare 100000×100000 in a few hundred bytes).
 */
export const DEFAULT_MAX_PIXELS = 8192 * 8192;

/** File name of the project configuration, looked up at the project root. */
export const CONFIG_FILE = 'remaster.config.json';

/** Suffix of per-asset sidecar files: `hero.glb` → `hero.glb.remaster.json`. */
export const SIDECAR_SUFFIX = '.remaster.json';

/**
 * Applied when the project has no remaster.config.json: every texture x2, capped at 4096 px (a texture
 * already at the cap is left as it is), same format.
 */
export const DEFAULT_CONFIG: RemasterConfig = {
  rules: [{ match: '**/*', upscale: { scale: DEFAULT_SCALE, model: DEFAULT_MODEL }, maxSize: 4096 }],
};

/**
 * Kind of a standalone texture from its file name stem (case-insensitive suffix, before the extension),
 * for textures no rule gives a `kind`. glTF textures take their kind from their material slot instead.
 */
export const KIND_SUFFIXES: Record<Exclude<TextureKind, 'color'>, string[]> = {
  normal: ['_normal', '_normalgl', '_normaldx', '_nrm', '_nor', '_norm', '_n', '-normal', '-nrm', '-n'],
  data: [
    '_roughness', '_rough', '_metallic', '_metalness', '_metal', '_ao', '_occlusion', '_orm', '_arm', '_mr',
    '_height', '_disp', '_displacement', '_bump', '_mask', '_gloss', '_specular', '_spec',
  ],
};

/** Defaults of remasterProject() / `remaster run` options. */
export const RUN_DEFAULTS = {
  /**
   * Assets processed at once: one asset's decode, blend, encode and commit overlap another's inference
   * (which runs in the engine's worker, one tile at a time, on every core). Chosen by measurement on
   * 2 cores (test/bench/index.ts, "jobs x threads" table; see plugin/engine/README.md).
   */
  concurrency: 2,
  /** Execution device for neural models. */
  device: 'auto' as DeviceChoice,
} as const;

/** Defaults of watchProject() / `remaster watch` options (concurrency as RUN_DEFAULTS). */
export const WATCH_DEFAULTS = {
  /** A changed file is read once its size and mtime stayed the same, with no event, this long. */
  stabilityMs: 500,
  /** Longest a settled batch waits for a file that keeps changing. */
  maxBatchWaitMs: 5000,
  /** How long a job refused by another run's lock waits before it is tried again. */
  lockedRetryMs: 1000,
} as const;
