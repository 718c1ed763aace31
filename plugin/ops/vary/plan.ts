/**
 * From user options to synthesis settings. `variation` (0..1) sets, on a log scale, the largest copied
 * region (half the exemplar at 0, 16 texels at 1) and the per-level jitter (0.1 to 0.5 of a level's
 * texel spacing): faithfulness against novelty.
 */

import type { Lattice } from './types';
import type { SynthesisPlan } from './synthesize';

/** Trailing zero bits: how many times a size halves evenly (each level halves the output). */
function halvings(n: number): number {
  let k = 0;
  while (n % 2 === 0 && n > 1) { n /= 2; k++; }
  return k;
}

export interface PlanInput {
  exemplarWidth: number;
  exemplarHeight: number;
  width: number;
  height: number;
  variation: number;
  seed: number;
  wrapOutput: boolean;
  lattice?: Lattice;
  /** Levels below this jitter freely (period cells, period-cell.ts); default: every level snaps to the lattice. */
  freeBelow?: number;
  /** Any wrap roll (see SynthesisPlan.rollFree). */
  rollFree?: boolean;
  /** Large-scale layout (VaryOptions.layout). */
  layout?: 'guided' | 'random';
}

/** Largest copied region in output texels for a variation (before lattice adjustment). */
export function patchSize(exemplarMin: number, variation: number): number {
  const big = Math.max(16, exemplarMin / 2);
  return Math.exp(Math.log(big) * (1 - variation) + Math.log(16) * variation);
}

export function makePlan(input: PlanInput): SynthesisPlan {
  const exMin = Math.min(input.exemplarWidth, input.exemplarHeight);
  let patch = patchSize(exMin, input.variation);
  // Stripes (period.ts, ridgeLattice) keep the variation's own region: their moves are free along the
  // stripes, so a region of two steps across them would be more than the exemplar and every layout one
  // translate (set 10's ribs).
  if (input.lattice && !input.lattice.stripes) {
    const { a, b } = input.lattice;
    patch = Math.max(patch, 2 * Math.max(Math.hypot(a[0], a[1]), Math.hypot(b[0], b[1])));
  }
  const levels = Math.max(
    0,
    Math.min(halvings(input.width), halvings(input.height), Math.floor(Math.log2(patch)), Math.floor(Math.log2(exMin)) - 3, 6),
  );
  const block = Math.max(1, Math.round(patch / (1 << levels)));
  // Two correction passes per level, one at the finest (measured on 6 held-out sets: 2 or 0 passes
  // there change the fidelity distances by < 3%; 1 cleans isolated texels at ~20% of the cost of 2).
  // 4 passes from level 2 up improved the spectrum distance on 17 tuning sets (2.56 → 2.23 x floor) but
  // not on the held-out set (0.360 → 0.364), for 15% more CPU: not taken.
  const passes = Array.from({ length: levels + 1 }, (_, l) => (l === 0 ? 1 : 2));
  return {
    width: input.width,
    height: input.height,
    levels,
    block,
    // Lattice steps are large moves: half the jitter. A period cell's free levels get twice the jitter
    // instead: their correction pulls texels back towards the cell's own layout (measured on three tuning
    // sets, nexuiz folders outside the held-out rule: max NCC vs exemplar 0.62-0.88 → 0.37-0.74 with
    // panel frames and brick courses kept; 3x bent the frames visibly).
    jitter: (0.1 + 0.4 * input.variation) * (input.freeBelow ? 2 : input.lattice ? 0.5 : 1),
    passes,
    seed: input.seed,
    wrapOutput: input.wrapOutput,
    lattice: input.lattice,
    freeBelow: input.freeBelow,
    rollFree: input.rollFree,
    guide: guideSetting(input),
  };
}

/**
 * The low-frequency guide's settings (low-frequency-guide.ts, synthesize.ts), chosen on the tuning sets
 * (`make-heldout.js --tune 60`: nexuiz folders outside the held-out rule; the 38 sets without a lattice,
 * 2 variants, variation 0.5, seed 1). Targets met (tiles / NCC ≤ 0.6 / between ≤ 0.6 / faithful) and
 * geometric-mean ratios to the floor (colour, spectrum, Gram):
 *   no guide                   38/38/37/13   1.88 2.09 1.04
 *   accept 0.6, 8 draws        38/35/37/18   0.99 1.59 0.73
 *   accept 0.55, 8 draws       38/36/38/18   1.14 1.71 0.81   ← taken
 *   accept 0.45, 16 draws      38/37/37/18   1.26 2.00 0.93
 * (16 candidates, weight 1 in all; 8 candidates, weight 0.5, guide also at the next finer level, accept 0.6:
 * 38/35/38/18, 1.08 1.58 0.82.)
 * On the 21 lattice sets the guide gave faithful 10 → 12 but made one tiling set miss the wrap target
 * (desertfactory metal04): lattice textures keep their lattice-step layout without it.
 * Held-out (README "Measured"): colour and Gram distances improve, the spectrum distance does not.
 */
export const GUIDE = {
  /** Random offsets tried per coarse block; the one matching the guide best is kept. */
  candidates: 16,
  /** Weight of the guide distance in the coarsest level's correction (neighbourhood distance = 1). */
  weight: 1,
  /** Noise fields drawn at most, and the coarse-grid NCC up to which a field is accepted (first one under it). */
  draws: 8,
  accept: 0.55,
};

function guideSetting(input: PlanInput): SynthesisPlan['guide'] {
  if (input.layout === 'random') return undefined;
  // Structured textures keep their own lattice layout (offsets in lattice steps); see README.
  if (input.lattice) return undefined;
  return { ...GUIDE };
}
