/** What every asset of one run shares. */
import type { PlatformIO } from '@gltf-transform/core';
import { DEFAULT_QUALITY, KIND_SUFFIXES } from '../config/defaults';
import type { SourcedRule } from '../config/types';
import { listOperations } from '../ops/registry';
import { hashValue } from '../state/hash';
import type { StateData } from '../state/store';
import type { WrittenFiles } from './commit';
import type { ImageProcessor } from './image-processor';
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
  /** Runs state changes (commits, restores) one at a time: assets may be processed concurrently. */
  serial: Serial;
}

/** Outcome of one asset, before it is filed into the run report. */
export type AssetOutcome =
  | { outcome: 'processed'; textures: import('./report').TextureReport[]; files: string[]; warnings: string[] }
  | { outcome: 'skipped'; reason: string; warnings: string[] };

/** Bumped when the pipeline's output for the same inputs and rules changes, so old outputs re-derive. */
export const PIPELINE_VERSION = 1;

/**
 * What an asset's outputs depend on: its originals, the rules that can apply to it, and the built-in
 * defaults those rules fall back on (so switching DEFAULT_MODEL re-derives outputs made with the old one),
 * including each operation's defaults and its version from '2' on (see plugin/ops/README.md).
 */
export function assetFingerprint(originals: Record<string, string | null>, rules: SourcedRule[]): string {
  return hashValue({
    version: PIPELINE_VERSION,
    defaults: { ...operationsFingerprint(), DEFAULT_QUALITY, KIND_SUFFIXES },
    originals,
    rules: rules.map((r) => r.rule),
  });
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
