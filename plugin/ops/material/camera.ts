/**
 * Capture geometry: the sample is the plane z = 0 (world +X right, +Y up, +Z toward the camera), the
 * pinhole camera sits at (0, 0, 1) looking down −Z with the image's horizontal field of view, and the
 * flash is a point light at the camera centre. Lengths are in units of the camera distance, which the
 * photos cannot tell; only angles and relative falloff matter.
 */
import type { Camera } from './types';

/** Width of one pixel on the sample plane. */
export function pixelSize(camera: Camera): number {
  return (2 * Math.tan((camera.fovDeg * Math.PI) / 360)) / camera.width;
}

/** World position on the sample of image position (x, y) in pixels (x right, y down; pixel centres at +0.5). */
export function planePoint(camera: Camera, x: number, y: number): [number, number] {
  const s = pixelSize(camera);
  return [(x + 0.5 - camera.width / 2) * s, -(y + 0.5 - camera.height / 2) * s];
}

/**
 * Direction from the sample point at image position (x, y) toward a point (px, py, pz), normalised, and
 * 1/r² to it. Writes [dx, dy, dz, invR2] into `out`.
 */
export function directionTo(camera: Camera, x: number, y: number, px: number, py: number, pz: number, out: Float64Array | number[]): void {
  const [wx, wy] = planePoint(camera, x, y);
  const dx = px - wx, dy = py - wy, dz = pz;
  const r2 = dx * dx + dy * dy + dz * dz;
  const inv = 1 / Math.sqrt(r2);
  out[0] = dx * inv; out[1] = dy * inv; out[2] = dz * inv; out[3] = 1 / r2;
}

/** The default field of view when neither --fov nor EXIF tells it (a phone's main camera). */
export const DEFAULT_FOV_DEG = 65;
