/** Data types of colour → PBR map estimation (`estimatePbrFromColor`). */

/** How the maps are estimated. */
export type PbrMethod =
  /** The trained colour → normal/roughness CNN (models/pbr/remaster-pbr.onnx), height integrated from its normals. */
  | 'cnn'
  /** Materialize-style: height from a blur pyramid of luminance, normals from height gradients. */
  | 'heuristic';

/** What the input is: a game texture (tiles, keep its colour) or a photo (de-light a base colour). */
export type PbrInputMode = 'texture' | 'photo';

/** One estimated material, pixel-aligned with the input (same width and height). */
export interface PbrMaps {
  width: number;
  height: number;
  /** Tangent-space unit normals, interleaved XYZ, glTF convention (+X right, +Y up, +Z out), z > 0. */
  normal: Float32Array;
  /** Perceptual roughness (glTF `roughnessFactor` units), 0..1. */
  roughness: Float32Array;
  /** Relative height, 0..1 (0 = deepest, 1 = highest); scale-free, for parallax or displacement. */
  heightMap: Float32Array;
  /** Ambient occlusion, 0..1 (1 = unoccluded), derived from the height. */
  occlusion: Float32Array;
  /** De-lit base colour, RGBA 8-bit sRGB (alpha copied); photo mode only. */
  baseColor?: Uint8Array;
  /** Which method made the maps. */
  method: PbrMethod;
  /** Engine id for reports: `heuristic`, `remaster-pbr@cpu`. */
  engine: string;
}

/** The heuristic's tunables (defaults were chosen on the validation split; see models/pbr/remaster-pbr.md). */
export interface HeuristicParams {
  /** Normal strength: slope per unit of luminance-height change per texel. */
  strength: number;
  /** Weight ratio between successive pyramid levels (σ = 1, 2, 4, ... 32 texels): > 1 favours broad shapes. */
  falloff: number;
}

/** Roughness heuristic: r = clamp(base + lumGain * luma + detailGain * detail). */
export interface RoughnessParams {
  base: number;
  lumGain: number;
  detailGain: number;
}
