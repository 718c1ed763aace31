/**
 * The tile fit split over worker threads by tile rows. The flash data and the result planes live in
 * SharedArrayBuffers, so nothing large is copied. Runs in this thread when workers are unavailable
 * (sources loaded through ts-jest have no compiled worker file).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { emptyTileFit, fitTileRows, type FlashData, type TileFit } from './fit-tile';
import type { FitOptions } from './fit-point';
import type { Lattice } from './period';
import type { Camera } from './types';

const WORKER = path.join(__dirname, 'fit-worker.js');

/** What a worker gets: shared planes and its row range. */
export interface WorkerJob {
  flash: { width: number; height: number; linear: Float32Array; clipped: Uint8Array };
  camera: Camera;
  lattice: Lattice;
  planes: SharedPlanes;
  rows: [number, number];
  options: FitOptions;
}

export interface SharedPlanes {
  baseColor: Float32Array; specular: Float32Array; roughness: Float32Array; normal: Float32Array;
  anisotropy: Float32Array; mse: Float32Array; samples: Uint16Array;
}

function sharedCopy<T extends Float32Array | Uint8Array | Uint16Array>(a: T): T {
  const buf = new SharedArrayBuffer(a.byteLength);
  const out = new (a.constructor as { new (b: SharedArrayBuffer): T })(buf);
  out.set(a as never);
  return out;
}

export async function fitTileParallel(flash: FlashData, camera: Camera, lattice: Lattice, threads: number, options: FitOptions): Promise<TileFit> {
  const fit = emptyTileFit(lattice);
  if (!fs.existsSync(WORKER) || threads <= 1) {
    fitTileRows(flash, camera, lattice, fit, 0, fit.maps.height, options);
    return fit;
  }
  const m = fit.maps;
  const planes: SharedPlanes = {
    baseColor: sharedCopy(m.baseColor), specular: sharedCopy(m.specular), roughness: sharedCopy(m.roughness),
    normal: sharedCopy(m.normal), anisotropy: sharedCopy(m.anisotropy), mse: sharedCopy(fit.mse), samples: sharedCopy(fit.samples),
  };
  const shared = { width: flash.width, height: flash.height, linear: sharedCopy(flash.linear), clipped: sharedCopy(flash.clipped) };
  // Contiguous row bands: every tile point costs about the same (same number of periods).
  const n = Math.min(threads, m.height);
  const per = Math.ceil(m.height / n);
  await Promise.all(Array.from({ length: n }, (_, w) => new Promise<void>((resolve, reject) => {
    const job: WorkerJob = { flash: shared, camera, lattice, planes, rows: [w * per, Math.min(m.height, (w + 1) * per)], options };
    const worker = new Worker(WORKER, { workerData: job });
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`fit worker exited with code ${code}`))));
  })));
  m.baseColor.set(planes.baseColor); m.specular.set(planes.specular); m.roughness.set(planes.roughness);
  m.normal.set(planes.normal); m.anisotropy.set(planes.anisotropy); fit.mse.set(planes.mse); fit.samples.set(planes.samples);
  return fit;
}
