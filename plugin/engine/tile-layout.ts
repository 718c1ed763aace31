/** How the engine tiles a model: size from the model (fixed inputs) or the device, overridable. */

import type { Device } from './device';
import type { LoadedModel } from './onnx-model';
import type { TileLayout } from './tiler';

/**
 * Default tile edge per device: on CPU a 256² tile keeps activations in cache-friendly sizes
 * (a 64-channel layer is 16 MB); GPUs need more work per dispatch to stay busy.
 */
export const DEFAULT_TILE = { cpu: 256, webgpu: 512, cuda: 512 } as const;

/**
 * Largest output tile edge on CPU (texels). A tile's output tensor (and the model's last layer before
 * the pixel shuffle, as large) stays under 8 MB: past that, onnxruntime's arena grows by a much larger
 * block. Measured with remaster-x4-fast, arena growth after the first runs: 28-33 MB for 171²-203²
 * tiles, 47 MB at 211², 59 MB at 237² (what a 256 limit gives a 1024² texture); peak RSS of x4 of 1024²
 * 219 MB instead of 255 MB, for ~6 % more texels through the model (more tiles, more overlap).
 */
export const CPU_MAX_OUTPUT_TILE = 816;

/** Context around each tile: covers the receptive field of compact SR nets (SRVGGNetCompact ~18). */
export const DEFAULT_OVERLAP = 16;

/**
 * The default tile edge for a model of `scale` on `device`: DEFAULT_TILE, and on CPU at most
 * CPU_MAX_OUTPUT_TILE / scale (x4: 204, so tiles of 203² for 512², 1024², 2048² and 4096²).
 */
export function defaultTile(device: Device, scale: number): number {
  const base = DEFAULT_TILE[device];
  return device === 'cpu' ? Math.min(base, Math.floor(CPU_MAX_OUTPUT_TILE / Math.max(1, scale))) : base;
}

export function chooseLayout(model: Pick<LoadedModel, 'info' | 'device'>, tileSize?: number, overlap?: number): TileLayout {
  const fixed = model.info.fixedSize;
  const tile = tileSize ?? defaultTile(model.device, model.info.scale);
  const tileWidth = fixed?.width ?? tile;
  const tileHeight = fixed?.height ?? tile;
  const smallest = Math.min(tileWidth, tileHeight);
  // At least half the tile stays core, so overlap never dominates the work.
  const pad = Math.min(overlap ?? DEFAULT_OVERLAP, Math.floor((smallest - 2) / 4));
  return { tileWidth, tileHeight, pad: Math.max(0, pad), fixed: fixed !== undefined };
}
