/**
 * The two-shot capture, end to end on decoded photos: check the pair, find the pattern's lattice in the
 * guide, fit the period tile from the pooled flash samples, normalise the albedo, derive height and
 * occlusion, and expand everything to the photos' full frame.
 */
import { checkPair, type PairNames } from './checks';
import { DEFAULT_FOV_DEG } from './camera';
import { emptyTileFit, fitTileRows, flashData, type TileFit } from './fit-tile';
import type { FitOptions } from './fit-point';
import { cavityOcclusion, integrateNormals } from './height';
import { normaliseAlbedo } from './normalise';
import { findLattice, type Lattice } from './period';
import { propagateMaps, propagatePlane } from './propagate';
import type { Camera, MaterialMaps, Photo } from './types';
import { fitTileParallel } from './parallel';

export interface CaptureOptions extends FitOptions {
  /** Horizontal field of view of the camera in degrees (default 65). */
  fovDeg?: number;
  /** Worker threads for the fit (default: available CPUs, at most 8; 1 = in this thread). */
  threads?: number;
  /** Names for error messages. */
  names?: PairNames;
  /** Orientation tags of the two files (flash, guide), when read from files. */
  orientations?: [number, number];
}

export interface CaptureResult {
  /** Full-frame maps, pixel-aligned with the photos; albedo normalised (brightest plausible 0.95). */
  maps: MaterialMaps;
  /** Height in 0..1 (full frame) and its range in texels. */
  height: Float32Array;
  heightRangeTexels: number;
  /** Occlusion 0..1 (full frame). */
  occlusion: Float32Array;
  /** One period of the pattern (lattice coordinates), same maps, tileable. */
  tile: { maps: MaterialMaps; height: Float32Array; occlusion: Float32Array };
  lattice: Lattice;
  /** Factor applied to the fitted albedo and F0 (normalise.ts). */
  albedoScale: number;
  /** Flash re-fit residual: RMS over all samples (linear), and the 95th percentile per tile point. */
  residual: { rms: number; p95: number; samplesPerPoint: number };
  warnings: string[];
  seconds: { lattice: number; fit: number; total: number };
}

export async function captureMaterial(flash: Photo, guide: Photo, options: CaptureOptions = {}): Promise<CaptureResult> {
  const started = performance.now();
  const names = options.names ?? { flash: 'flash photo', guide: 'guide photo' };
  const warnings = checkPair(flash, guide, names, options.orientations);
  const camera: Camera = { width: flash.width, height: flash.height, fovDeg: options.fovDeg ?? DEFAULT_FOV_DEG };
  let lattice: Lattice;
  try {
    lattice = findLattice(guide);
  } catch (err) {
    (err as Error).message = `${names.guide}: ${(err as Error).message}`;
    throw err;
  }
  const tLattice = performance.now();
  const data = flashData(flash);
  let fit: TileFit;
  const threads = options.threads ?? defaultThreads();
  if (threads > 1) {
    fit = await fitTileParallel(data, camera, lattice, threads, { anisotropy: options.anisotropy, iterations: options.iterations });
  } else {
    fit = emptyTileFit(lattice);
    fitTileRows(data, camera, lattice, fit, 0, fit.maps.height, options);
  }
  const tFit = performance.now();
  const tile = fit.maps;
  const albedoScale = normaliseAlbedo(tile);
  const tw = tile.width, th = tile.height;
  const heightTexels = integrateNormals(tile.normal, tw, th);
  const occTile = cavityOcclusion(heightTexels, tw, th);
  let lo = Infinity, hi = -Infinity;
  for (const v of heightTexels) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const heightTile = Float32Array.from(heightTexels, (v) => (hi > lo ? (v - lo) / (hi - lo) : 0.5));
  const maps = propagateMaps(tile, lattice, flash.width, flash.height);
  const height = propagatePlane(heightTile, 1, tw, th, lattice, flash.width, flash.height);
  const occlusion = propagatePlane(occTile, 1, tw, th, lattice, flash.width, flash.height);
  let sum = 0, samples = 0;
  const perPoint = Float32Array.from(fit.mse).sort();
  for (let i = 0; i < fit.mse.length; i++) { sum += fit.mse[i] * fit.samples[i]; samples += fit.samples[i]; }
  const sampled = samples / fit.mse.length;
  if (sampled < 6) warnings.push(`${names.flash}: only ${sampled.toFixed(1)} periods of the pattern per point; more repeats in frame would fit better`);
  return {
    maps, height, heightRangeTexels: hi - lo, occlusion,
    tile: { maps: tile, height: heightTile, occlusion: occTile },
    lattice, albedoScale,
    residual: { rms: Math.sqrt(sum / Math.max(1, samples)), p95: Math.sqrt(perPoint[Math.floor(perPoint.length * 0.95)] ?? 0), samplesPerPoint: sampled },
    warnings,
    seconds: { lattice: (tLattice - started) / 1000, fit: (tFit - tLattice) / 1000, total: (performance.now() - started) / 1000 },
  };
}

function defaultThreads(): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const os = require('node:os') as typeof import('node:os');
  return Math.max(1, Math.min(8, os.availableParallelism?.() ?? os.cpus().length));
}
