/**
 * What makes a flash/guide pair unusable, and what merely deserves a warning. Errors name the file and
 * say what to reshoot.
 */
import { CLIP_LEVEL } from './fit-tile';
import { CaptureInputError } from './read-photo';
import type { Photo } from './types';

export interface PairNames {
  flash: string;
  guide: string;
}

function mean(photo: Photo): number {
  let s = 0;
  for (let i = 0; i < photo.data.length; i++) s += photo.data[i];
  return s / photo.data.length;
}

/** Mean of the middle ninth of the frame over the mean of its outer border (a tenth of each side). */
function centreToEdge(photo: Photo): number {
  const { width: w, height: h } = photo;
  let c = 0, nc = 0, e = 0, ne = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = photo.data[(y * w + x) * 3] + photo.data[(y * w + x) * 3 + 1] + photo.data[(y * w + x) * 3 + 2];
      if (x > w / 3 && x < (2 * w) / 3 && y > h / 3 && y < (2 * h) / 3) { c += v; nc++; }
      else if (x < w / 10 || x > (9 * w) / 10 || y < h / 10 || y > (9 * h) / 10) { e += v; ne++; }
    }
  }
  return c / Math.max(1, nc) / Math.max(1e-6, e / Math.max(1, ne));
}

/** Throws CaptureInputError for a pair that cannot be fitted; returns warnings for a usable one. */
export function checkPair(flash: Photo, guide: Photo, names: PairNames, orientations: [number, number] = [1, 1]): string[] {
  if (orientations[0] !== orientations[1]) {
    throw new CaptureInputError(`${names.guide}: EXIF orientation ${orientations[1]} differs from the flash photo's ${orientations[0]} (reshoot both without rotating the camera)`);
  }
  if (flash.width !== guide.width || flash.height !== guide.height) {
    throw new CaptureInputError(`${names.guide}: ${guide.width}x${guide.height} differs from the flash photo's ${flash.width}x${flash.height} (the two photos must be pixel-aligned: same camera position and settings)`);
  }
  if (flash.width < 64 || flash.height < 64) {
    throw new CaptureInputError(`${names.flash}: ${flash.width}x${flash.height} is too small (at least 64x64)`);
  }
  const n = flash.width * flash.height;
  let guideBrighter = 0, clipped = 0;
  for (let i = 0; i < n; i++) {
    const f = flash.data[i * 3] + flash.data[i * 3 + 1] + flash.data[i * 3 + 2];
    const g = guide.data[i * 3] + guide.data[i * 3 + 1] + guide.data[i * 3 + 2];
    if (g > f + 0.01) guideBrighter++;
    if (Math.max(flash.data[i * 3], flash.data[i * 3 + 1], flash.data[i * 3 + 2]) >= CLIP_LEVEL) clipped++;
  }
  // The flash falls off from the centre (cos³ of the angle off-axis); the room light hardly does. A
  // "guide" that is brighter overall and falls off more is the flash photo.
  if (mean(guide) > mean(flash) && centreToEdge(guide) > centreToEdge(flash) + 0.05) {
    throw new CaptureInputError(`${names.guide}: brighter than the flash photo and lit like a flash (brightest in the middle); were the two swapped? (order: <flash> <guide>)`);
  }
  if (clipped > 0.5 * n) {
    throw new CaptureInputError(`${names.flash}: clipped (over-exposed) over ${Math.round((100 * clipped) / n)}% of the frame (reshoot the flash photo with a lower exposure)`);
  }
  if (mean(flash) < 0.02) {
    throw new CaptureInputError(`${names.flash}: almost black (under-exposed) (reshoot the flash photo with a longer exposure or closer)`);
  }
  const warnings: string[] = [];
  if (clipped > 0.05 * n) {
    warnings.push(`${names.flash}: ${Math.round((100 * clipped) / n)}% of the frame is clipped; those samples are ignored (a lower exposure would give a better fit)`);
  }
  if (guideBrighter > 0.4 * n) {
    warnings.push(`${names.guide}: brighter than the flash photo over ${Math.round((100 * guideBrighter) / n)}% of the frame; the room light may be too strong relative to the flash`);
  }
  return warnings;
}
