/**
 * The parts of `stats` (statistics-transfer.ts) that can run on another thread while this one works: each a
 * task of plain data (typed arrays, numbers), run by `runStatsTask` on either thread with the same code, so
 * the same numbers come out wherever it runs. None draws from the seeded random source: its draws are made
 * by the calling thread, in the order the single-thread code made them, and handed over as data.
 *
 * A thread keeps what later tasks read (`StatsTaskState`): the scorer, the luminance moves of the texture.
 */

import { chromaGrainOf } from './chroma-grain';
import { colourAtLuma, COLOUR_AT_LUMA_ITERATIONS } from './colour-at-luma';
import { lumaMoves, type Candidate, type LumaMoves, type MoveBasis, type ToneCurve } from './luma-moves';
import type { ColourPlanes } from './planes';
import type { Random } from './random';
import { distanceBasis, planesToRgb, referenceSideOf, scorerOf, type DistanceBasis, type ReferenceSide } from './style-distance';
import { wrapEdgeRatio } from '../../metrics/texture-stats/tileability';

export type StatsTask =
  /** The scorer's basis (style-distance.ts): the reference's side when `side` is not given, the input's distances. */
  | { kind: 'distance-basis'; input: ColourPlanes; reference: ColourPlanes; mask?: Uint8Array; referenceMask?: Uint8Array; side?: ReferenceSide }
  /** The colour grain from its drawn noise (chroma-grain.ts); `reference` in the opponent space. */
  | { kind: 'chroma-grain'; reference: ColourPlanes; width: number; height: number; noise: Float32Array[]; wrap: boolean; referenceMask?: Uint8Array }
  /** The texture's luminance moves, kept for the tasks below. */
  | { kind: 'moves'; basis: MoveBasis }
  /** One curve's bisection. */
  | { kind: 'largest'; curve: ToneCurve }
  /**
   * A luminance (default: the last `largest` task's) written under the moves' colour differences (`plain`:
   * these instead), read for the choice; the distance is left out (NaN) where the wrap ratio is over `cap`.
   */
  | { kind: 'reading'; luma?: Float32Array; plain?: Float32Array[]; cap?: number }
  /**
   * The palette at the chosen luma (colour-at-luma.ts) with its `draws` of the random source, read for the
   * choice where it keeps the layout (`kept`) and its wrap ratio is at most `cap`.
   */
  | { kind: 'refine'; chosen: ColourPlanes; reference: ColourPlanes; draws: number[]; mask?: Uint8Array; referenceMask?: Uint8Array; cap?: number };

export type RefineTask = Extract<StatsTask, { kind: 'refine' }>;

/** A result as the choice reads it: its RGB planes, wrap ratio (tiling only) and style distance. */
export interface Reading { out: ColourPlanes; ratio: number; distance: number }

/** What each task gives back. */
export interface StatsTaskResult {
  'distance-basis': DistanceBasis;
  'chroma-grain': [Float32Array, Float32Array];
  moves: null;
  largest: Candidate;
  reading: Reading;
  refine: Reading & { kept: boolean };
}

/** What a thread keeps between tasks. */
export interface StatsTaskState {
  scorer?: ReturnType<typeof scorerOf>;
  moves?: LumaMoves;
  wrap?: boolean;
  /** The last `largest` task's candidate. */
  last?: Candidate;
}

export function runStatsTask<T extends StatsTask>(state: StatsTaskState, task: T): StatsTaskResult[T['kind']] {
  return run(state, task) as StatsTaskResult[T['kind']];
}

function run(state: StatsTaskState, task: StatsTask): StatsTaskResult[StatsTask['kind']] {
  switch (task.kind) {
    case 'distance-basis': {
      const basis = distanceBasis(task.input, task.side ?? referenceSideOf(task.reference, task.referenceMask), task.mask);
      state.scorer = scorerOf(basis, task.mask);
      return basis;
    }
    case 'chroma-grain': return chromaGrainOf(task.reference, task.width, task.height, task.noise, { wrap: task.wrap, referenceMask: task.referenceMask });
    case 'moves':
      state.moves = lumaMoves(task.basis);
      state.wrap = task.basis.wrap;
      return null;
    case 'largest': return (state.last = need(state.moves, task.kind).largest(task.curve));
    case 'reading': return readingOf(state, need(state.moves, task.kind).result(task.luma ?? need(state.last, task.kind).luma, task.plain), task.cap);
    case 'refine': {
      const refined = colourAtLuma(task.chosen, task.reference, replay(task.draws), { mask: task.mask, referenceMask: task.referenceMask });
      // 8-bit rounding of the new colours moves luma by up to half a code: the layout is checked again.
      if (!need(state.moves, task.kind).layoutKept(refined)) return { out: refined, ratio: NaN, distance: NaN, kept: false };
      return { ...readingOf(state, refined, task.cap), kept: true };
    }
  }
}

/** A result's wrap ratio (tiling textures; 0 otherwise) and style distance (NaN, not read, where the ratio is over `cap`). */
function readingOf(state: StatsTaskState, out: ColourPlanes, cap = Infinity): Reading {
  const rgb = planesToRgb(out);
  const ratio = state.wrap ? wrapEdgeRatio(rgb) : 0;
  return { out, ratio, distance: ratio > cap ? NaN : need(state.scorer, 'a reading')(out, rgb) };
}

/** The draws `colourAtLuma` takes from the random source (one per step). */
export function colourAtLumaDraws(random: Random): number[] {
  return Array.from({ length: COLOUR_AT_LUMA_ITERATIONS }, () => random());
}

/** A random source that gives back `draws` in order (and fails past them). */
function replay(draws: number[]): Random {
  let next = 0;
  return () => {
    if (next >= draws.length) throw new Error('style: more random draws asked than were handed over');
    return draws[next++];
  };
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`style: ${what} task before the task it needs`);
  return value;
}
