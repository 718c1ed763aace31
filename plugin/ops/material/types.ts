/**
 * Data of the two-shot material capture. All planes are row-major, top row first (PNG and glTF UV
 * order), interleaved per texel, in linear light unless a name says otherwise.
 */

/** A spatially varying material in the glTF 2.0 metallic-roughness model (metallic = 0). */
export interface MaterialMaps {
  width: number;
  height: number;
  /** Diffuse albedo (glTF base colour of a dielectric), linear RGB, 3 per texel. */
  baseColor: Float32Array;
  /** KHR_materials_specular dielectric F0 colour (0.04 · specularColorFactor · texture), linear RGB, 3 per texel; F90 = 1. */
  specular: Float32Array;
  /** Perceptual roughness; GGX α = roughness². 1 per texel. */
  roughness: Float32Array;
  /** Unit tangent-space normal (+X right, +Y up in the image, +Z out of the surface), 3 per texel. */
  normal: Float32Array;
  /** KHR_materials_anisotropy per texel: [strength 0..1, direction angle in radians from +X toward +Y], 2 per texel. */
  anisotropy: Float32Array;
}

/** Pinhole camera looking straight down at the flat sample from distance 1; the flash sits at its centre. */
export interface Camera {
  width: number;
  height: number;
  /** Horizontal field of view in degrees. */
  fovDeg: number;
}

/** A linear-light RGB image, 3 floats per pixel. */
export interface LinearImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** An 8-bit sRGB photo as decoded, 3 bytes per pixel (or 16-bit values scaled to 0..255 floats). */
export interface Photo {
  width: number;
  height: number;
  /** sRGB-encoded values in 0..1, 3 per pixel. */
  data: Float32Array;
}

export function emptyMaps(width: number, height: number): MaterialMaps {
  const n = width * height;
  const normal = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) normal[i * 3 + 2] = 1;
  return {
    width, height,
    baseColor: new Float32Array(n * 3),
    specular: new Float32Array(n * 3).fill(0.04),
    roughness: new Float32Array(n).fill(0.5),
    normal,
    anisotropy: new Float32Array(n * 2),
  };
}
