/**
 * Data types shared across the pipeline (plugin/pipeline, plugin/gltf, plugin/textures) and the
 * upscaling engine (plugin/engine). Kept dependency-free so every module can import them.
 */

/** How a texture's values must be treated when resampled. */
export type TextureKind =
  /** sRGB colour (baseColor, emissive, KHR_materials_* colour slots, standalone images by default). */
  | 'color'
  /** Tangent-space normal map: XYZ vectors encoded as 0..1; renormalise after resampling. */
  | 'normal'
  /** Linear data channels (metallicRoughness, occlusion, transmission, ...): no colour assumptions. */
  | 'data';

/** Interleaved 8-bit pixels, row-major, as sharp's `.raw()` produces them. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  /** 1 = grey, 2 = grey+alpha, 3 = RGB, 4 = RGBA. */
  channels: 1 | 2 | 3 | 4;
}

/** One upscale job for the engine. */
export interface UpscaleOptions {
  /** Integer output/input ratio requested by the rule. */
  scale: 2 | 4;
  /** `"lanczos"`, the name of a shipped model (see models/), or a path to a user's .onnx file. */
  model: string;
  kind: TextureKind;
  /** Treat the image as tiling: wrap-around padding so the result still tiles without a seam. */
  seamless?: boolean;
  /**
   * Called while the model runs, each time more rows of the output are final: rows [0, rows) of `image`
   * (the very image the result will hold) do not change any more. Lets a caller encode the top of the
   * output while the bottom computes (`remaster upscale`). Only called where the engine knows this early
   * (one model pass; no alpha or 4th channel, which come after the model; not seamless; not Lanczos);
   * the callback must not modify the image.
   */
  onRows?: (image: RawImage, rows: number) => void;
}

/** What the engine made, and with what (reported per texture in `remaster run --json`). */
export interface UpscaleResult {
  image: RawImage;
  /** Human-readable engine id, e.g. `lanczos`, `remaster-x4-fast@cpu`, `my-model.onnx@webgpu`. */
  engine: string;
}

/** Execution device requested on the command line (`--device`). */
export type DeviceChoice = 'auto' | 'cpu' | 'webgpu' | 'cuda';
