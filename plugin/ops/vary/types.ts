/** Data types of the Texture Multiplier (plugin/ops/vary). */

import type { RawImage, TextureKind } from '../../types';

/** One map of a material's texture set (all maps of a set have the same size). */
export interface VaryMap {
  /** Role in the set, e.g. `color`, `normal`, `orm`, `height`, or a glTF slot name. Used in file names and reports. */
  slot: string;
  /** How values are treated: colour and data maps are copied texel-exact; normal maps are renormalised. */
  kind: TextureKind;
  image: RawImage;
}

export interface VaryOptions {
  /** Number of variants. Default 4. */
  count?: number;
  /** Seed: the same seed, inputs and options give byte-identical outputs. Default 1. */
  seed?: number;
  /** Output size. Default: the exemplar's. */
  width?: number;
  height?: number;
  /**
   * 0..1: faithfulness (0: large copied regions, layout barely moves) to novelty (1: small regions,
   * free layout). Default 0.5.
   */
  variation?: number;
  /**
   * Make the output tile even when the exemplar does not (default: the output tiles exactly when the
   * exemplar does, which is detected from its wrap-around edges).
   */
  tile?: boolean;
  /** Structured textures: 'auto' detects a lattice (bricks, tiles) and moves content in lattice steps; 'off' never. Default 'auto'. */
  lattice?: 'auto' | 'off';
  /**
   * Designed panels laid out in horizontal or vertical bands (detected from the row / column means):
   * keep every band in place and vary the content along it (bands.ts). Default false: the bands then
   * dominate the variance and variants correlate 0.9+ with the exemplar (measured), a trade the user
   * chooses. Only for tiling exemplars.
   */
  lockBands?: boolean;
  /**
   * Large-scale layout. 'guided' (default): the coarsest level follows a random field with the exemplar's
   * own low-frequency spectrum (low-frequency-guide.ts), so slow shading and large stains survive at new
   * places. 'random': every coarse block gets an independent random offset (the layout before vary3:
   * large-scale variation is lost, but no large shape of the exemplar can come back).
   */
  layout?: 'guided' | 'random';
  /**
   * Colour maps: move each variant's colours onto the exemplar's colour distribution (colour-match.ts: one
   * colour grading per variant, a function of the colour alone, so the layout and the other maps are
   * untouched). Default true; false keeps every colour texel a verbatim copy of an exemplar texel.
   */
  colourMatch?: boolean;
  /**
   * Colour maps: after the grading, filter the variant so its luma's radially averaged power spectrum
   * matches the exemplar's (spectrum-match.ts; cyclic, so tiling holds; each channel then put back on its
   * histogram). Texel values then depend on their neighbourhood. Default true; false = the graded copy.
   */
  spectrumMatch?: boolean;
  /**
   * Check the variants against issue 10's targets (self-check.ts: novelty, diversity, colour and spectrum
   * fidelity vs the exemplar's own half-to-half distance) and return the result as `check`, so callers can
   * warn when the exemplar is not a texture vary can multiply. Default true; costs about 1 s.
   */
  check?: boolean;
  /**
   * Threads the synthesis's large levels are split over (worker threads, started and ended within the
   * call; vary-threads.ts). The outputs are the same byte for byte for any value. Default
   * min(2, available cores); 1 runs on the calling thread only.
   */
  threads?: number;
}

/** Where each output texel comes from in the exemplar (integer texel coordinates). */
export interface CoordinateMap {
  width: number;
  height: number;
  x: Int32Array;
  y: Int32Array;
}

/** A 2-D lattice of a structured texture: two independent period vectors, in texels. */
export interface Lattice {
  a: [number, number];
  b: [number, number];
  /** Autocorrelation at the weaker of the two vectors, 0..1. */
  strength: number;
  /** One period across straight stripes read off a ridge of the autocorrelation (period.ts); b = 0. */
  stripes?: boolean;
}

/** One variant: the same coordinate map applied to every map of the set. */
export interface Variant {
  index: number;
  coords: CoordinateMap;
  maps: VaryMap[];
}

export interface VaryResult {
  variants: Variant[];
  /** Whether the exemplar was found to tile (wrap-around edges like its interior). */
  exemplarTiles: boolean;
  /** Whether the outputs tile. */
  outputTiles: boolean;
  lattice?: Lattice;
  /** The self-check (self-check.ts), unless `check: false`; `misses` lists the targets the variants miss. */
  check?: VaryCheck;
}

/** The targets a check can find missed. */
export type VaryTarget = 'novel' | 'diverse' | 'faithful';

export interface VaryCheck {
  /** Max cyclic NCC of a variant's lead map vs the exemplar, worst variant. */
  ncc: number;
  /**
   * Max cyclic NCC between the exemplar's own left and right halves: over NCC_TARGET, the exemplar repeats
   * itself (a strict lattice, a repeated motif) and no faithful variant can be under the target either —
   * a novelty miss is then the lattice itself, not a copy (set 6: rivets 0.67 own vs 0.72 variant).
   * With a lattice that has a horizontal period, also two side-by-side crops of whole periods (the larger
   * figure is kept): a period that does not divide the half breaks the halves' cyclic wrap (set 8's
   * 51-px panels on 128-px halves: 0.60 and 0.71, against 0.79 and 0.99 on whole periods).
   */
  nccFloor: number;
  /** Max cyclic NCC between variants 1 and 2 (lead maps); absent for a single variant. */
  nccPair?: number;
  /** Colour sliced-Wasserstein distance vs the exemplar (mean of variants 1-2), and the exemplar's own (half vs half). */
  colour: number;
  colourFloor: number;
  /** Power-spectrum distance vs the exemplar (mean of variants 1-2), and the exemplar's own. */
  spectrum: number;
  spectrumFloor: number;
  /** Random-filter Gram distance vs the exemplar (mean of variants 1-2; fewer positions than eval-vary's), and the exemplar's own. */
  gram: number;
  gramFloor: number;
  /** What the check's Gram reading alone reads as distance (the exemplar vs itself at other positions); a miss is judged on sqrt(gram² − gramNoise²). */
  gramNoise: number;
  /** The targets missed, in the order novel, diverse, faithful. */
  misses: VaryTarget[];
}
