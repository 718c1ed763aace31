/** What every asset of one run shares. */
import type { PlatformIO } from '@gltf-transform/core';
import type { SourcedRule } from '../config/types';
import type { StateData } from '../state/store';
import type { WrittenFiles } from './commit';
import type { ImageProcessor } from './image-processor';

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
}

/** Outcome of one asset, before it is filed into the run report. */
export type AssetOutcome =
  | { outcome: 'processed'; textures: import('./report').TextureReport[]; files: string[]; warnings: string[] }
  | { outcome: 'skipped'; reason: string; warnings: string[] };

/** Bumped when the pipeline's output for the same inputs and rules changes, so old outputs re-derive. */
export const PIPELINE_VERSION = 1;
