/**
 * Novelty at the patch level: the share of a texture's texels covered by a `size`×`size` window that
 * appears verbatim (same 8-bit colour values) somewhere in the source, wrap-around included. Exact
 * matching (rolling hashes of all cyclic windows) is right for synthesis by copying, which moves texels
 * unchanged: a whole-image NCC misses a texture made of large shuffled copies; this does not.
 * Windows with no variation (flat colour) are skipped — copying flat colour is not copying content.
 */

import type { RawImage } from '../../types';

export interface CopiedRegionsOptions {
  /** Edge of the smallest copied square that counts. Default 32. */
  size?: number;
}

function texelKeys(image: RawImage): Uint32Array {
  const n = image.width * image.height;
  const keys = new Uint32Array(n);
  const ch = image.channels >= 3 ? 3 : 1;
  for (let i = 0; i < n; i++) {
    const s = i * image.channels;
    keys[i] = ch === 3 ? (image.data[s] << 16) | (image.data[s + 1] << 8) | image.data[s + 2] : image.data[s];
  }
  return keys;
}

const P1 = 0x01000193;
const P2 = 0x5bd1e995;
const Q1 = 0x27d4eb2f;
const Q2 = 0x165667b1;

function power(base: number, e: number): number {
  let r = 1;
  for (let i = 0; i < e; i++) r = Math.imul(r, base);
  return r;
}

/**
 * Two 32-bit polynomial rolling hashes of every cyclic size×size window (keyed by top-left texel),
 * packed into one exact 53-bit number; plus whether the window varies at all.
 */
function windowHashes(image: RawImage, size: number): { hash: Float64Array; varied: Uint8Array } {
  const { width, height } = image;
  const keys = texelKeys(image);
  const n = width * height;
  const row1 = new Int32Array(n);
  const row2 = new Int32Array(n);
  const pw1 = power(P1, size);
  const pw2 = power(P2, size);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    let h1 = 0;
    let h2 = 0;
    for (let k = 0; k < size; k++) {
      const v = keys[o + (k % width)];
      h1 = (Math.imul(h1, P1) + v) | 0;
      h2 = (Math.imul(h2, P2) + (v ^ 0x9e3779b9)) | 0;
    }
    for (let x = 0; x < width; x++) {
      row1[o + x] = h1;
      row2[o + x] = h2;
      const out = keys[o + x];
      const inn = keys[o + ((x + size) % width)];
      h1 = (Math.imul(h1, P1) + inn - Math.imul(out, pw1)) | 0;
      h2 = (Math.imul(h2, P2) + (inn ^ 0x9e3779b9) - Math.imul(out ^ 0x9e3779b9, pw2)) | 0;
    }
  }
  const hash = new Float64Array(n);
  const qw1 = power(Q1, size);
  const qw2 = power(Q2, size);
  for (let x = 0; x < width; x++) {
    let h1 = 0;
    let h2 = 0;
    for (let k = 0; k < size; k++) {
      const i = (k % height) * width + x;
      h1 = (Math.imul(h1, Q1) + row1[i]) | 0;
      h2 = (Math.imul(h2, Q2) + row2[i]) | 0;
    }
    for (let y = 0; y < height; y++) {
      hash[y * width + x] = (h1 >>> 0) * 2097152 + ((h2 >>> 0) & 0x1fffff);
      const out = y * width + x;
      const inn = ((y + size) % height) * width + x;
      h1 = (Math.imul(h1, Q1) + row1[inn] - Math.imul(row1[out], qw1)) | 0;
      h2 = (Math.imul(h2, Q2) + row2[inn] - Math.imul(row2[out], qw2)) | 0;
    }
  }
  // A window varies when any texel differs from its right or lower neighbour inside it: count texels
  // equal to their right neighbour per window with cyclic box sums (cheap enough and exact).
  const same = new Uint8Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      same[i] = keys[i] === keys[y * width + ((x + 1) % width)] && keys[i] === keys[((y + 1) % height) * width + x] ? 1 : 0;
    }
  }
  const varied = new Uint8Array(n);
  const rows = new Int32Array(n);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    let s = 0;
    for (let k = 0; k < size - 1; k++) s += same[o + (k % width)];
    for (let x = 0; x < width; x++) {
      rows[o + x] = s;
      s += same[o + ((x + size - 1) % width)] - same[o + x];
    }
  }
  for (let x = 0; x < width; x++) {
    let s = 0;
    for (let k = 0; k < size - 1; k++) s += rows[(k % height) * width + x];
    for (let y = 0; y < height; y++) {
      varied[y * width + x] = s < (size - 1) * (size - 1) ? 1 : 0;
      s += rows[((y + size - 1) % height) * width + x] - rows[y * width + x];
    }
  }
  return { hash, varied };
}

/**
 * @example copiedShare(variant, exemplar, { size: 32 }) // 1 for a shifted copy, 0 for a fresh texture
 */
export function copiedShare(texture: RawImage, source: RawImage, options: CopiedRegionsOptions = {}): number {
  const size = Math.max(2, Math.min(options.size ?? 32, texture.width, texture.height, source.width, source.height));
  const src = windowHashes(source, size);
  const known = new Set<number>();
  for (let i = 0; i < src.hash.length; i++) if (src.varied[i]) known.add(src.hash[i]);
  const tex = windowHashes(texture, size);
  const { width, height } = texture;
  // Mark the top-left corners of matching windows, then spread each mark over its window (cyclic).
  const hit = new Uint8Array(width * height);
  for (let i = 0; i < hit.length; i++) hit[i] = tex.varied[i] && known.has(tex.hash[i]) ? 1 : 0;
  // Covered texel (x,y) iff some hit corner lies in [x-size+1, x] × [y-size+1, y] (cyclic).
  const rows = new Int32Array(width * height);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    let s = 0;
    for (let k = 0; k < size; k++) s += hit[o + ((width - k) % width)];
    for (let x = 0; x < width; x++) {
      rows[o + x] = s;
      s += hit[o + ((x + 1) % width)] - hit[o + ((x - size + 1 + width * 2) % width)];
    }
  }
  let covered = 0;
  for (let x = 0; x < width; x++) {
    let s = 0;
    for (let k = 0; k < size; k++) s += rows[((height - k) % height) * width + x];
    for (let y = 0; y < height; y++) {
      if (s > 0) covered++;
      s += rows[((y + 1) % height) * width + x] - rows[((y - size + 1 + height * 2) % height) * width + x];
    }
  }
  return covered / (width * height);
}
