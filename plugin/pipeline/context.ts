/** What every asset of one run shares. */
import type { PlatformIO } from '@gltf-transform/core';
import { DEFAULT_QUALITY, KIND_SUFFIXES } from '../config/defaults';
import type { RunCache } from '../cache/run-cache';
import type { SourcedRule } from '../config/types';
import { listOperations, registryGeneration } from '../ops/registry';
import { createHash, type Hash } from 'node:crypto';
import { hashText, stableStringify } from '../state/hash';
import type { StateData } from '../state/store';
import type { WrittenFiles } from './commit';
import type { CommitGroups } from './commit-groups';
import type { ImageProcessor } from './image-processor';
import type { TextureReport } from './report';
import type { Serial } from './schedule';

export interface RunContext {
  root: string;
  state: StateData;
  /** Project rules (config file or built-in default); sidecars are added per asset. */
  rules: SourcedRule[];
  /** Sidecar rules per asset key, loaded (and validated) before any asset is touched. */
  sidecars: Map<string, SourcedRule[]>;
  io: PlatformIO;
  processor: ImageProcessor;
  written: WrittenFiles;
  dryRun: boolean;
  /** Runs state changes (commit groups, restores) one at a time: assets may be processed concurrently. */
  serial: Serial;
  /** Commits assets' outputs in groups (commit-groups.ts), in `serial`. */
  commits: CommitGroups;
  /** Lets another asset start while this one waits for its commit group (the scheduler's `freeSlot`). */
  freeSlot?: (key: string) => void;
  /**
   * Checks the rules' operations (models load) the first time an asset is to be remastered, before it
   * is: a run where everything is up to date loads no model (and creates no inference session).
   */
  prepare?: () => Promise<void>;
  /** The result cache, when the run has one (`--cache DIR`). */
  cache?: RunCache;
}

/** One piece of image work an asset asked for, in order, and the texture report that shows it (if any). */
export interface ImageWork {
  work: string;
  report?: TextureReport;
}

/** Outcome of one asset, before it is filed into the run report. `work` settles the reports' `reused`. */
export type AssetOutcome =
  | { outcome: 'processed'; textures: TextureReport[]; files: string[]; warnings: string[]; work: ImageWork[] }
  | { outcome: 'skipped'; reason: string; warnings: string[]; work: ImageWork[] };

/** Bumped when the pipeline's output for the same inputs and rules changes, so old outputs re-derive. */
export const PIPELINE_VERSION = 1;

/**
 * What an asset's outputs depend on: its originals, the rules that can apply to it, and the built-in
 * defaults those rules fall back on (so switching DEFAULT_MODEL re-derives outputs made with the old one),
 * including each operation's defaults and its version from '2' on (see plugin/ops/README.md).
 */
export function assetFingerprint(originals: Record<string, string | null>, rules: SourcedRule[]): string {
  // hashValue({ version, defaults, originals, rules }) spelled out (keys in sorted order), with the parts
  // that are the same for every asset built once: a no-op run computes this for each of 100k assets.
  const rulesText = `[${rules.map((r) => ruleText(r.rule)).join(',')}]`;
  return hashText(`,"originals":${stableStringify(originals)},"rules":${rulesText},"version":${PIPELINE_VERSION}}`, defaultsHash());
}

/** The hash state after `{"defaults":<defaults>`, the same for every asset: each fingerprint copies it. */
let defaultsCache: { generation: number; hash: Hash } | undefined;
function defaultsHash(): Hash {
  if (defaultsCache?.generation !== registryGeneration()) {
    const text = `{"defaults":${stableStringify({ ...operationsFingerprint(), DEFAULT_QUALITY, KIND_SUFFIXES })}`;
    defaultsCache = { generation: registryGeneration(), hash: createHash('sha256').update(text) };
  }
  return defaultsCache.hash;
}

/** Rules are not changed once validated: each one's text is made once. */
const ruleTexts = new WeakMap<object, string>();
function ruleText(rule: object): string {
  let text = ruleTexts.get(rule);
  if (text === undefined) ruleTexts.set(rule, (text = stableStringify(rule)));
  return text;
}

/** Every registered operation's defaults, and `<key>Version` for versions past the baseline '1'. */
function operationsFingerprint(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const op of listOperations()) {
    Object.assign(out, op.fingerprint);
    if (op.version !== '1') out[`${op.key}Version`] = op.version;
  }
  return out;
}
