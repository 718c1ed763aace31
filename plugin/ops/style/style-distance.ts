/**
 * How far a candidate result of method `stats` still is from the reference's style, for choosing among
 * candidate moves per texture (Gatys' style loss, on the two statistics issue 12 measures): the sliced
 * Wasserstein-1 distance of colours and the Gram distance of random-filter features, each relative to
 * the input's own, weighted 1 : GRAM_WEIGHT.
 * Deliberately not eval-style's exact instruments: other colour directions (16 on a golden spiral, not
 * 32 seeded ones), other Gram filters (seed 3, not 7), colours on a regular grid of at most ~16k texels.
 */

import { createHash } from 'node:crypto';
import { gramDistanceOf, gramMatrices } from '../../metrics/texture-stats/gram';
import type { RawImage } from '../../types';
import { toRawImage, type ColourPlanes } from './planes';

/** Weight of the relative Gram distance against the relative colour distance (tuning sets 3-4). */
export const GRAM_WEIGHT = 0.5;
const DIRECTIONS = 16;
const SAMPLES = 16384;
const QUANTILES = 256;

/** 8-bit RGB of planes as they will be written (rounded, clamped: planes.ts's toRawImage). */
export function planesToRgb(p: ColourPlanes): RawImage {
  return toRawImage(p, { data: new Uint8Array(p.width * p.height * 3), width: p.width, height: p.height, channels: 3 });
}

/** The reference's statistics the scorer compares with: its sorted colour projections and Gram matrices. */
export interface ReferenceSide { colours: Float32Array[]; gram: Float64Array[] }

/** What a scorer needs (plain data, so a worker thread can make the same scorer): the reference's side and the input's own distances. */
export interface DistanceBasis { reference: ReferenceSide; colour0: number; gram0: number }

/**
 * A scorer of candidates: (relative colour distance) + GRAM_WEIGHT (relative Gram distance) to `reference`,
 * both relative to `input`'s (so 1 + GRAM_WEIGHT = no closer than the input). Texels outside `mask` are
 * left out of the colours (the Gram features are local averages and see every texel). The scorer takes the
 * candidate's `planesToRgb` too where the caller has already made it (it is not changed).
 */
export function styleDistance(input: ColourPlanes, reference: ColourPlanes, mask?: Uint8Array, referenceMask?: Uint8Array): (candidate: ColourPlanes, rgb?: RawImage) => number {
  const cached = cachedReferenceSide(reference, referenceMask);
  const side = cached.side ?? cached.remember(referenceSideOf(reference, referenceMask));
  return scorerOf(distanceBasis(input, side, mask), mask);
}

/** The scorer of `styleDistance` from its basis (the same numbers on any thread). */
export function scorerOf(basis: DistanceBasis, mask?: Uint8Array): (candidate: ColourPlanes, rgb?: RawImage) => number {
  const { reference, colour0, gram0 } = basis;
  return (candidate, rgb) => colourOf(candidate, reference, mask) / colour0 + (GRAM_WEIGHT * gramOf(candidate, reference, rgb, mask)) / gram0;
}

/** The input's own distances to the reference's side (the scorer's units). */
export function distanceBasis(input: ColourPlanes, reference: ReferenceSide, mask?: Uint8Array): DistanceBasis {
  return { reference, colour0: colourOf(input, reference, mask) || 1, gram0: gramOf(input, reference, undefined, mask) || 1 };
}

const DIRECTIONS_USED = spiral(DIRECTIONS);

function colourOf(p: ColourPlanes, reference: ReferenceSide, mask?: Uint8Array): number {
  return meanW1(sortedProjections(p, DIRECTIONS_USED, mask, true), reference.colours);
}

// Transparent texels painted black before the Gram features see them, so their (meaningless) colour cannot
// tip a choice (the colour term already leaves them out).
function gramOf(p: ColourPlanes, reference: ReferenceSide, rgb: RawImage | undefined, mask?: Uint8Array): number {
  return gramDistanceOf(gramMatrices(hideMasked(rgb && mask ? { ...rgb, data: rgb.data.slice() } : rgb ?? planesToRgb(p), mask), { seed: 3 }), reference.gram);
}

/** The reference's statistics by content (its planes and mask), for the last few references seen. */
const referenceCache = new Map<string, ReferenceSide>();
const REFERENCES_CACHED = 4;

/**
 * The reference's sorted colour projections and Gram matrices: the same for every texture a level styles
 * after one reference, so computed once per reference content (a 512² reference's are ~0.4 s, an eighth
 * to a quarter of styling a 256² texture). Keyed by a hash of the float planes themselves, so a caller
 * that changes the planes (or passes new ones) gets fresh statistics. Read only by the scorers. `side` is
 * the cached one (undefined on a miss); `remember` caches one made here or on another thread.
 */
export function cachedReferenceSide(reference: ColourPlanes, referenceMask?: Uint8Array): { side?: ReferenceSide; remember(side: ReferenceSide): ReferenceSide } {
  const hash = createHash('sha1').update(`${reference.width}x${reference.height}x${reference.planes.length}`);
  for (const p of reference.planes) hash.update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  hash.update(referenceMask ? Uint8Array.from(referenceMask, (v) => (v ? 1 : 0)) : 'no mask');
  const key = hash.digest('hex');
  return {
    side: referenceCache.get(key),
    remember(side) {
      referenceCache.set(key, side);
      if (referenceCache.size > REFERENCES_CACHED) referenceCache.delete(referenceCache.keys().next().value as string);
      return side;
    },
  };
}

/** The reference's side, made (not cached). */
export function referenceSideOf(reference: ColourPlanes, referenceMask?: Uint8Array): ReferenceSide {
  return { colours: sortedProjections(reference, DIRECTIONS_USED, referenceMask, false), gram: gramMatrices(planesToRgb(reference), { seed: 3 }) };
}

/** `n` unit directions evenly spread over the sphere (golden-angle spiral): fixed, no seed. */
function spiral(n: number): number[][] {
  return Array.from({ length: n }, (_, d) => {
    const z = 1 - (2 * (d + 0.5)) / n;
    const r = Math.sqrt(1 - z * z);
    const a = d * 2.399963229728653;
    return [r * Math.cos(a), r * Math.sin(a), z];
  });
}

function sortedProjections(p: ColourPlanes, directions: number[][], mask: Uint8Array | undefined, asWritten: boolean): Float32Array[] {
  const stride = Math.max(1, Math.ceil(Math.sqrt((p.width * p.height) / SAMPLES)));
  const index: number[] = [];
  for (let y = 0; y < p.height; y += stride) {
    for (let x = 0; x < p.width; x += stride) {
      const i = y * p.width + x;
      if (!mask || mask[i]) index.push(i);
    }
  }
  const value = (v: number) => (asWritten ? Math.min(255, Math.max(0, Math.round(v * 255))) / 255 : v);
  const [r, g, b] = p.planes;
  return directions.map((dir) => {
    const out = new Float32Array(index.length);
    for (let j = 0; j < index.length; j++) { const i = index[j]; out[j] = dir[0] * value(r[i]) + dir[1] * value(g[i]) + dir[2] * value(b[i]); }
    return out.sort();
  });
}

function meanW1(a: Float32Array[], b: Float32Array[]): number {
  let total = 0;
  for (let d = 0; d < a.length; d++) {
    const pa = a[d];
    const pb = b[d];
    if (!pa.length || !pb.length) continue;
    let sum = 0;
    for (let q = 0; q < QUANTILES; q++) {
      const t = (q + 0.5) / QUANTILES;
      sum += Math.abs(pa[Math.floor(t * pa.length)] - pb[Math.floor(t * pb.length)]);
    }
    total += sum / QUANTILES;
  }
  return total / a.length;
}

/** `image` with the texels outside `mask` black (in place: a fresh conversion or a copy). */
function hideMasked(image: RawImage, mask?: Uint8Array): RawImage {
  if (!mask) return image;
  const c = image.channels;
  for (let i = 0; i < mask.length; i++) if (!mask[i]) for (let k = 0; k < c; k++) image.data[i * c + k] = 0;
  return image;
}
