/**
 * The exemplar as the synthesis sees it: one interleaved float feature image built from EVERY map of
 * the set (so a match must agree in colour, relief and roughness at once), and its Gaussian stack
 * (Lefebvre & Hoppe 2005: a pyramid without downsampling, so coordinates stay in full-resolution
 * texels at every level and any exemplar size works).
 *
 * Features per map: colour → its channels (alpha included when present); normal → X and Y (Z follows
 * from them); data (ORM, height, ...) → its channels. Each map's block is scaled to unit total
 * variance and weighted (colour 1, normal 1, data 0.5), so no map dominates by its value range.
 */

import { blurRowsH, blurRowsV, type BlurShape } from './blur';
import type { VaryMap } from './types';
import { sharedCopy, type VaryThreads } from './vary-threads';

export interface Exemplar {
  width: number;
  height: number;
  /** Features per texel. */
  channels: number;
  /** Level l = blurred to scale 2^l; interleaved [texel * channels + c]. */
  stack: Float32Array[];
  /** Whether lookups wrap around (the exemplar tiles) or clamp at its border. */
  wrap: boolean;
}

const WEIGHT = { color: 1, normal: 1, data: 0.5 } as const;

/** Which source channels of a map feed the features. */
function featureChannels(map: VaryMap): number[] {
  const ch = map.image.channels;
  if (map.kind === 'normal') return ch >= 3 ? [0, 1] : [0];
  return Array.from({ length: ch }, (_, i) => i);
}

/** Level-0 features of a map set. */
export function featureImage(maps: VaryMap[]): { data: Float32Array; channels: number } {
  const { width, height } = maps[0].image;
  const n = width * height;
  const blocks = maps.map((m) => ({ map: m, chans: featureChannels(m) }));
  const channels = blocks.reduce((s, b) => s + b.chans.length, 0);
  const data = new Float32Array(n * channels);
  let offset = 0;
  for (const { map, chans } of blocks) {
    const src = map.image.data;
    const stride = map.image.channels;
    // Block variance (sum over its channels), to scale the block to unit total variance.
    let variance = 0;
    const means = chans.map((c) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += src[i * stride + c];
      return s / n;
    });
    chans.forEach((c, k) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += (src[i * stride + c] - means[k]) ** 2;
      variance += s / n;
    });
    const scale = WEIGHT[map.kind] / Math.sqrt(Math.max(variance, 1));
    chans.forEach((c, k) => {
      for (let i = 0; i < n; i++) data[i * channels + offset + k] = (src[i * stride + c] - means[k]) * scale;
    });
    offset += chans.length;
  }
  return { data, channels };
}

/**
 * One separable [1 4 6 4 1]/16 blur with taps `step` texels apart (à trous), wrapping or clamping; its two
 * passes split by rows over `threads` when given (the same result: each row's sums are made alike).
 */
function blurStep(src: Float32Array, width: number, height: number, channels: number, step: number, wrap: boolean, threads?: VaryThreads): Float32Array {
  const b: BlurShape = { width, height, channels, step, wrap };
  const floats = (n: number) => (threads ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n));
  const tmp = floats(src.length);
  const out = floats(src.length);
  if (!threads) {
    blurRowsH(src, tmp, b, 0, height);
    blurRowsV(tmp, out, b, 0, height);
    return out;
  }
  // src is shared too: every level after the first is a previous step's out.
  const shared = src.buffer instanceof SharedArrayBuffer ? src : sharedCopy(src);
  threads.split(height, (rows) => ({ kind: 'blur-h', src: shared, tmp, shape: b, rows }), (y0, y1) => blurRowsH(shared, tmp, b, y0, y1));
  threads.split(height, (rows) => ({ kind: 'blur-v', tmp, out, shape: b, rows }), (y0, y1) => blurRowsV(tmp, out, b, y0, y1));
  return out;
}

/** Builds the exemplar's feature stack up to `levels` (level 0 unblurred); the blurs split over `threads` when given. */
export function buildExemplar(maps: VaryMap[], levels: number, wrap: boolean, threads?: VaryThreads): Exemplar {
  const { width, height } = maps[0].image;
  const { data, channels } = featureImage(maps);
  const stack = [data];
  for (let l = 1; l <= levels; l++) stack.push(blurStep(stack[l - 1], width, height, channels, 1 << (l - 1), wrap, threads));
  return { width, height, channels, stack, wrap };
}
