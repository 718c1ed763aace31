/**
 * The correction step's inner loops (synthesize.ts), in a module of their own so worker threads
 * (vary-worker.ts) run the very same code: neighbourhood projection tables, exemplar neighbourhood
 * features, and one parity sub-pass over a band of output rows.
 */

import type { CoordinateMap } from './types';

/** Dimensions kept of each 3x3 neighbourhood. */
export const PCA_DIMS = 8;

/** The neighbourhood offsets, Δ in row-major 3x3 order. */
export const DX = [-1, 0, 1, -1, 0, 1, -1, 0, 1];
export const DY = [-1, -1, -1, 0, 0, 0, 1, 1, 1];

export function mod(v: number, n: number): number {
  v %= n;
  return v < 0 ? v + n : v;
}

/** What the loops read of the exemplar (exemplar.ts) besides the tables. */
export interface ExemplarGrid {
  width: number;
  height: number;
  /** Features per texel. */
  channels: number;
  /** Lookups wrap around (the exemplar tiles) or clamp at its border. */
  wrap: boolean;
}

/**
 * Per-exemplar-texel, per-neighbour projections Q[u][k] = P_k · F(u) (D = 8 numbers each). The
 * projection is linear, so a neighbourhood's projection is the sum of 9 looked-up Q vectors instead of
 * 9·C·D multiply-adds. Filled on first use: coarse levels touch few exemplar texels. With `storage`,
 * the tables live in the given (shared) arrays, so worker threads fill and read the same ones.
 */
export class NeighbourProjections {
  readonly Q: Float32Array;
  readonly known: Uint8Array;
  constructor(private readonly F: Float32Array, texels: number, private readonly C: number, private readonly P: Float32Array, storage?: { Q: Float32Array; known: Uint8Array }) {
    this.Q = storage ? storage.Q : new Float32Array(texels * 9 * PCA_DIMS);
    this.known = storage ? storage.known : new Uint8Array(texels);
  }

  /** Fills the tables of exemplar texels [from, to) (whole rows when called by row range). */
  fill(from: number, to: number): void {
    for (let u = from; u < to; u++) this.need(u);
  }

  /** Makes sure Q[u][*] is filled. */
  need(u: number): void {
    if (this.known[u]) return;
    this.known[u] = 1;
    const { F, C, P, Q } = this;
    const o = u * C;
    for (let k = 0; k < 9; k++) {
      let t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0;
      let pj = k * C * 8;
      for (let c = 0; c < C; c++, pj += 8) {
        const v = F[o + c];
        t0 += P[pj] * v; t1 += P[pj + 1] * v; t2 += P[pj + 2] * v; t3 += P[pj + 3] * v;
        t4 += P[pj + 4] * v; t5 += P[pj + 5] * v; t6 += P[pj + 6] * v; t7 += P[pj + 7] * v;
      }
      const q = (u * 9 + k) << 3;
      Q[q] = t0; Q[q + 1] = t1; Q[q + 2] = t2; Q[q + 3] = t3;
      Q[q + 4] = t4; Q[q + 5] = t5; Q[q + 6] = t6; Q[q + 7] = t7;
    }
  }
}

/**
 * One parity sub-pass (texels with x%2, y%2 = sub) over output rows [rowFrom, rowTo): each takes the best
 * coherent candidate. The neighbourhood projection is the sum of 9 Q vectors; D = 8 is unrolled into
 * locals (the hot loop). A texel's neighbours all belong to other sub-passes, so row bands of one
 * sub-pass can run on different threads with the same result.
 */
export function correctSubPass(
  map: CoordinateMap, sub: number, h: number, proj: NeighbourProjections, cache: Float32Array, known: Uint8Array, ex: ExemplarGrid, wrapOut: boolean,
  similar?: Int32Array,
  guided?: { guide: { data: Float32Array }; weight: number; F: Float32Array },
  rowFrom = 0, rowTo = map.height,
): void {
  const { width, height } = map;
  const mx = map.x;
  const my = map.y;
  const ew = ex.width;
  const eh = ex.height;
  const wrapEx = ex.wrap;
  const nx = new Int32Array(9);
  const ny = new Int32Array(9);
  const valid = new Uint8Array(9);
  const sx = sub & 1;
  const Q = proj.Q;
  // The first row of this sub-pass's parity at or after rowFrom.
  for (let py = rowFrom + (((sub >> 1) - rowFrom) & 1); py < rowTo; py += 2) {
    for (let px = sx; px < width; px += 2) {
      let t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0;
      for (let k = 0; k < 9; k++) {
        let qx = px + DX[k];
        let qy = py + DY[k];
        if (wrapOut) {
          qx = qx < 0 ? qx + width : qx >= width ? qx - width : qx;
          qy = qy < 0 ? qy + height : qy >= height ? qy - height : qy;
        } else {
          qx = qx < 0 ? 0 : qx >= width ? width - 1 : qx;
          qy = qy < 0 ? 0 : qy >= height ? height - 1 : qy;
        }
        const q = qy * width + qx;
        // At the border of a non-tiling output the clamped "neighbour" is not at offset Δ: it proposes no candidate.
        valid[k] = qx - px === DX[k] || wrapOut ? (qy - py === DY[k] || wrapOut ? 1 : 0) : 0;
        const ux = mx[q];
        const uy = my[q];
        nx[k] = ux;
        ny[k] = uy;
        const u = uy * ew + ux;
        proj.need(u);
        const o = (u * 9 + k) << 3;
        t0 += Q[o]; t1 += Q[o + 1]; t2 += Q[o + 2]; t3 += Q[o + 3];
        t4 += Q[o + 4]; t5 += Q[o + 5]; t6 += Q[o + 6]; t7 += Q[o + 7];
      }
      let bestX = nx[4];
      let bestY = ny[4];
      let best = Infinity;
      for (let k = 0; k < 9; k++) {
        if (!valid[k]) continue;
        let cx = nx[k] - DX[k] * h;
        let cy = ny[k] - DY[k] * h;
        if (wrapEx) {
          cx = cx < 0 ? cx + ew : cx >= ew ? cx - ew : cx;
          cy = cy < 0 ? cy + eh : cy >= eh ? cy - eh : cy;
          if (cx < 0 || cx >= ew) cx = mod(cx, ew);
          if (cy < 0 || cy >= eh) cy = mod(cy, eh);
        } else if (cx < 0 || cy < 0 || cx >= ew || cy >= eh) continue; // off a non-tiling exemplar: no such patch
        const c = cy * ew + cx;
        for (let alt = 0; alt <= (similar ? 1 : 0); alt++) {
          const u = alt ? similar![c] : c;
          const f = u << 3;
          if (!known[u]) exemplarFeature(u % ew, (u - (u % ew)) / ew, h, proj, cache, ex);
          known[u] = 1;
          const e0 = cache[f] - t0, e1 = cache[f + 1] - t1, e2 = cache[f + 2] - t2, e3 = cache[f + 3] - t3;
          const e4 = cache[f + 4] - t4, e5 = cache[f + 5] - t5, e6 = cache[f + 6] - t6, e7 = cache[f + 7] - t7;
          let dist = e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3 + e4 * e4 + e5 * e5 + e6 * e6 + e7 * e7;
          if (guided) {
            const C = ex.channels;
            const g = (py * width + px) * C;
            const v = u * C;
            let e = 0;
            for (let c = 0; c < C; c++) e += (guided.F[v + c] - guided.guide.data[g + c]) ** 2;
            dist += guided.weight * e;
          }
          if (dist < best) { best = dist; bestX = u % ew; bestY = (u - (u % ew)) / ew; }
        }
      }
      const p = py * width + px;
      mx[p] = bestX;
      my[p] = bestY;
    }
  }
}

/** The projected 3x3 neighbourhood (spacing h) of exemplar texel (ux, uy), into cache. */
export function exemplarFeature(ux: number, uy: number, h: number, proj: NeighbourProjections, cache: Float32Array, ex: ExemplarGrid): void {
  const Q = proj.Q;
  const ew = ex.width;
  const eh = ex.height;
  let t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0;
  for (let k = 0; k < 9; k++) {
    let x = ux + DX[k] * h;
    let y = uy + DY[k] * h;
    if (ex.wrap) { x = mod(x, ew); y = mod(y, eh); } else { x = x < 0 ? 0 : x >= ew ? ew - 1 : x; y = y < 0 ? 0 : y >= eh ? eh - 1 : y; }
    proj.need(y * ew + x);
    const o = ((y * ew + x) * 9 + k) << 3;
    t0 += Q[o]; t1 += Q[o + 1]; t2 += Q[o + 2]; t3 += Q[o + 3];
    t4 += Q[o + 4]; t5 += Q[o + 5]; t6 += Q[o + 6]; t7 += Q[o + 7];
  }
  const f = (uy * ew + ux) << 3;
  cache[f] = t0; cache[f + 1] = t1; cache[f + 2] = t2; cache[f + 3] = t3;
  cache[f + 4] = t4; cache[f + 5] = t5; cache[f + 6] = t6; cache[f + 7] = t7;
}

/** Features of exemplar rows [rowFrom, rowTo) at spacing h, all of them (needs their Q tables filled). */
export function fillFeatures(rowFrom: number, rowTo: number, h: number, proj: NeighbourProjections, cache: Float32Array, known: Uint8Array, ex: ExemplarGrid): void {
  const ew = ex.width;
  for (let uy = rowFrom; uy < rowTo; uy++) {
    for (let ux = 0; ux < ew; ux++) {
      exemplarFeature(ux, uy, h, proj, cache, ex);
      known[uy * ew + ux] = 1;
    }
  }
}
