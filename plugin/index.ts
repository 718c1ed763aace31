/** Public library API of Remaster. */
export * from './types';
export { remasterProject, type RemasterProjectOptions } from './pipeline/project';
export { restoreProject, type RestoreOptions, type RestoreReport } from './pipeline/restore';
export { remaster, type RemasterTransformOptions } from './pipeline/transform';
export { createEngine, type Engine, type EngineOptions } from './engine';
export { tuneGarbageCollection } from './gc-tuning';
export { registerOperation, listOperations } from './ops/registry';
export type * from './ops/types';
export { TEXTURE_ORDER } from './ops/types';
// Also brings the built-in operations' rule keys (declaration merging) into consumers' Rule type.
export type { UpscaleRule, UpscaleSettings } from './ops/upscale';
export { styleTexture, styleFull, blend as blendStyle, styleFrames, readStyleReference, type StyleOptions, type StyleMethod, type StyleRule, type StyleSettings } from './ops/style';
export type { RunReport, ProcessedAsset, SkippedAsset, FailedAsset, TextureReport, RunEvent } from './pipeline/report';
export { ConfigError, ProjectLockedError, RemasterError, StaleInputError, type ErrorCode } from './errors';
export { DEFAULT_CONFIG, DEFAULT_MODEL } from './config/defaults';
export type { RemasterConfig, Rule, UpscaleAction, OutputFormat, ResolvedActions } from './config/types';
export { discoverFiles, STATE_DIR } from './discovery/walk';
export { isSidecar } from './config/load';
export { watchProject, type WatchOptions, type WatchEvent, type ProjectWatcher } from './watch';
export {
  estimatePbrFromColor, loadPbrModel, encodeNormalMap, encodeOrm, encodeGrey, DEFAULT_PBR_METHOD,
  type PbrMaps, type PbrEstimateOptions, type PbrModel, type PbrMethod,
} from './ops/pbr';
export { varyTexture, varyMaterials, type VaryMap, type VaryOptions, type VaryResult, type VaryMaterialsOptions } from './ops/vary';
export * as textureStats from './metrics/texture-stats';
