/** Worker thread body for parallel.ts: fits its rows of the tile into the shared planes. */
import { workerData } from 'node:worker_threads';
import { fitTileRows, type TileFit } from './fit-tile';
import type { WorkerJob } from './parallel';

const job = workerData as WorkerJob;
const p = job.planes;
const into: TileFit = {
  maps: {
    width: 0, height: 0,
    baseColor: p.baseColor, specular: p.specular, roughness: p.roughness, normal: p.normal, anisotropy: p.anisotropy,
  },
  lattice: job.lattice,
  mse: p.mse,
  samples: p.samples,
};
// Tile dimensions travel implicitly: width × height = roughness.length, and rows are given.
const width = Math.max(1, Math.round(Math.hypot(...job.lattice.a)));
into.maps.width = width;
into.maps.height = p.roughness.length / width;
fitTileRows(job.flash, job.camera, job.lattice, into, job.rows[0], job.rows[1], job.options);
