/** `estimatePbrFromColor`: one colour image → normal, roughness, height and occlusion maps. */
import type { DeviceChoice } from '../../types';
import { loadPbrModel, type PbrModel } from './cnn';
import { delightPhoto } from './delight';
import { DEFAULT_HEURISTIC, DEFAULT_ROUGHNESS, heightFromLuma, roughnessHeuristic, slopesFromHeight } from './heuristic';
import { integrateSlopes } from './integrate';
import { occlusionFromHeight } from './occlusion';
import { lumaOf, normaliseRange, normalsFromSlopes } from './planes';
import type { HeuristicParams, PbrInputMode, PbrMaps, PbrMethod, RoughnessParams } from './types';

/**
 * The method used when none is asked for: the network. On the 61 held-out Nexuiz materials its normals
 * are 9.57 degrees from the game's maps vs 11.44 for the heuristic (flat: 13.57); paired difference
 * -1.86, bootstrap 95 % [-2.18, -1.56] over materials, [-2.29, -0.89] over texture sets; better on 59
 * of 61; roughness level (0.1880 vs 0.1846). It costs ~8x the heuristic's CPU (1024²: ~7 vs ~0.8
 * CPU-seconds), once per texture (outputs are cached). `method: 'heuristic'` selects the fast path.
 * Table and commands: models/pbr/remaster-pbr.md.
 */
export const DEFAULT_PBR_METHOD: PbrMethod = 'cnn';

export interface PbrEstimateOptions {
  /** `cnn` (trained network) or `heuristic` (Materialize-style). Default: DEFAULT_PBR_METHOD. */
  method?: PbrMethod;
  /** `texture` (default): a game texture, assumed to tile. `photo`: also returns a de-lit base colour. */
  mode?: PbrInputMode;
  /** Treat the image as tiling (filters wrap around the edges). Default: true for textures, false for photos. */
  seamless?: boolean;
  /** A loaded network to reuse across calls (cnn). Default: loaded for this call and released after. */
  model?: PbrModel;
  /** Device when the network is loaded here (default 'cpu'). */
  device?: DeviceChoice;
  /** Heuristic tunables (defaults: DEFAULT_HEURISTIC). */
  heuristic?: Partial<HeuristicParams>;
  /** Heuristic roughness (defaults: DEFAULT_ROUGHNESS). */
  roughness?: Partial<RoughnessParams>;
  /** Occlusion darkening per unit of depth (default 2.5). */
  occlusionStrength?: number;
}

/**
 * Estimates PBR maps from a colour image (8-bit sRGB RGBA, row-major), pixel-aligned with it.
 * Normals are tangent-space unit vectors in the glTF convention (+Y up); roughness, height and
 * occlusion are 0..1. Transparent texels' colour is ignored (filled from visible neighbours).
 *
 * @example
 * import sharp from 'sharp';
 * const { data, info } = await sharp('brick.png').ensureAlpha().raw().toBuffer({ resolveWithObject: true });
 * const maps = await estimatePbrFromColor(data, info.width, info.height);
 * const normalPng = encodeNormalMap(maps);                 // RawImage, RGB
 * const ormPng = encodeOrm(maps, { metallic: 0 });         // R occlusion, G roughness, B metallic
 *
 * @example
 * // Many textures: load the network once.
 * const model = await loadPbrModel({ device: 'cpu' });
 * for (const t of textures) await estimatePbrFromColor(t.rgba, t.width, t.height, { model });
 * await model.release();
 */
export async function estimatePbrFromColor(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  options: PbrEstimateOptions = {},
): Promise<PbrMaps> {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`estimatePbrFromColor: invalid size ${width}x${height}`);
  }
  if (rgba.length !== width * height * 4) {
    throw new Error(`estimatePbrFromColor: buffer holds ${rgba.length} bytes, expected ${width}x${height}x4 (RGBA)`);
  }
  const pixels = rgba instanceof Uint8Array ? rgba : new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.length);
  const mode = options.mode ?? 'texture';
  const wrap = options.seamless ?? mode === 'texture';
  const method = options.method ?? DEFAULT_PBR_METHOD;
  // Photos are first de-lit, so the room's light does not read as relief.
  const baseColor = mode === 'photo' ? delightPhoto(pixels, width, height) : undefined;
  const colour = baseColor ?? pixels;

  let sx: Float32Array;
  let sy: Float32Array;
  let roughness: Float32Array;
  let heightMap: Float32Array;
  let engine: string;
  if (method === 'cnn') {
    const model = options.model ?? (await loadPbrModel({ device: options.device }));
    try {
      ({ sx, sy, roughness } = await model.run({ data: colour, width, height, channels: 4 }, { wrap }));
      engine = model.engine;
    } finally {
      if (!options.model) await model.release();
    }
    for (let i = 0; i < roughness.length; i++) roughness[i] = Math.min(1, Math.max(0, roughness[i]));
    // Height: the surface whose gradient best matches the predicted normals (dh/dx = -sx, dh/drow = +sy).
    const gx = sx.map((v) => -v);
    heightMap = normaliseRange(integrateSlopes(gx, sy, width, height, { wrap }));
  } else if (method === 'heuristic') {
    const params = { ...DEFAULT_HEURISTIC, ...options.heuristic };
    const luma = lumaOf(colour, width, height);
    const raw = heightFromLuma(luma, width, height, params, wrap);
    ({ sx, sy } = slopesFromHeight(raw, width, height, params.strength, wrap));
    roughness = roughnessHeuristic(luma, width, height, { ...DEFAULT_ROUGHNESS, ...options.roughness }, wrap);
    heightMap = normaliseRange(raw);
    engine = 'heuristic';
  } else {
    throw new Error(`estimatePbrFromColor: unknown method "${String(method)}" (use cnn or heuristic)`);
  }
  const occlusion = occlusionFromHeight(heightMap, width, height, { wrap, strength: options.occlusionStrength });
  return { width, height, normal: normalsFromSlopes(sx, sy), roughness, heightMap, occlusion, baseColor, method, engine };
}
