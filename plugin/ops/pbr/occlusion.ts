/**
 * Ambient occlusion from height: a texel below its surroundings sees less of the sky. For each of a
 * few neighbourhood sizes, the depth below the local (blurred) height, in height units, darkens the
 * texel; the sizes are summed so both narrow cracks and broad hollows occlude.
 */
import { gaussianBlur } from './blur';

const SIGMAS = [2, 6, 16];

/**
 * @param heightMap 0..1 relative height.
 * @param strength darkening per unit of depth below the surroundings (default 2.5).
 * @returns 0..1, 1 = unoccluded.
 */
export function occlusionFromHeight(heightMap: Float32Array, width: number, height: number, options: { wrap?: boolean; strength?: number } = {}): Float32Array {
  const strength = options.strength ?? 2.5;
  const depth = new Float32Array(heightMap.length);
  for (const sigma of SIGMAS) {
    const around = gaussianBlur(heightMap, width, height, sigma, { wrap: options.wrap });
    for (let i = 0; i < depth.length; i++) depth[i] += Math.max(0, around[i] - heightMap[i]) / SIGMAS.length;
  }
  const ao = new Float32Array(heightMap.length);
  for (let i = 0; i < ao.length; i++) ao[i] = Math.min(1, Math.max(0, 1 - strength * depth[i]));
  return ao;
}
