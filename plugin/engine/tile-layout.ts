/** How the engine tiles a model: size from the model (fixed inputs) or the device, overridable. */

import type { LoadedModel } from './onnx-model';
import type { TileLayout } from './tiler';

/**
 * Default tile edge per device: on CPU a 256² tile keeps activations in cache-friendly sizes
 * (a 64-channel layer is 16 MB); GPUs need more work per dispatch to stay busy.
 */
export const DEFAULT_TILE = { cpu: 256, webgpu: 512, cuda: 512 } as const;

/** Context around each tile: covers the receptive field of compact SR nets (SRVGGNetCompact ~18). */
export const DEFAULT_OVERLAP = 16;

export function chooseLayout(model: Pick<LoadedModel, 'info' | 'device'>, tileSize?: number, overlap?: number): TileLayout {
  const fixed = model.info.fixedSize;
  const tileWidth = fixed?.width ?? tileSize ?? DEFAULT_TILE[model.device];
  const tileHeight = fixed?.height ?? tileSize ?? DEFAULT_TILE[model.device];
  const smallest = Math.min(tileWidth, tileHeight);
  // At least half the tile stays core, so overlap never dominates the work.
  const pad = Math.min(overlap ?? DEFAULT_OVERLAP, Math.floor((smallest - 2) / 4));
  return { tileWidth, tileHeight, pad: Math.max(0, pad), fixed: fixed !== undefined };
}
