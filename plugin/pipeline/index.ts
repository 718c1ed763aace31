export { remasterProject, type RemasterProjectOptions } from './project';
export { restoreProject, type RestoreOptions, type RestoreReport } from './restore';
export { remaster, remasterDocument, type RemasterTransformOptions } from './transform';
export { ImageProcessor, planChain, type ProcessedImage, type Size } from './image-processor';
export type { RunReport, ProcessedAsset, SkippedAsset, FailedAsset, TextureReport, RunEvent } from './report';
