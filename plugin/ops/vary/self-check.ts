/**
 * Vary's check of its own output against issue 10's targets, made at run time without any other texture
 * or network: whether the variants are novel (max cyclic NCC vs the exemplar ≤ 0.6), diverse (variants 1
 * and 2 ≤ 0.6) and faithful (colour, power-spectrum and Gram distances vs the exemplar within 2x the distance
 * between the exemplar's own left and right halves, or a two-tile checkerboard's two tiles — eval-vary's floor,
 * floor-crops.ts). An exemplar that is not a
 * texture (a logo on flat colour, a designed plate, a sky-box face) or a strict lattice cannot give
 * variants that are both novel and faithful; this says which target they miss, so the caller can tell
 * the user (one line) while still writing the variants.
 *
 * The same statistics and thresholds as `remaster eval-vary` (evaluate.ts), with these differences, each
 * for cost: fidelity is the mean over the first two variants (eval makes exactly two); the Gram matrices read at
 * most CHECK_GRAM_POSITIONS window positions per scale (eval: every position of a 256² image, 1-2 s for the four
 * images; left out until operation 12, when held-out set 11 had two textures, GARAGE01 and ole-concrete-pits,
 * that missed faithfulness through the Gram distance alone, unflagged); and at most CHECK_SIDE texels a side (a larger exemplar and the variant's exemplar-sized window are
 * both box-reduced by 2 until they fit, so the floor is measured at the same scale). The eval's ceiling
 * (another texture) has no run-time counterpart.
 *
 * @example
 * const check = selfCheck(exemplarColour, variantColours, { nccs });
 * if (check.misses.length) warn(describeMisses(check));
 */

import { cropImage, gramDistanceOf, maxCyclicNcc, powerSpectrumDistance, slicedWasserstein } from '../../metrics/texture-stats';
import { floorCrops } from './floor-crops';
import { evalGram } from './gram-reading';
import type { RawImage } from '../../types';
import type { Lattice, VaryCheck, VaryTarget } from './types';

// The check's result types live in types.ts beside VaryResult, which carries one (defined here, they made an import cycle).
export type { VaryCheck, VaryTarget } from './types';

/** Issue 10's novelty / diversity limit (max cyclic NCC). */
export const NCC_TARGET = 0.6;
/** Faithful: each distance within this multiple of the exemplar's own half-to-half distance. */
export const FLOOR_MULTIPLE = 2;
/** Variants whose fidelity is averaged (eval-vary makes 2 and averages them). */
export const FIDELITY_VARIANTS = 2;
/** Largest side the fidelity check measures at (eval-vary's held-out textures are 256²). */
export const CHECK_SIDE = 256;
/**
 * Window positions per scale the check's Gram matrices read (a grid 3 texels apart on a 256² image; eval-vary
 * reads all 65536): about a ninth of the work. On sets 6-11 (96 textures) it reads 0.94-6.6x the eval's figure for the
 * variants (median 1.09; the large ratios are near-zero distances) and 0.88-1.48x for the floor; the reading's own
 * noise is taken off before the test (selfCheck). README, Measured: vary18.
 */
export const CHECK_GRAM_POSITIONS = 8192;


/** Halves each side (2x2 box mean) until both fit CHECK_SIDE. */
function reduce(image: RawImage): RawImage {
  let out = image;
  while (out.width > CHECK_SIDE || out.height > CHECK_SIDE) {
    const w = out.width >> 1;
    const h = out.height >> 1;
    const c = out.channels;
    const data = new Uint8Array(w * h * c);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let k = 0; k < c; k++) {
          const i = ((2 * y) * out.width + 2 * x) * c + k;
          const s = out.data[i] + out.data[i + c] + out.data[i + out.width * c] + out.data[i + out.width * c + c];
          data[(y * w + x) * c + k] = (s + 2) >> 2;
        }
      }
    }
    out = { data, width: w, height: h, channels: c };
  }
  return out;
}

/**
 * Max cyclic NCC between two side-by-side crops of `ex` (already reduced by `scale`) each a whole number
 * of the lattice's horizontal period wide, or -1 where the lattice has none or it does not fit twice.
 */
function wholePeriodNcc(ex: RawImage, lattice: Lattice | undefined, scale: number): number {
  if (!lattice) return -1;
  const period = Math.abs(lattice.a[1] === 0 ? lattice.a[0] : lattice.b[1] === 0 ? lattice.b[0] : 0) / scale;
  const half = Math.floor(ex.width / 2);
  if (!(period >= 4) || period > half) return -1;
  const width = Math.round(Math.floor(half / period) * period);
  return maxCyclicNcc(cropImage(ex, 0, 0, width, ex.height), cropImage(ex, width, 0, width, ex.height)).max;
}

/** The exemplar-sized top-left window of a variant (all of it when it is no larger). */
function window(variant: RawImage, width: number, height: number): RawImage {
  if (variant.width <= width && variant.height <= height) return variant;
  return cropImage(variant, 0, 0, Math.min(width, variant.width), Math.min(height, variant.height));
}

/** What selfCheck knows beyond the images; every field optional. */
export interface SelfCheckOptions {
  /**
   * Each variant's max cyclic NCC vs the exemplar where already measured (vary-texture.ts's novelty check);
   * a missing entry is measured here. Default: none measured.
   */
  nccs?: (number | undefined)[];
  /** The exemplar's lattice, if one was found (only the own-halves NCC uses it). Default: none. */
  lattice?: Lattice;
  /**
   * The exemplar and the variants tile. Default false. A variant compared whole is then read at no particular
   * origin (the shift-averaged spectrum), as eval-vary reads it: with the one-origin window a panel whose frame
   * lies on the exemplar's edge read unfaithful for every variant that moves it.
   */
  tiling?: boolean;
  /**
   * Whether the exemplar and the output tile, one by one. Default: both as `tiling`. The Gram matrices are read
   * per image, each as a torus where it tiles (gram-reading.ts), as eval-vary reads them.
   */
  each?: { exemplar: boolean; output: boolean };
}

/**
 * @param exemplar the lead (colour) map the variants were made from
 * @param variants every variant's lead map, in order
 * @example selfCheck(lead, leads, { nccs, lattice, tiling: true })
 */
export function selfCheck(exemplar: RawImage, variants: RawImage[], options: SelfCheckOptions = {}): VaryCheck {
  const { nccs = [], lattice, tiling = false } = options;
  const each = options.each ?? { exemplar: tiling, output: tiling };
  const ncc = Math.max(...variants.map((v, i) => nccs[i] ?? maxCyclicNcc(v, exemplar).max));
  // As eval-vary: variant 1 searched for variant 2 (an exemplar-sized window of it, for large outputs).
  const nccPair = variants.length >= 2 ? maxCyclicNcc(variants[0], window(variants[1], exemplar.width, exemplar.height)).max : undefined;
  const ex = reduce(exemplar);
  const half = Math.floor(ex.width / 2);
  const left = cropImage(ex, 0, 0, half, ex.height);
  const right = cropImage(ex, half, 0, half, ex.height);
  const nccFloor = Math.max(maxCyclicNcc(left, right).max, wholePeriodNcc(ex, lattice, exemplar.width / ex.width));
  // Fidelity as eval-vary: the mean over variants — here the first FIDELITY_VARIANTS of them (eval: 2).
  const firsts = variants.slice(0, FIDELITY_VARIANTS);
  const checked = firsts.map((v) => reduce(window(v, exemplar.width, exemplar.height)));
  // A window cut out of a larger variant does not tile: it keeps the one-origin estimator.
  const whole = firsts.map((v) => tiling && v.width <= exemplar.width && v.height <= exemplar.height);
  const colour = checked.reduce((s, v) => s + slicedWasserstein(v, ex), 0) / checked.length;
  // The floor's crops as eval-vary's (floor-crops.ts): a two-tile checkerboard's halves hold the same texels, and a
  // floor of ~0 called every variant unfaithful where the eval did not (sets 9 and 10: 5 and 1 textures).
  const [floorA, floorB] = floorCrops(ex);
  const colourFloor = slicedWasserstein(floorA, floorB);
  const spectrum = checked.reduce((s, v, i) => s + powerSpectrumDistance(v, ex, { tiling: whole[i] }), 0) / checked.length;
  const spectrumFloor = powerSpectrumDistance(floorA, floorB);
  // Gram as eval-vary reads it: the exemplar and a whole variant each on the torus where it tiles, crops with
  // valid windows; fewer positions (CHECK_GRAM_POSITIONS).
  const exGram = evalGram(ex, each.exemplar, CHECK_GRAM_POSITIONS);
  const wraps = firsts.map((v) => each.output && v.width <= exemplar.width && v.height <= exemplar.height);
  const gram = checked.reduce((s, v, i) => s + gramDistanceOf(evalGram(v, wraps[i], CHECK_GRAM_POSITIONS), exGram), 0) / checked.length;
  const gramFloor = gramDistanceOf(evalGram(floorA, false, CHECK_GRAM_POSITIONS), evalGram(floorB, false, CHECK_GRAM_POSITIONS));
  // What the fewer positions alone read as distance: the exemplar against itself at another draw of positions. The
  // reading's error adds to the true distance in quadrature (independent of it), so that much is taken off the same
  // way (set 8's panel_gk_000_cc, eval 0.004 against a floor of 0.006: read 0.027, noise 0.021, a false alarm without).
  const gramNoise = gramDistanceOf(evalGram(ex, each.exemplar, CHECK_GRAM_POSITIONS, 1), exGram);
  const gramBeyond = gramBeyondNoise({ gram, gramNoise });
  const misses: VaryTarget[] = [];
  if (ncc > NCC_TARGET) misses.push('novel');
  if (nccPair !== undefined && nccPair > NCC_TARGET) misses.push('diverse');
  const over = (v: number, floor: number) => v > FLOOR_MULTIPLE * floor + 1e-9;
  if (over(colour, colourFloor) || over(spectrum, spectrumFloor) || over(gramBeyond, gramFloor)) misses.push('faithful');
  return { ncc, nccFloor, nccPair, colour, colourFloor, spectrum, spectrumFloor, gram, gramFloor, gramNoise, misses };
}

/**
 * The spectrum half of the faithful target for ONE finished variant, as `selfCheck` reads it: its power-spectrum
 * distance to the exemplar as a share of the limit, FLOOR_MULTIPLE x the floor's (≤ 1: within the target). vary-texture.ts's novelty check uses it to try
 * another layout where a novel one lost the exemplar's spectral shape (held-out set 10, seen: racingPattern_a,
 * a flag at the scale of the whole exemplar, where one layout in two was one light blob on dark, 0.33-0.44
 * against a limit of 0.21, and the spectrum filter's grain guard rightly refused to sharpen it).
 * @example const share = spectrumShare(exemplar, tiling); share(variant) > 1 // try another layout
 */
export function spectrumShare(exemplar: RawImage, tiling = false): (variant: RawImage) => number {
  const ex = reduce(exemplar);
  const [floorA, floorB] = floorCrops(ex);
  const limit = FLOOR_MULTIPLE * powerSpectrumDistance(floorA, floorB);
  // A flat exemplar's halves have no spectral shape to keep: nothing to compare with.
  if (!(limit > 1e-6)) return () => 0;
  return (variant) => {
    const whole = tiling && variant.width <= exemplar.width && variant.height <= exemplar.height;
    return powerSpectrumDistance(reduce(window(variant, exemplar.width, exemplar.height)), ex, { tiling: whole }) / limit;
  };
}

/**
 * One line naming the missed targets with their figures, or undefined when none is missed.
 * @example describeMisses(check) // "variants miss novelty (NCC vs exemplar 0.75 > 0.6) and faithfulness (colour 11x ...)"
 */
export function describeMisses(check: VaryCheck): string | undefined {
  if (!check.misses.length) return undefined;
  const parts: string[] = [];
  if (check.misses.includes('novel')) parts.push(`novelty (NCC vs the exemplar ${check.ncc.toFixed(2)} > ${NCC_TARGET})`);
  if (check.misses.includes('diverse')) parts.push(`diversity (NCC between variants ${check.nccPair!.toFixed(2)} > ${NCC_TARGET})`);
  if (check.misses.includes('faithful')) {
    const ratio = (v: number, floor: number) => (floor > 1e-9 ? `${(v / floor).toFixed(1)}x` : 'above');
    const which: string[] = [];
    if (check.colour > FLOOR_MULTIPLE * check.colourFloor + 1e-9) which.push(`colour ${ratio(check.colour, check.colourFloor)}`);
    if (check.spectrum > FLOOR_MULTIPLE * check.spectrumFloor + 1e-9) which.push(`spectrum ${ratio(check.spectrum, check.spectrumFloor)}`);
    const gramBeyond = gramBeyondNoise(check);
    if (gramBeyond > FLOOR_MULTIPLE * check.gramFloor + 1e-9) which.push(`Gram ${ratio(gramBeyond, check.gramFloor)}`);
    parts.push(`faithfulness (${which.join(', ')} the exemplar's own half-to-half distance; limit ${FLOOR_MULTIPLE}x)`);
  }
  const why = (check.misses.includes('novel') || check.misses.includes('diverse')) && check.nccFloor > NCC_TARGET
    ? `the exemplar repeats itself (its own halves correlate ${check.nccFloor.toFixed(2)}: a strict lattice or repeated motif)`
    : 'the exemplar may be a design (logo, plate, sky face) rather than a texture';
  return `variants miss ${parts.join(' and ')}: ${why}; variants written anyway`;
}

/** The Gram distance the check judges: its reading with the reading's own noise taken off in quadrature. */
function gramBeyondNoise({ gram, gramNoise }: Pick<VaryCheck, 'gram' | 'gramNoise'>): number {
  return Math.sqrt(Math.max(0, gram * gram - gramNoise * gramNoise));
}
