/**
 * Coordinate-map synthesis after Lefebvre & Hoppe 2005, "Parallel controllable texture synthesis":
 * the output is a map of exemplar coordinates, grown coarse to fine. Per level:
 *   1. upsample: each coordinate's four children continue its patch (S(2p+δ) = S(p) + δ·h);
 *   2. jitter: each coordinate moves by a position-keyed random amount ∝ h × variation (new content);
 *   3. correct: in four parity sub-passes, each texel takes the exemplar coordinate whose 3x3
 *      neighbourhood (spacing h, in the Gaussian stack at that level, PCA-reduced) best matches its
 *      current output neighbourhood, among the coherent candidates its neighbours propose.
 * The coarsest level starts from the identity map with one random offset per block of the output:
 * the block size is the largest copied region (set by `variation`); for a structured texture the
 * offsets are whole lattice steps, so bricks stay on their courses.
 *
 * Output neighbourhoods wrap around when the output must tile, so the result tiles by construction.
 * Texels in one parity sub-pass never read each other, so the result does not depend on visiting
 * order: byte-identical for a seed.
 */

import { correctSubPass, DX, DY, exemplarFeature, fillFeatures, mod, NeighbourProjections, PCA_DIMS } from './correct-pass';
import { hashRandom } from './hash-random';
import { pcaProjection } from './pca';
import { snapToLattice } from './period';
import { lowFrequencyGuide, type LowFrequencyGuide } from './low-frequency-guide';
import type { Exemplar } from './exemplar';
import { sharedCopy, type VaryThreads } from './vary-threads';
import type { CoordinateMap, Lattice } from './types';

/** Exemplar positions sampled to fit each level's PCA. */
const PCA_SAMPLES = 2000;
/**
 * k-coherence look-alikes (similarSet) on or off. Off by measurement: on 6 held-out sets (every third of
 * the eval-vary set, 1 variant, seed 1) k = 2 raised the mean Gram distance 0.135 → 0.248 and the colour
 * distance 0.004 → 0.008 for a small novelty gain (NCC 0.346 → 0.302), at 5x the CPU time.
 */
const K_COHERENCE = false;
/** Coarsest level from which the low-frequency guide is used (spacing 2^3 = 8 texels). */
const MIN_GUIDE_LEVEL = 3;
/** PatchMatch iterations for the look-alikes. */
const SIMILAR_ITERATIONS = 2;
/**
 * A level is split over threads when its output has at least 1/SPLIT_SHARE as many texels as the
 * exemplar. A split level fills every exemplar texel's tables up front (in parallel, by rows), since the
 * threads cannot fill them on first use without racing; a texel's neighbourhood reads 9 texels 2^level
 * apart and proposes 9 candidates, so from about this size on most tables are used anyway (measured on
 * the bench, 512² exemplar: 30 % used at 64², 68 % at 128², 91 %+ from 256²). Coarser levels run on
 * this thread, filling on first use.
 */
const SPLIT_SHARE = 32;

export interface SynthesisPlan {
  width: number;
  height: number;
  /** Coarsest level (its texels are 2^levels output texels apart). */
  levels: number;
  /** Edge, in coarsest-level texels, of the blocks that get one random offset. */
  block: number;
  /** Per-level jitter, in units of the level's texel spacing. */
  jitter: number;
  /** Correction passes at each level (index = level). */
  passes: number[];
  seed: number;
  wrapOutput: boolean;
  lattice?: Lattice;
  /**
   * Levels below this one jitter freely; from it up, offsets and jitter snap to the lattice. Default 0
   * (every level snaps). A period cell (period-cell.ts) keeps its layout at the coarse levels and varies
   * the content inside it at the fine ones.
   */
  freeBelow?: number;
  /**
   * The final wrap roll may shift by any amount, not only whole lattice steps: for a period cell or
   * locked bands, whose lock is the exemplar's own size, so the lattice would allow no roll at all and
   * the wrap would stay on the cell border / band edge (a grout line at the border that the fine levels
   * bend reads as a seam there). Rolling translates the whole output: the grid and the bands stay.
   */
  rollFree?: boolean;
  /**
   * Large-scale layout (low-frequency-guide.ts): the coarsest level picks each block's offset among
   * `candidates` random ones by how well it matches a random field with the exemplar's low-frequency
   * spectrum, and its correction adds `weight` × the distance to that field. Off when absent.
   */
  guide?: { candidates: number; weight: number; draws: number; accept: number };
}

/** Each exemplar's level projections, fitted once: they depend on nothing else (variants, attempts). */
const projections = new WeakMap<Exemplar, Float32Array[]>();

/** The level's neighbourhood PCA (fitted on first use for this exemplar). */
function levelProjection(ex: Exemplar, level: number): Float32Array {
  let fitted = projections.get(ex);
  if (!fitted) projections.set(ex, (fitted = []));
  return (fitted[level] ??= fitProjection(ex, level));
}

/** Fits the level's neighbourhood PCA on exemplar samples (fixed positions: deterministic). */
function fitProjection(ex: Exemplar, level: number): Float32Array {
  const C = ex.channels;
  const dim = 9 * C;
  const h = 1 << level;
  const F = ex.stack[level];
  const count = Math.min(PCA_SAMPLES, ex.width * ex.height);
  const samples = new Float64Array(count * dim);
  for (let s = 0; s < count; s++) {
    const ux = Math.floor(hashRandom(12345, level, s, 0) * ex.width);
    const uy = Math.floor(hashRandom(12345, level, s, 1) * ex.height);
    for (let k = 0; k < 9; k++) {
      const x = ex.wrap ? mod(ux + DX[k] * h, ex.width) : Math.min(ex.width - 1, Math.max(0, ux + DX[k] * h));
      const y = ex.wrap ? mod(uy + DY[k] * h, ex.height) : Math.min(ex.height - 1, Math.max(0, uy + DY[k] * h));
      const o = (y * ex.width + x) * C;
      for (let c = 0; c < C; c++) samples[s * dim + k * C + c] = F[o + c];
    }
  }
  return pcaProjection(samples, count, dim, PCA_DIMS);
}

/**
 * Coarsest-level coordinates: identity plus one random offset per block (lattice steps if structured).
 * With a guide, each block takes the best of `guide.candidates` random offsets: the one whose blurred
 * exemplar features under the block best match the guide's (the first candidate is the unguided one).
 */
function initialMap(ex: Exemplar, plan: SynthesisPlan, guide?: LowFrequencyGuide): CoordinateMap {
  const h = 1 << plan.levels;
  const width = plan.width >> plan.levels;
  const height = plan.height >> plan.levels;
  const x = new Int32Array(width * height);
  const y = new Int32Array(width * height);
  const F = ex.stack[plan.levels];
  const C = ex.channels;
  const candidates = guide ? plan.guide!.candidates : 1;
  const B = plan.block;
  for (let by = 0; by * B < height; by++) {
    for (let bx = 0; bx * B < width; bx++) {
      let bestX = 0;
      let bestY = 0;
      let best = Infinity;
      for (let k = 0; k < candidates; k++) {
        const r1 = hashRandom(plan.seed, 1000 + 2 * k, bx, by);
        const r2 = hashRandom(plan.seed, 1001 + 2 * k, bx, by);
        let ox = Math.floor(r1 * ex.width);
        let oy = Math.floor(r2 * ex.height);
        if (plan.lattice) [ox, oy] = snapToLattice(ox, oy, plan.lattice);
        if (candidates === 1) { bestX = ox; bestY = oy; break; }
        let cost = 0;
        for (let py = by * B; py < Math.min(height, (by + 1) * B); py++) {
          for (let px = bx * B; px < Math.min(width, (bx + 1) * B); px++) {
            const u = (mod(py * h + oy, ex.height) * ex.width + mod(px * h + ox, ex.width)) * C;
            const g = (py * width + px) * C;
            for (let c = 0; c < C; c++) cost += (F[u + c] - guide!.data[g + c]) ** 2;
          }
        }
        if (cost < best) { best = cost; bestX = ox; bestY = oy; }
      }
      for (let py = by * B; py < Math.min(height, (by + 1) * B); py++) {
        for (let px = bx * B; px < Math.min(width, (bx + 1) * B); px++) {
          x[py * width + px] = px * h + bestX;
          y[py * width + px] = py * h + bestY;
        }
      }
    }
  }
  return normalise({ width, height, x, y }, ex);
}

/**
 * Brings every coordinate into the exemplar by wrapping. On a non-tiling exemplar that jumps to the
 * other side (clamping instead would smear one texel row into a streak); the correction passes then
 * replace the jumped texels, since their coherent candidates never cross the border.
 */
function normalise(map: CoordinateMap, ex: Exemplar): CoordinateMap {
  for (let i = 0; i < map.x.length; i++) {
    map.x[i] = mod(map.x[i], ex.width);
    map.y[i] = mod(map.y[i], ex.height);
  }
  return map;
}

/** One level finer: children continue their parent's patch. */
function upsample(map: CoordinateMap, level: number, ex: Exemplar): CoordinateMap {
  const h = 1 << level; // spacing at the finer level
  const width = map.width * 2;
  const height = map.height * 2;
  const x = new Int32Array(width * height);
  const y = new Int32Array(width * height);
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      const parent = (py >> 1) * map.width + (px >> 1);
      x[py * width + px] = map.x[parent] + (px & 1) * h;
      y[py * width + px] = map.y[parent] + (py & 1) * h;
    }
  }
  return normalise({ width, height, x, y }, ex);
}

function jitter(map: CoordinateMap, level: number, plan: SynthesisPlan, ex: Exemplar): void {
  const amount = plan.jitter * (1 << level);
  if (amount < 0.5) return;
  for (let i = 0; i < map.x.length; i++) {
    const px = i % map.width;
    const py = (i - px) / map.width;
    let jx = Math.round((hashRandom(plan.seed, 2 * level, px, py) * 2 - 1) * amount);
    let jy = Math.round((hashRandom(plan.seed, 2 * level + 1, px, py) * 2 - 1) * amount);
    // Structured textures move in whole lattice steps only, so bricks stay on their courses (finer,
    // free moves were measured to knock mortar lines out of step, which no correction restores).
    if (plan.lattice && level >= (plan.freeBelow ?? 0)) [jx, jy] = snapToLattice(jx, jy, plan.lattice);
    map.x[i] += jx;
    map.y[i] += jy;
  }
  normalise(map, ex);
}


/** Correction passes at one level (in place); split over `threads` when the level is large enough. */
function correct(map: CoordinateMap, level: number, passes: number, plan: SynthesisPlan, ex: Exemplar, guided?: { guide: LowFrequencyGuide; F: Float32Array }, threads?: VaryThreads): void {
  if (passes <= 0) return;
  const texels = ex.width * ex.height;
  if (threads && !guided && !K_COHERENCE && map.width * map.height * SPLIT_SHARE >= texels) {
    correctSplit(map, level, passes, plan, ex, threads);
    return;
  }
  const h = 1 << level;
  const proj = new NeighbourProjections(ex.stack[level], texels, ex.channels, levelProjection(ex, level));
  const cache = new Float32Array(texels * PCA_DIMS);
  const known = new Uint8Array(texels);
  const similar = K_COHERENCE ? similarSet(ex, h, proj, cache, known, plan.lattice) : undefined;
  for (let pass = 0; pass < passes; pass++) {
    for (let sub = 0; sub < 4; sub++) correctSubPass(map, sub, h, proj, cache, known, ex, plan.wrapOutput, similar, guided && { ...guided, weight: plan.guide!.weight });
  }
}

/**
 * `correct` over several threads (vary-threads.ts), the same result byte for byte: the tables of
 * every exemplar texel are filled first (Q by exemplar rows, then the features, which read other rows'
 * Q), then each parity sub-pass runs in bands of output rows. The tables reuse the threads' buffers:
 * with the fill flags cleared, every table and feature is written again before it is read.
 */
function correctSplit(map: CoordinateMap, level: number, passes: number, plan: SynthesisPlan, ex: Exemplar, threads: VaryThreads): void {
  const h = 1 << level;
  const texels = ex.width * ex.height;
  const P = levelProjection(ex, level);
  const Q = new Float32Array(threads.buffer('Q', texels * 9 * PCA_DIMS * 4));
  const qKnown = new Uint8Array(threads.buffer('qKnown', texels)).fill(0);
  const cache = new Float32Array(threads.buffer('features', texels * PCA_DIMS * 4));
  const known = new Uint8Array(threads.buffer('known', texels)).fill(0);
  const F = ex.stack[level];
  const grid = { width: ex.width, height: ex.height, channels: ex.channels, wrap: ex.wrap };
  const proj = new NeighbourProjections(F, texels, ex.channels, P, { Q, known: qKnown });
  threads.broadcast({ kind: 'level', F, P, Q, qKnown, cache, known, ex: grid, h });
  threads.split(ex.height, (rows) => ({ kind: 'fill-q', rows }), (from, to) => proj.fill(from * ex.width, to * ex.width));
  threads.split(ex.height, (rows) => ({ kind: 'fill-features', rows }), (from, to) => fillFeatures(from, to, h, proj, cache, known, grid));
  const shared = { width: map.width, height: map.height, x: sharedCopy(map.x), y: sharedCopy(map.y) };
  for (let pass = 0; pass < passes; pass++) {
    for (let sub = 0; sub < 4; sub++) {
      threads.split(
        map.height,
        (rows) => ({ kind: 'sub-pass', width: map.width, height: map.height, x: shared.x, y: shared.y, sub, wrapOut: plan.wrapOutput, rows }),
        (from, to) => correctSubPass(shared, sub, h, proj, cache, known, grid, plan.wrapOutput, undefined, undefined, from, to),
      );
    }
  }
  map.x.set(shared.x);
  map.y.set(shared.y);
}

/**
 * k-coherence (k = 2, Tong et al. 2002 / Lefebvre & Hoppe 2005): for every exemplar texel, one other
 * texel at least 2h away whose neighbourhood is most alike, found by a few PatchMatch iterations
 * (propagation from the left/upper neighbour's match, then random search at shrinking radii; position-
 * keyed randomness, fixed order: deterministic). Each coherent candidate then brings its look-alike,
 * so a texel can continue a patch from elsewhere in the exemplar instead of only its neighbours'.
 * For a structured texture the look-alike is restricted to lattice-step offsets.
 */
function similarSet(ex: Exemplar, h: number, proj: NeighbourProjections, cache: Float32Array, known: Uint8Array, lattice?: Lattice): Int32Array {
  const ew = ex.width;
  const eh = ex.height;
  const n = ew * eh;
  const feature = (u: number) => {
    if (!known[u]) { exemplarFeature(u % ew, (u - (u % ew)) / ew, h, proj, cache, ex); known[u] = 1; }
    return u << 3;
  };
  const minDist = 2 * h;
  const allowed = (u: number, v: number) => {
    let dx = Math.abs((v % ew) - (u % ew));
    let dy = Math.abs(Math.floor(v / ew) - Math.floor(u / ew));
    if (ex.wrap) { dx = Math.min(dx, ew - dx); dy = Math.min(dy, eh - dy); }
    if (dx < minDist && dy < minDist) return false;
    if (!lattice) return true;
    const ox = (v % ew) - (u % ew);
    const oy = Math.floor(v / ew) - Math.floor(u / ew);
    const [sx, sy] = snapToLattice(ox, oy, lattice);
    return sx === ox && sy === oy;
  };
  const dist = (u: number, v: number) => {
    const a = feature(u);
    const b = feature(v);
    let d = 0;
    for (let k = 0; k < 8; k++) { const e = cache[a + k] - cache[b + k]; d += e * e; }
    return d;
  };
  const match = new Int32Array(n);
  const best = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    let v = Math.floor(hashRandom(4242, h, u, 0) * n);
    if (!allowed(u, v)) v = (u + (minDist + 1) * (1 + ew)) % n; // a far-enough fallback
    match[u] = v;
    best[u] = allowed(u, v) ? dist(u, v) : Infinity;
  }
  const tryMatch = (u: number, v: number) => {
    if (v < 0 || v >= n || !allowed(u, v)) return;
    const d = dist(u, v);
    if (d < best[u]) { best[u] = d; match[u] = v; }
  };
  for (let iter = 0; iter < SIMILAR_ITERATIONS; iter++) {
    for (let u = 0; u < n; u++) {
      const x = u % ew;
      if (x > 0) { const m = match[u - 1]; if (m % ew < ew - 1) tryMatch(u, m + 1); }
      if (u >= ew) { const m = match[u - ew]; if (m + ew < n) tryMatch(u, m + ew); }
      const vx = match[u] % ew;
      const vy = (match[u] - vx) / ew;
      for (let r = Math.max(ew, eh) >> 1, t = 0; r >= 1; r >>= 1, t++) {
        const rx = Math.round((hashRandom(iter, h, u, 2 * t) * 2 - 1) * r);
        const ry = Math.round((hashRandom(iter, h, u, 2 * t + 1) * 2 - 1) * r);
        const cx = vx + rx;
        const cy = vy + ry;
        if (cx >= 0 && cy >= 0 && cx < ew && cy < eh) tryMatch(u, cy * ew + cx);
      }
    }
  }
  return match;
}



/**
 * Cyclic shift of a tiling output so the wrap-around edge falls on its most coherent column and row.
 * Patch and jitter borders fall on multiples of 2^level, so unshifted the wrap edge would be a patch
 * border at every level — a seam more often than any interior line. Any shift of a toroidal map still
 * tiles; this one puts the wrap where neighbouring texels differ least (in the level-0 features of
 * every map). A structured texture shifts by whole lattice steps only, keeping the exemplar's phase.
 */
function bestRoll(map: CoordinateMap, ex: Exemplar, lattice?: Lattice): [number, number] {
  const { width, height } = map;
  const F = ex.stack[0];
  const C = ex.channels;
  const diff = (p: number, q: number) => {
    const a = (map.y[p] * ex.width + map.x[p]) * C;
    const b = (map.y[q] * ex.width + map.x[q]) * C;
    let s = 0;
    for (let c = 0; c < C; c++) s += (F[a + c] - F[b + c]) ** 2;
    return s;
  };
  const cols = new Float64Array(width);
  const rows = new Float64Array(height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      cols[x] += diff(p, y * width + ((x + 1) % width)); // between column x and x+1
      rows[y] += diff(p, ((y + 1) % height) * width + x);
    }
  }
  // Shifting by s puts output column s at x = 0, so the wrap edge is the pair (s-1, s).
  const pick = (energy: Float64Array, n: number, ok: (s: number) => boolean) => {
    let best = 0;
    let bestE = Infinity;
    for (let s = 0; s < n; s++) {
      if (!ok(s)) continue;
      const e = energy[(s - 1 + n) % n];
      if (e < bestE) { bestE = e; best = s; }
    }
    return best;
  };
  if (lattice) {
    // Whole lattice steps along each axis only (a 2-D lattice may need a combined step; keep it simple).
    const sx = pick(cols, width, (s) => { const [x, y] = snapToLattice(s, 0, lattice); return x === s && y === 0; });
    const sy = pick(rows, height, (s) => { const [x, y] = snapToLattice(0, s, lattice); return x === 0 && y === s; });
    return [sx, sy];
  }
  return [pick(cols, width, () => true), pick(rows, height, () => true)];
}

function roll(map: CoordinateMap, shiftX: number, shiftY: number): CoordinateMap {
  const { width, height } = map;
  const x = new Int32Array(width * height);
  const y = new Int32Array(width * height);
  for (let py = 0; py < height; py++) {
    const sy = mod(py + shiftY, height);
    for (let px = 0; px < width; px++) {
      const s = sy * width + mod(px + shiftX, width);
      x[py * width + px] = map.x[s];
      y[py * width + px] = map.y[s];
    }
  }
  return { width, height, x, y };
}

/**
 * Runs the whole coarse-to-fine synthesis; returns the finest coordinate map (plan.width × plan.height).
 * With `threads`, the large levels are split over them; the result does not depend on it.
 */
export function synthesizeCoordinates(ex: Exemplar, plan: SynthesisPlan, threads?: VaryThreads): CoordinateMap {
  // Below 8-texel spacing the coarsest level is not "low frequency" any more: no guide there.
  const guide = plan.guide && plan.levels >= MIN_GUIDE_LEVEL ? lowFrequencyGuide(ex, plan.levels, plan.width >> plan.levels, plan.height >> plan.levels, plan.seed, plan.guide.draws, plan.guide.accept) : undefined;
  let map = initialMap(ex, plan, guide);
  const coarse = ex.stack[plan.levels];
  correct(map, plan.levels, plan.passes[plan.levels] ?? 0, plan, ex, guide && { guide, F: coarse }, threads);
  for (let level = plan.levels - 1; level >= 0; level--) {
    map = upsample(map, level, ex);
    jitter(map, level, plan, ex);
    correct(map, level, plan.passes[level] ?? 0, plan, ex, undefined, threads);
  }
  if (!plan.wrapOutput) return map;
  const [sx, sy] = bestRoll(map, ex, plan.rollFree ? undefined : plan.lattice);
  return roll(map, sx, sy);
}
