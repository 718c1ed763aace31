/** Public library API of Remaster. */
export * from './types';
export { remasterProject, type RemasterProjectOptions } from './pipeline/project';
export { restoreProject, type RestoreOptions, type RestoreReport } from './pipeline/restore';
export { remaster, type RemasterTransformOptions } from './pipeline/transform';
export type { RunReport, ProcessedAsset, SkippedAsset, FailedAsset, TextureReport, RunEvent } from './pipeline/report';
export { ConfigError } from './config/errors';
export { DEFAULT_CONFIG, DEFAULT_MODEL } from './config/defaults';
export type { RemasterConfig, Rule, UpscaleAction, OutputFormat, ResolvedActions } from './config/types';
export { discoverFiles, STATE_DIR } from './discovery/walk';
export { isSidecar } from './config/load';
export { watchProject, type WatchOptions, type WatchEvent, type ProjectWatcher } from './watch';
export { varyTexture, varyMaterials, type VaryMap, type VaryOptions, type VaryResult, type VaryMaterialsOptions } from './ops/vary';
export * as textureStats from './metrics/texture-stats';
