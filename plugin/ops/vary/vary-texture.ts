/**
 * `varyTexture(maps, options)`: N variations of a texture set (colour + normal + ORM + height ...),
 * one coordinate map per variant applied to every map, so the maps keep agreeing texel for texel.
 *
 * @example
 * const { variants } = varyTexture(
 *   [{ slot: 'color', kind: 'color', image: wall }, { slot: 'normal', kind: 'normal', image: wallN }],
 *   { count: 4, seed: 7, variation: 0.5 },
 * );
 * variants[0].maps[1].image // the first variant's normal map
 */

import os from 'node:os';
import { maxCyclicNcc } from '../../metrics/texture-stats';
import type { RawImage } from '../../types';
import { buildExemplar } from './exemplar';
import { VaryInputError } from './input-error';
import { hashRandom } from './hash-random';
import { bandedAxis, lockBands } from './bands';
import { colourPalette, matchColours, type ColourPalette } from './colour-match';
import { detectLattice } from './period';
import { CELL_RESIDUAL_MIN, cellFreeLevels, cellResidualShare, cellSources, cropCell, periodCell, repeatCell } from './period-cell';
import { makePlan } from './plan';
import { remap } from './remap';
import { matchSpectrum, spectrumReference, type SpectrumReference } from './spectrum-match';
import { selfCheck, spectrumShare } from './self-check';
import { repeatSkewedCell, shearedCell, skewedCellShape, skewedCellSources, skewedResidualShare } from './skewed-cell';
import { synthesizeCoordinates } from './synthesize';
import type { CoordinateMap, Lattice, VaryMap, VaryOptions, VaryResult, Variant } from './types';
import { VaryThreads } from './vary-threads';

/** Smallest exemplar side: below this there is nothing to rearrange. */
export const MIN_SIDE = 32;
/** Largest output side (the engine's default pixel cap is 8192²). */
export const MAX_SIDE = 8192;
/** Largest exemplar (texels): the synthesis keeps a few float copies of it per level. */
export const MAX_EXEMPLAR_PIXELS = 2048 * 2048;
export const MAX_COUNT = 64;
/** Wrap-edge / interior energy up to which an exemplar counts as tiling. */
export const TILING_RATIO = 1.5;

export { VaryInputError };


/** Checks a map set and options; throws a one-line VaryInputError naming the problem. */
export function checkVaryInput(maps: VaryMap[], options: VaryOptions): void {
  if (!maps.length) throw new VaryInputError('no texture given');
  const { width, height } = maps[0].image;
  if (width < MIN_SIDE || height < MIN_SIDE) throw new VaryInputError(`${maps[0].slot}: ${width}x${height} is too small (at least ${MIN_SIDE}x${MIN_SIDE})`);
  if (width * height > MAX_EXEMPLAR_PIXELS) throw new VaryInputError(`${maps[0].slot}: ${width}x${height} is too large (at most ${MAX_EXEMPLAR_PIXELS} texels; scale it down first)`);
  for (const m of maps.slice(1)) {
    if (m.image.width !== width || m.image.height !== height) {
      throw new VaryInputError(`${m.slot}: ${m.image.width}x${m.image.height} does not match ${maps[0].slot} ${width}x${height} (all maps of a set must be the same size)`);
    }
  }
  const count = options.count ?? 4;
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) throw new VaryInputError(`count must be a whole number from 1 to ${MAX_COUNT} (got ${count})`);
  const v = options.variation ?? 0.5;
  if (!(v >= 0 && v <= 1)) throw new VaryInputError(`variation must be from 0 to 1 (got ${v})`);
  for (const side of [options.width, options.height]) {
    if (side !== undefined && (!Number.isInteger(side) || side < MIN_SIDE || side > MAX_SIDE)) {
      throw new VaryInputError(`size must be whole numbers from ${MIN_SIDE} to ${MAX_SIDE} (got ${side})`);
    }
  }
  if (options.seed !== undefined && !Number.isInteger(options.seed)) throw new VaryInputError(`seed must be a whole number (got ${options.seed})`);
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) throw new VaryInputError(`threads must be a whole number from 1 (got ${options.threads})`);
}

/** The default of `threads`: two, or one on a single-core machine. */
export function defaultThreads(): number {
  return Math.min(2, os.availableParallelism());
}

/**
 * Whether a texture tiles: the energy across each wrap-around edge is no more than TILING_RATIO x the
 * 98th percentile of the energies across its interior lines (columns / rows). Comparing with the
 * interior's strong lines, not its mean, keeps a brick wall whose wrap edge is a mortar edge tiling.
 */
export function tiles(image: VaryMap['image']): boolean {
  const { width, height, channels, data } = image;
  const cc = channels >= 3 ? 3 : 1;
  const cols = new Float64Array(width);
  const rows = new Float64Array(height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      const r = (y * width + ((x + 1) % width)) * channels;
      const d = (((y + 1) % height) * width + x) * channels;
      for (let c = 0; c < cc; c++) {
        cols[x] += (data[i + c] - data[r + c]) ** 2;
        rows[y] += (data[i + c] - data[d + c]) ** 2;
      }
    }
  }
  const ok = (lines: Float64Array) => {
    const inner = Array.from(lines.subarray(0, lines.length - 1)).sort((a, b) => a - b);
    const p98 = inner[Math.min(inner.length - 1, Math.floor(inner.length * 0.98))];
    return lines[lines.length - 1] <= TILING_RATIO * p98 + 1e-9;
  };
  return ok(cols) && ok(rows);
}

/**
 * Largest cyclic NCC (luma, plugin/metrics/texture-stats) a variant may have with its exemplar
 * before another layout is tried: the novelty target is 0.6, and a little margin keeps the
 * variants of other seeds under it too.
 */
export const NOVELTY_LIMIT = 0.55;

/** novelLayout's optional inputs. */
interface NovelLayoutOptions {
  /** The plan of the third attempt when the plan has no guide. Default: another seed. */
  last?: ReturnType<typeof makePlan>;
  /** Worker threads for the synthesis. Default: this thread. */
  threads?: VaryThreads;
  /** The finished lead map's spectral-shape share (self-check.ts spectrumShare; over 1 misses). Default: not checked. */
  spectrum?: (image: RawImage) => number;
  /** Earlier variants' lead maps, in order. Default: none. */
  earlier?: RawImage[];
}

/**
 * A synthesis whose variant is not a near-copy of the exemplar. The random-phase guide
 * (low-frequency-guide.ts) brings the exemplar's large shapes back at full power, and a texture with a few
 * dominant shapes (a sign, a stain) can then come out close to a shifted copy (tuning sets: 4 of 38
 * textures over 0.6, from 0.42-0.56); a lattice texture moves its content in whole lattice steps, and
 * where the lattice is fine (11-px slats) a big block moved by a step is the exemplar again (set 3:
 * walltek3, grt_rst1 at 0.60 with one layout, under 0.6 with another). So the finished variant's luma is
 * checked (after a period cell is repeated): over NOVELTY_LIMIT, another layout — for a guided plan one
 * more guide draw, then independent blocks; otherwise two more seeds, or the `last` plan when given — and the
 * first under the limit is kept, else the least correlated. A layout under the limit whose finished lead map
 * lost the exemplar's spectral shape (`spectrum`: self-check.ts's spectrumShare over 1; checked only where
 * the lead map is finished whole) is kept only if no later attempt is both novel and within it; among novel
 * layouts that all miss it, the closest in spectrum.
 */
function novelLayout(exemplar: ReturnType<typeof buildExemplar>, plan: ReturnType<typeof makePlan>, lead: VaryMap, place: (coords: CoordinateMap) => CoordinateMap, finish: (coords: CoordinateMap) => RawImage, options: NovelLayoutOptions = {}): { coords: CoordinateMap; leadImage?: RawImage; ncc: number } {
  const { last, threads, spectrum, earlier = [] } = options;
  const reseed = (salt: number) => ({ ...plan, seed: Math.floor(hashRandom(plan.seed, salt, 0, 0) * 2147483647) });
  const attempts = plan.guide ? [plan, reseed(91), { ...plan, guide: undefined }] : [plan, reseed(91), last ?? reseed(92)];
  let best: { coords: CoordinateMap; leadImage?: RawImage; ncc: number } | undefined;
  let novel: { found: { coords: CoordinateMap; leadImage?: RawImage; ncc: number }; share: number } | undefined;
  for (const attempt of attempts) {
    const coords = place(synthesizeCoordinates(exemplar, attempt, threads));
    const window = checkWindow(coords, lead.image.width, lead.image.height);
    // The whole map: the lead map as it will be written (colour re-matched); a window: the plain remap.
    const image = window === coords ? finish(coords) : remap(lead.image, window, lead.kind);
    const ncc = maxCyclicNcc(image, lead.image).max;
    // The checked image is the variant's lead map itself when the window is the whole map: not remapped again.
    const found = { coords, leadImage: window === coords ? image : undefined, ncc };
    if (ncc <= NOVELTY_LIMIT) {
      let share = spectrum && found.leadImage ? spectrum(image) : 0;
      // A layout tried because an earlier novel one missed the spectrum must also differ from the variants
      // already made (set 10's racingPattern_a: its second variant's later layout read 0.70 against the first).
      if (novel && found.leadImage) share = Math.max(share, ...earlier.map((e) => maxCyclicNcc(image, e).max / NOVELTY_LIMIT));
      if (share <= 1) return found;
      if (!novel || share < novel.share) novel = { found, share };
      continue;
    }
    if (!best || ncc < best.ncc) best = found;
  }
  return novel?.found ?? best!;
}

/**
 * The part of a coordinate map the novelty check looks at: all of it up to 2048 per side (or the
 * exemplar's side when that is larger), else its top-left corner of that size — every exemplar-sized
 * window in it is compared, and the FFTs of a whole 8192² variant would take gigabytes.
 */
function checkWindow(coords: CoordinateMap, ew: number, eh: number): CoordinateMap {
  const width = Math.min(coords.width, Math.max(ew, 2048));
  const height = Math.min(coords.height, Math.max(eh, 2048));
  if (width === coords.width && height === coords.height) return coords;
  const x = new Int32Array(width * height);
  const y = new Int32Array(width * height);
  for (let r = 0; r < height; r++) {
    x.set(coords.x.subarray(r * coords.width, r * coords.width + width), r * width);
    y.set(coords.y.subarray(r * coords.width, r * coords.width + width), r * width);
  }
  return { width, height, x, y };
}

/**
 * A one-period lattice (b = 0) found on an exemplar that does not tile is dropped: free synthesis. Its
 * period is often long (set 7's q1metal7_99: a = (0, 128) on a 256-px side), and plan.ts makes the copied
 * region twice the period — the whole exemplar — while offsets, jitter and the wrap roll move only in
 * whole steps along a. The variants were then the exemplar shifted along a, keeping its own seam at the
 * wrap edge (wrap energy 7.4x, NCC 0.95); `lattice: 'off'` met every target on it.
 */
function oneDirectionOnNonTiling(lattice: Lattice | undefined, exemplarTiles: boolean): Lattice | undefined {
  if (!lattice || exemplarTiles) return lattice;
  return lattice.b[0] === 0 && lattice.b[1] === 0 ? undefined : lattice;
}

/**
 * Outputs from this many texels up use worker threads (`threads`); below it a worker's start (~40 ms)
 * costs about what it saves.
 */
const THREADS_MIN_TEXELS = 256 * 256;

export function varyTexture(maps: VaryMap[], options: VaryOptions = {}): VaryResult {
  checkVaryInput(maps, options);
  const texels = (options.width ?? maps[0].image.width) * (options.height ?? maps[0].image.height);
  const threads = texels >= THREADS_MIN_TEXELS ? VaryThreads.open(options.threads ?? defaultThreads()) : undefined;
  try {
    return varySet(maps, options, threads);
  } finally {
    threads?.close();
  }
}

function varySet(maps: VaryMap[], options: VaryOptions, threads?: VaryThreads): VaryResult {
  const lead = maps[0].image;
  const count = options.count ?? 4;
  const seed = options.seed ?? 1;
  const width = options.width ?? lead.width;
  const height = options.height ?? lead.height;
  const exemplarTiles = tiles(lead);
  const outputTiles = options.tile ?? exemplarTiles;
  // Both tile: period cells apply, and the spectrum filter and the check read at no particular origin.
  const bothTile = exemplarTiles && outputTiles;
  const detected = options.lattice === 'off' ? undefined : oneDirectionOnNonTiling(detectLattice(lead), exemplarTiles);
  // Designed panels in bands: moves across the bands locked (bands.ts), on request only.
  const lattice = !options.lockBands || options.lattice === 'off' || !exemplarTiles ? detected : lockBands(detected, bandedAxis(lead), lead.width, lead.height);
  const variation = options.variation ?? 0.5;
  // A large lattice cell (2x2 copies of one tile): grow a new cell and repeat it (period-cell.ts).
  const cell = bothTile ? periodCell(lattice, lead.width, lead.height, width, height) : undefined;
  // A repeat on a skewed lattice (a two-tile checkerboard): the same, in sheared coordinates (skewed-cell.ts).
  const skew = bothTile && !cell && lattice ? skewedCellShape(lattice, lead, width, height) : undefined;
  const grown = cell ?? skew;
  const source = skew ? shearedCell(maps, skew) : cell ? cropCell(maps, cell) : maps;
  // An exemplar whose cells differ (wear, mottling across the grid): each output cell reads a random exemplar cell.
  const cellsDiffer = !!cell && cellResidualShare(lead, cell) > CELL_RESIDUAL_MIN;
  const skewDiffer = !!skew && skewedResidualShare(lead, skew) > CELL_RESIDUAL_MIN;
  // In a cell the cell grid itself is the lattice: coarse levels keep the cell's layout, fine levels vary it.
  const sourceLattice = grown ? { a: [grown.width, 0] as [number, number], b: [0, grown.height] as [number, number], strength: lattice!.strength } : lattice;
  // Colour maps are re-matched to their exemplar's colour distribution (colour-match.ts), unless off.
  const palettes = new Map<number, ColourPalette>();
  // ... and then their radial power spectrum (spectrum-match.ts), unless off.
  const spectra = new Map<number, SpectrumReference>();
  const finish = (i: number, coords: CoordinateMap): RawImage => {
    const m = maps[i];
    let image = remap(m.image, coords, m.kind);
    if (m.kind !== 'color') return image;
    if (options.colourMatch !== false) {
      if (!palettes.has(i)) palettes.set(i, colourPalette(m.image));
      image = matchColours(image, palettes.get(i)!, coords);
    }
    if (options.spectrumMatch !== false) {
      // Read as eval-vary reads them: shift-averaged where the exemplar and the output both tile.
      if (!spectra.has(i)) spectra.set(i, spectrumReference(m.image, bothTile));
      image = matchSpectrum(image, spectra.get(i)!, threads);
    }
    return image;
  };
  // The novelty check's spectrum test reads as the self-check does (shift-averaged where both tile); on with
  // or without the check, so `check: false` gives the same variants.
  const spectrumOf = spectrumShare(lead, bothTile);
  const variants: Variant[] = [];
  const nccs: (number | undefined)[] = [];
  let exemplar: ReturnType<typeof buildExemplar> | undefined;
  for (let k = 1; k <= count; k++) {
    const planInput = {
      exemplarWidth: source[0].image.width,
      exemplarHeight: source[0].image.height,
      width: grown ? grown.width : width,
      height: grown ? grown.height : height,
      variation,
      seed: Math.floor(hashRandom(seed, 77, k, 0) * 2147483647),
      wrapOutput: outputTiles,
      lattice: sourceLattice,
      // Skewed cells that differ: one level more free (set 10's dirtbrick, seen: with the cell's coarse layout kept,
      // variants whose sources match came out 0.72 alike; one level more, 0.55-0.62, and 0.42-0.46 vs the exemplar).
      freeBelow: grown ? cellFreeLevels(grown, variation) + (skewDiffer ? 1 : 0) : undefined,
      rollFree: !!grown || lattice !== detected,
      layout: options.layout,
    };
    const plan = makePlan(planInput);
    // A skewed cell whose own layout comes back a near-copy twice is grown freely, as an organic exemplar
    // (the guide, no lattice): an organic ground repeated on a checkerboard has no design inside the cell to keep
    // (held-out set 9, seen: ice shore 0.84 with the cell's layout kept, 0.18 grown freely).
    const free = skew ? makePlan({ ...planInput, lattice: undefined, freeBelow: undefined, seed: Math.floor(hashRandom(planInput.seed, 92, 0, 0) * 2147483647) }) : undefined;
    const levels = Math.max(plan.levels, free?.levels ?? 0);
    if (!exemplar || exemplar.stack.length <= levels) exemplar = buildExemplar(source, levels, exemplarTiles, threads);
    const sources = cellsDiffer
      ? cellSources(cell!, lead.width, lead.height, width, height, plan.seed)
      : skewDiffer ? skewedCellSources(skew!, lead.width, lead.height, width, height, plan.seed) : undefined;
    const place = skew
      ? (c: CoordinateMap) => repeatSkewedCell(c, skew, width, height, lead.width, sources)
      : cell ? (c: CoordinateMap) => repeatCell(c, width, height, sources) : (c: CoordinateMap) => c;
    const { coords, leadImage, ncc } = novelLayout(exemplar, plan, maps[0], place, (c) => finish(0, c), { last: free, threads, spectrum: spectrumOf, earlier: variants.map((v) => v.maps[0].image) });
    // The NCC measured the finished lead map only when it looked at the whole of it.
    nccs.push(leadImage ? ncc : undefined);
    variants.push({ index: k, coords, maps: maps.map((m, i) => ({ slot: m.slot, kind: m.kind, image: (i === 0 && leadImage) || finish(i, coords) })) });
  }
  const check = options.check === false ? undefined : selfCheck(lead, variants.map((v) => v.maps[0].image), { nccs, lattice: detected, tiling: bothTile, each: { exemplar: exemplarTiles, output: outputTiles } });
  return { variants, exemplarTiles, outputTiles, lattice, check };
}
