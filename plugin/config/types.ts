/**
 * The configuration format (remaster.config.json and <asset>.remaster.json sidecars), as validated by
 * pipeline-config/remaster.schema.json, and the actions a set of rules resolves to for one texture.
 */
import type { OperationRuleValues, OperationSettingsValues } from '../ops/types';
import type { TextureKind } from '../types';

/** Output image container. `keep` = same as the input. */
export type OutputFormat = 'keep' | 'png' | 'webp' | 'jpeg';

/** Material slot names: the glTF Transform texture edge name without its `Texture` suffix. */
export type TextureSlot = string;


/**
 * One rule as written by the user. Every key is optional; later rules override earlier keys. The core
 * keys are below; each registered operation adds its own (`upscale`, ...) through OperationRuleValues.
 */
export interface Rule extends OperationRuleValues {
  match?: string | string[];
  slots?: TextureSlot[];
  skip?: boolean;
  kind?: TextureKind;
  maxSize?: number | null;
  format?: OutputFormat;
  quality?: number;
}

/** The `upscale` value of a rule (kept under its old name; defined by plugin/ops/upscale). */
export type UpscaleAction = Exclude<NonNullable<Rule['upscale']>, false>;

export interface RemasterConfig {
  $schema?: string;
  /** Project-wide safety limits (project config only). */
  limits?: Limits;
  /** The result cache (project config only; `--cache` / `--cache-max-mb` override it). */
  cache?: CacheConfig;
  rules: Rule[];
}

export interface CacheConfig {
  /** Cache folder; relative to the project directory. */
  dir: string;
  /** Size cap in MiB (default 10240). */
  maxMB?: number;
}

export interface Limits {
  /** Largest width × height decoded; default DEFAULT_MAX_PIXELS. */
  maxPixels?: number;
}

/** Where a rule came from, for messages and reports (`remaster.config.json#2`, `hero.glb.remaster.json#0`). */
export interface SourcedRule {
  rule: Rule;
  source: string;
}

/** A loaded project configuration, ready for matching. */
export interface ProjectConfig {
  /** File the rules came from, or `(built-in default)`. */
  source: string;
  rules: SourcedRule[];
  limits: Limits;
  /** `cache` as written in the config (resolved and checked against the project by the run). */
  cache?: CacheConfig;
}

/**
 * What to do to one texture once every matching rule has been merged: the core keys below, plus one key
 * per registered operation with its settings (null = off), e.g. `upscale`.
 */
export interface ResolvedActions extends OperationSettingsValues {
  maxSize: number | null;
  format: OutputFormat;
  quality: number | null;
  /** Kind forced by a rule (standalone textures only); null = inferred. */
  kind: TextureKind | null;
  /** Rule sources that contributed, in order (reported as the texture's `rule`). */
  rules: string[];
}
