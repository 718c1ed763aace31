/**
 * Colour re-matching of a finished variant (colour maps only): a variant copies exemplar texels, but not
 * in the exemplar's proportions — a block layout that repeats a stain or leaves out a red sign shifts the
 * palette (tuning sets, vary5: 16 of 59 textures over 2x the colour floor, every one of them a plain
 * quality miss, since the exemplar's own texels moved keep its histogram exactly). So the variant's
 * colours are moved, as a whole, onto the exemplar's colour distribution by iterated sliced optimal
 * transport (Pitié, Kokaram & Dahyot 2005 "N-dimensional probability density function transfer";
 * Rabin et al. 2011): per iteration an orthonormal basis of RGB, and along each axis the 1-D optimal
 * transport of the variant's colours onto the exemplar's.
 *
 * It works on the exemplar's PALETTE (its distinct colours), weighted by how often the variant uses each
 * (known from the coordinate map) and how often the exemplar holds it: every output texel of one source
 * colour gets the same new colour — a colour grading, a function of the colour alone, so edges, noise and
 * the layout are untouched and the normal / data maps still agree with it texel for texel. Alpha is
 * carried. Deterministic: fixed bases, sorts with ties broken by palette index.
 *
 * @example
 * const palette = colourPalette(exemplarColour);             // once per exemplar map
 * const graded = matchColours(remap(exemplarColour, coords, 'color'), palette, coords);
 */

import type { RawImage } from '../../types';
import { DETAIL_TOLERANCE, detailEnergy } from './detail-energy';
import { hashRandom } from './hash-random';
import type { CoordinateMap } from './types';

/** Sliced-OT iterations (each one orthonormal basis: 3 axes for RGB, 1 for grey); 16 changed nothing measurable on the probe textures. */
export const COLOUR_MATCH_ITERATIONS = 8;

/** The exemplar's distinct colours, which one each texel holds, and how many texels hold each. */
export interface ColourPalette {
  /** Colour channels matched: 3 (RGB) or 1 (grey). */
  dims: number;
  /** Palette colours, `dims` per entry. */
  colours: Float64Array;
  /** Exemplar texels per palette entry. */
  counts: Float64Array;
  /** Palette entry of every exemplar texel. */
  entryOf: Int32Array;
  width: number;
  /** The exemplar's texel-to-texel luma energy (detail-energy.ts). */
  detail: number;
}

/** Rec. 601 luma weights. */
const LUMA = [0.299, 0.587, 0.114];

/** Builds the palette of a colour map (RGB when it has ≥ 3 channels, else its first channel). */
export function colourPalette(image: RawImage): ColourPalette {
  const { width, height, channels, data } = image;
  const n = width * height;
  const dims = channels >= 3 ? 3 : 1;
  // Sort (key, texel) pairs packed into one float: key < 2^24, texel < 2^23 (≤ 2048² exemplars) → < 2^47, exact.
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    const key = dims === 3 ? (data[o] << 16) | (data[o + 1] << 8) | data[o + 2] : data[o];
    packed[i] = key * 8388608 + i;
  }
  packed.sort();
  const entryOf = new Int32Array(n);
  const colours: number[] = [];
  const counts: number[] = [];
  let last = -1;
  for (let s = 0; s < n; s++) {
    const key = Math.floor(packed[s] / 8388608);
    const texel = packed[s] - key * 8388608;
    if (key !== last) {
      last = key;
      if (dims === 3) colours.push(key >> 16, (key >> 8) & 255, key & 255);
      else colours.push(key);
      counts.push(0);
    }
    entryOf[texel] = counts.length - 1;
    counts[counts.length - 1]++;
  }
  const luma = (i: number) => (dims === 3 ? LUMA[0] * data[i * channels] + LUMA[1] * data[i * channels + 1] + LUMA[2] * data[i * channels + 2] : data[i * channels]);
  return { dims, colours: Float64Array.from(colours), counts: Float64Array.from(counts), entryOf, width, detail: detailEnergy(luma, width, height) };
}

/** A deterministic random orthonormal basis of R^dims (Gram-Schmidt on hashed Gaussian vectors). */
function basis(iteration: number, dims: number): number[][] {
  if (dims === 1) return [[1]];
  const out: number[][] = [];
  for (let a = 0; out.length < dims; a++) {
    const v = Array.from({ length: dims }, (_, c) => {
      const u1 = Math.max(1e-12, hashRandom(7331, iteration, a, 2 * c));
      const u2 = hashRandom(7331, iteration, a, 2 * c + 1);
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    });
    for (const b of out) {
      const d = v.reduce((s, x, c) => s + x * b[c], 0);
      for (let c = 0; c < dims; c++) v[c] -= d * b[c];
    }
    const len = Math.hypot(...v);
    if (len > 1e-6) out.push(v.map((x) => x / len));
  }
  return out;
}

/** Indices of `values` in ascending order (ties by index): packed float sort, values quantised to 2^-16. */
function order(values: Float64Array, count: number): Int32Array {
  const packed = new Float64Array(count);
  // |value| ≤ 2·255·√3 < 1024; (value + 1024)·2^16 < 2^27, index < 2^24 → < 2^51, exact.
  for (let i = 0; i < count; i++) packed[i] = Math.round((values[i] + 1024) * 65536) * 16777216 + i;
  packed.sort();
  const out = new Int32Array(count);
  for (let s = 0; s < count; s++) out[s] = packed[s] % 16777216;
  return out;
}

/**
 * Spacing, in 8-bit levels, of the colour grid the grading is smoothed on (see smoothGrading). Tuning sets
 * (59, faithful / geometric-mean colour ratio to the floor): 8 → 32 / 0.39, 4 → 32 / 0.33. On seen set 4's
 * narrow-palette panel (mtlpanel_wrnstripe_ow, colour floor 0.002) the colour distance is 0.0041 / 0.0023 /
 * 0.0015 for 8 / 4 / 2, the grain (texel-to-texel energy) rising as the grid gets finer (15.2 / 16.0 / 16.6,
 * exemplar 14.6): 4 is the compromise.
 */
export const GRADING_SPACING = 4;

/**
 * The transport, regularised (Rabin, Delon & Gousseau 2010, "Regularization of transportation maps for
 * color and contrast transfer"): the exact per-colour transport can send two nearly equal colours far
 * apart where the variant lacks colours the exemplar has (a variant that lost the exemplar's dark stain
 * gets mid-greys stretched into darks), which turns faint grain into strong noise (tuning set:
 * hsptl_wallpainted_gray's texel-to-texel energy 29 → 57, Gram distance 4x). So the displacements are
 * averaged, mass-weighted, on a coarse colour grid (GRADING_SPACING levels, blurred [1 2 1]) and read back
 * by trilinear weights: a smooth grading, like a 3-D LUT, that moves whole colour regions.
 */
function smoothGrading(pos: Float64Array, mass: Float64Array, ids: number[], colours: Float64Array, dims: number, entries: number): Float64Array {
  const G = Math.ceil(255 / GRADING_SPACING) + 1;
  const nodes = G ** dims;
  const num = new Float64Array(nodes * dims);
  const den = new Float64Array(nodes);
  const corners = 1 << dims;
  const idx = new Int32Array(corners);
  const wts = new Float64Array(corners);
  // Trilinear (or linear) weights of a colour on the grid.
  const weights = (colour: ArrayLike<number>, at: number) => {
    for (let k = 0; k < corners; k++) { idx[k] = 0; wts[k] = 1; }
    for (let c = 0, stride = 1; c < dims; c++, stride *= G) {
      const t = Math.min(G - 1 - 1e-9, Math.max(0, colour[at + c] / GRADING_SPACING));
      const i0 = Math.floor(t);
      const f = t - i0;
      for (let k = 0; k < corners; k++) {
        const hi = (k >> c) & 1;
        idx[k] += (i0 + hi) * stride;
        wts[k] *= hi ? f : 1 - f;
      }
    }
  };
  const m = ids.length;
  for (let k = 0; k < m; k++) {
    weights(colours, ids[k] * dims);
    for (let q = 0; q < corners; q++) {
      const w = wts[q] * mass[k];
      den[idx[q]] += w;
      for (let c = 0; c < dims; c++) num[idx[q] * dims + c] += w * (pos[k * dims + c] - colours[ids[k] * dims + c]);
    }
  }
  // One [1 2 1] blur along each grid axis (numerator and denominator alike: normalised convolution).
  for (let axis = 0, stride = 1; axis < dims; axis++, stride *= G) {
    const n2 = new Float64Array(num.length);
    const d2 = new Float64Array(den.length);
    for (let node = 0; node < nodes; node++) {
      const i = Math.floor(node / stride) % G;
      for (const [o, w] of [[-1, 1], [0, 2], [1, 1]]) {
        if (i + o < 0 || i + o >= G) continue;
        const nb = node + o * stride;
        d2[node] += w * den[nb];
        for (let c = 0; c < dims; c++) n2[node * dims + c] += w * num[nb * dims + c];
      }
    }
    num.set(n2);
    den.set(d2);
  }
  const shift = new Float64Array(entries * dims);
  for (let k = 0; k < m; k++) {
    const at = ids[k] * dims;
    weights(colours, at);
    let d = 0;
    const sum = new Float64Array(dims);
    for (let q = 0; q < corners; q++) {
      d += wts[q] * den[idx[q]];
      for (let c = 0; c < dims; c++) sum[c] += wts[q] * num[idx[q] * dims + c];
    }
    for (let c = 0; c < dims; c++) shift[at + c] = d > 0 ? sum[c] / d : 0;
  }
  return shift;
}


/**
 * Strengths tried for the grading, strongest first: the first whose texel-to-texel energy is no further
 * from the exemplar's than the ungraded variant's (×/÷ DETAIL_TOLERANCE) is used. A grading that must
 * stretch colours (the variant lacks a region the exemplar has: a layout miss, not a palette drift) would
 * otherwise turn grain into noise; there it is weakened or left out.
 */
const STRENGTHS = [1, 0.75, 0.5, 0.25, 0];

/**
 * The variant `remapped` (the exemplar's colour map remapped by `coords`), its colours moved onto the
 * exemplar's distribution. Channels beyond the matched ones (alpha) are carried unchanged.
 */
export function matchColours(remapped: RawImage, palette: ColourPalette, coords: CoordinateMap, iterations = COLOUR_MATCH_ITERATIONS): RawImage {
  const { dims, colours, counts, entryOf, width: ew } = palette;
  const entries = counts.length;
  // Variant mass per palette entry, from the coordinate map.
  const used = new Float64Array(entries);
  const entryAt = new Int32Array(coords.x.length);
  for (let i = 0; i < coords.x.length; i++) {
    const e = entryOf[coords.y[i] * ew + coords.x[i]];
    entryAt[i] = e;
    used[e]++;
  }
  const ids: number[] = [];
  for (let e = 0; e < entries; e++) if (used[e] > 0) ids.push(e);
  const m = ids.length;
  const pos = new Float64Array(m * dims);
  const mass = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    for (let c = 0; c < dims; c++) pos[k * dims + c] = colours[ids[k] * dims + c];
    mass[k] = used[ids[k]];
  }
  // Reference masses scaled to the variant's total, so both distributions have the same mass.
  const scale = coords.x.length / counts.reduce((s, v) => s + v, 0);
  const projV = new Float64Array(m);
  const projR = new Float64Array(entries);
  for (let it = 0; it < iterations; it++) {
    for (const axis of basis(it, dims)) {
      for (let k = 0; k < m; k++) { let s = 0; for (let c = 0; c < dims; c++) s += pos[k * dims + c] * axis[c]; projV[k] = s; }
      for (let e = 0; e < entries; e++) { let s = 0; for (let c = 0; c < dims; c++) s += colours[e * dims + c] * axis[c]; projR[e] = s; }
      const ov = order(projV, m);
      const or = order(projR, entries);
      // 1-D optimal transport of weighted points: each variant point's share [A, A + mass] of the cumulative
      // mass goes to the mean of the reference quantile function over that share.
      let j = 0;
      let left = counts[or[0]] * scale; // reference mass not yet handed out at or[j]
      for (let s = 0; s < m; s++) {
        const k = ov[s];
        let need = mass[k];
        let sum = 0;
        while (need > 1e-9 && j < entries) {
          const take = Math.min(need, left);
          sum += take * projR[or[j]];
          need -= take;
          left -= take;
          if (left <= 1e-9 && j + 1 < entries) { j++; left = counts[or[j]] * scale; } else if (left <= 1e-9) break;
        }
        if (need > 1e-9) sum += need * projR[or[entries - 1]]; // rounding at the very end
        const shift = sum / mass[k] - projV[k];
        for (let c = 0; c < dims; c++) pos[k * dims + c] += shift * axis[c];
      }
    }
  }
  const shift = smoothGrading(pos, mass, ids, colours, dims, entries);
  const graded = new Uint8Array(entries * dims);
  const lumaOf = new Float64Array(entries);
  const grade = (strength: number) => {
    for (const e of ids) {
      let l = 0;
      for (let c = 0; c < dims; c++) {
        const v = Math.max(0, Math.min(255, Math.round(colours[e * dims + c] + strength * shift[e * dims + c])));
        graded[e * dims + c] = v;
        l += (dims === 3 ? LUMA[c] : 1) * v;
      }
      lumaOf[e] = l;
    }
  };
  const { width, height } = coords;
  const far = (energy: number) => Math.abs(Math.log((energy + 1e-6) / (palette.detail + 1e-6)));
  let limit = Infinity;
  for (const strength of [...STRENGTHS].reverse()) {
    grade(strength);
    const distance = far(detailEnergy((i) => lumaOf[entryAt[i]], width, height));
    if (strength === 0) { limit = distance + Math.log(DETAIL_TOLERANCE); continue; }
    if (distance > limit) { grade(STRENGTHS[STRENGTHS.indexOf(strength) + 1]); break; }
  }
  const ch = remapped.channels;
  const out = new Uint8Array(remapped.data);
  for (let i = 0; i < entryAt.length; i++) {
    const g = entryAt[i] * dims;
    for (let c = 0; c < dims; c++) out[i * ch + c] = graded[g + c];
  }
  return { ...remapped, data: out };
}
