/**
 * The capture model's renderer: what the camera sees of a flat material sample under the flash (a point
 * light at the camera centre), under the room light (the guide photo) or under any point light (for
 * re-rendering scores). Output is linear RGB radiance; photo.ts turns it into an 8-bit sRGB photo.
 */
import { shade, shadingFrame, type ShadingFrame } from './brdf';
import { directionTo } from './camera';
import type { Camera, LinearImage, MaterialMaps } from './types';

/** Radiance scale of the flash: a white Lambertian texel (albedo 1) at the image centre reads power/π. */
export const DEFAULT_FLASH_POWER = 1.6;

/**
 * The room light of the guide photo: a uniform white sky of radiance `ambient` (diffuse reflects
 * (1 − max F0)·base·ambient, specular ≈ F0·ambient), plus a broad window, a directional light of
 * irradiance `window` from `windowDir` (unit vector toward the light).
 */
export interface RoomLight {
  ambient: number;
  window: number;
  windowDir: [number, number, number];
}

/** Window 35° above the horizon from the upper left, plus sky: shading a guide photo really has. */
export const DEFAULT_ROOM_LIGHT: RoomLight = {
  ambient: 0.15,
  window: 0.8,
  windowDir: direction(35, 135),
};

/** Unit vector at `elevationDeg` above the sample plane, from azimuth `azimuthDeg` (0 = +X, 90 = +Y up). */
export function direction(elevationDeg: number, azimuthDeg: number): [number, number, number] {
  const e = (elevationDeg * Math.PI) / 180, a = (azimuthDeg * Math.PI) / 180;
  return [Math.cos(e) * Math.cos(a), Math.cos(e) * Math.sin(a), Math.sin(e)];
}

/** Calls fn(x, y, texel index, frame) for every pixel, with the texel's shading frame. */
function forEachTexel(maps: MaterialMaps, fn: (x: number, y: number, i: number, f: ShadingFrame) => void): void {
  const frame = {} as ShadingFrame;
  for (let y = 0; y < maps.height; y++) {
    for (let x = 0; x < maps.width; x++) {
      const i = y * maps.width + x;
      shadingFrame(maps.normal[i * 3], maps.normal[i * 3 + 1], maps.normal[i * 3 + 2], maps.anisotropy[i * 2 + 1], frame);
      fn(x, y, i, frame);
    }
  }
}

/** Radiance seen by the camera with a point light at (px, py, pz) of the given power (falloff 1/r²). */
export function renderPointLight(maps: MaterialMaps, camera: Camera, light: [number, number, number], power: number): LinearImage {
  const out = new Float32Array(maps.width * maps.height * 3);
  const v = new Float64Array(4), l = new Float64Array(4), rgb = new Float64Array(3);
  forEachTexel(maps, (x, y, i, f) => {
    directionTo(camera, x, y, 0, 0, 1, v);
    directionTo(camera, x, y, light[0], light[1], light[2], l);
    shade(f, maps.baseColor, i * 3, maps.specular, i * 3, maps.roughness[i], maps.anisotropy[i * 2], l[0], l[1], l[2], v[0], v[1], v[2], rgb);
    const k = power * l[3];
    out[i * 3] = rgb[0] * k; out[i * 3 + 1] = rgb[1] * k; out[i * 3 + 2] = rgb[2] * k;
  });
  return { width: maps.width, height: maps.height, data: out };
}

/** The flash photo: a point light at the camera centre. */
export function renderFlash(maps: MaterialMaps, camera: Camera, power = DEFAULT_FLASH_POWER): LinearImage {
  return renderPointLight(maps, camera, [0, 0, 1], power);
}

/** The guide photo: same framing, room light only. */
export function renderGuide(maps: MaterialMaps, camera: Camera, room: RoomLight = DEFAULT_ROOM_LIGHT): LinearImage {
  const out = new Float32Array(maps.width * maps.height * 3);
  const v = new Float64Array(4), rgb = new Float64Array(3);
  const [lx, ly, lz] = room.windowDir;
  forEachTexel(maps, (x, y, i, f) => {
    directionTo(camera, x, y, 0, 0, 1, v);
    shade(f, maps.baseColor, i * 3, maps.specular, i * 3, maps.roughness[i], maps.anisotropy[i * 2], lx, ly, lz, v[0], v[1], v[2], rgb);
    const s0 = maps.specular[i * 3], s1 = maps.specular[i * 3 + 1], s2 = maps.specular[i * 3 + 2];
    const kd = 1 - Math.max(s0, s1, s2);
    for (let c = 0; c < 3; c++) {
      out[i * 3 + c] = rgb[c] * room.window + room.ambient * (kd * maps.baseColor[i * 3 + c] + maps.specular[i * 3 + c]);
    }
  });
  return { width: maps.width, height: maps.height, data: out };
}
