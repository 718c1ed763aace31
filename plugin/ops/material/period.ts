/**
 * Finds the repeating pattern's lattice in the guide photo: the autocorrelation of its (high-passed)
 * luminance peaks at every lattice vector, so the two shortest independent strong peaks are a basis.
 * Coarse search on a downsampled copy, then each vector is refined on the full-resolution image
 * (normalised correlation around the prediction, parabolic sub-pixel peak) at growing multiples,
 * so the error per period shrinks with the number of periods in the frame.
 */
import { fft2d } from '../../metrics/texture-stats/fft';
import type { Photo } from './types';

/** The pattern's lattice in pixels: every point p repeats at p + i·a + j·b. */
export interface Lattice {
  a: [number, number];
  b: [number, number];
  /** Normalised autocorrelation at a and b (1 = perfect repetition). */
  score: number;
}

export class NoPatternError extends Error {}

/** sRGB luminance plane of a photo. */
function lumaPlane(photo: Photo): Float64Array {
  const n = photo.width * photo.height, out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.2126 * photo.data[i * 3] + 0.7152 * photo.data[i * 3 + 1] + 0.0722 * photo.data[i * 3 + 2];
  return out;
}

/** Separable box blur with clamped edges (running sums). */
export function boxBlur(src: Float64Array, w: number, h: number, r: number): Float64Array {
  const tmp = new Float64Array(w * h), out = new Float64Array(w * h);
  const pass = (from: Float64Array, to: Float64Array, len: number, count: number, stride: number, step: number) => {
    for (let c = 0; c < count; c++) {
      const base = c * stride;
      let sum = 0;
      for (let k = -r; k <= r; k++) sum += from[base + Math.min(len - 1, Math.max(0, k)) * step];
      for (let i = 0; i < len; i++) {
        to[base + i * step] = sum / (2 * r + 1);
        sum += from[base + Math.min(len - 1, i + r + 1) * step] - from[base + Math.max(0, i - r) * step];
      }
    }
  };
  pass(src, tmp, w, h, w, 1);
  pass(tmp, out, h, w, 1, w);
  return out;
}

/** Luminance minus its large-scale blur: the pattern without lighting gradients. */
function highPass(l: Float64Array, w: number, h: number): Float64Array {
  const blur = boxBlur(l, w, h, Math.max(2, Math.round(Math.max(w, h) / 10)));
  const out = new Float64Array(l.length);
  for (let i = 0; i < l.length; i++) out[i] = l[i] - blur[i];
  return out;
}

function downsample(l: Float64Array, w: number, h: number, f: number): { data: Float64Array; w: number; h: number } {
  const dw = Math.floor(w / f), dh = Math.floor(h / f), out = new Float64Array(dw * dh);
  for (let y = 0; y < dh; y++) for (let x = 0; x < dw; x++) {
    let s = 0;
    for (let j = 0; j < f; j++) for (let i = 0; i < f; i++) s += l[(y * f + j) * w + x * f + i];
    out[y * dw + x] = s / (f * f);
  }
  return { data: out, w: dw, h: dh };
}

/** Normalised linear autocorrelation for shifts |dx| < w/2, |dy| < h/2; index (dy + h/2)·w + (dx + w/2)... returned as a lookup. */
function autocorrelation(p: Float64Array, w: number, h: number): (dx: number, dy: number) => number {
  let pw = 1, ph = 1;
  while (pw < 2 * w) pw <<= 1;
  while (ph < 2 * h) ph <<= 1;
  const re = new Float64Array(pw * ph), im = new Float64Array(pw * ph);
  let mean = 0;
  for (let i = 0; i < p.length; i++) mean += p[i];
  mean /= p.length;
  let variance = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const v = p[y * w + x] - mean;
    re[y * pw + x] = v;
    variance += v * v;
  }
  variance /= p.length;
  fft2d({ re, im }, pw, ph);
  for (let i = 0; i < re.length; i++) { re[i] = re[i] * re[i] + im[i] * im[i]; im[i] = 0; }
  fft2d({ re, im }, pw, ph, true);
  return (dx, dy) => {
    const overlap = (w - Math.abs(dx)) * (h - Math.abs(dy));
    const v = re[((dy + ph) % ph) * pw + ((dx + pw) % pw)];
    return v / (overlap * variance + 1e-12);
  };
}

/** Normalised correlation of the plane with itself shifted by integer (dx, dy), over a strided subset. */
function ncc(p: Float64Array, w: number, h: number, dx: number, dy: number, stride: number): number {
  let sab = 0, saa = 0, sbb = 0, sa = 0, sb = 0, n = 0;
  const x0 = Math.max(0, -dx), x1 = Math.min(w, w - dx), y0 = Math.max(0, -dy), y1 = Math.min(h, h - dy);
  for (let y = y0; y < y1; y += stride) {
    for (let x = x0; x < x1; x += stride) {
      const a = p[y * w + x], b = p[(y + dy) * w + x + dx];
      sab += a * b; saa += a * a; sbb += b * b; sa += a; sb += b; n++;
    }
  }
  if (n < 16) return -1;
  const cov = sab / n - (sa / n) * (sb / n);
  return cov / Math.sqrt(Math.max(1e-18, (saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2)));
}

/** Sub-pixel maximum of the full-resolution correlation near `guess`, searching ±`radius` pixels. */
function refine(p: Float64Array, w: number, h: number, guess: [number, number], radius: number, stride: number): [number, number, number] {
  const gx = Math.round(guess[0]), gy = Math.round(guess[1]);
  let best = -Infinity, bx = gx, by = gy;
  for (let dy = -radius; dy <= radius; dy++) for (let dx = -radius; dx <= radius; dx++) {
    const c = ncc(p, w, h, gx + dx, gy + dy, stride);
    if (c > best) { best = c; bx = gx + dx; by = gy + dy; }
  }
  const para = (m: number, c0: number, pl: number) => {
    const d = m - 2 * c0 + pl;
    return d < 0 ? Math.max(-0.5, Math.min(0.5, (m - pl) / (2 * d))) : 0;
  };
  const c0 = ncc(p, w, h, bx, by, 1);
  const ox = para(ncc(p, w, h, bx - 1, by, 1), c0, ncc(p, w, h, bx + 1, by, 1));
  const oy = para(ncc(p, w, h, bx, by - 1, 1), c0, ncc(p, w, h, bx, by + 1, 1));
  return [bx + ox, by + oy, best];
}

/** Lattice basis reduction (Lagrange–Gauss): the two shortest independent vectors. */
function reduce(a: [number, number], b: [number, number]): [[number, number], [number, number]] {
  const dot = (u: number[], v: number[]) => u[0] * v[0] + u[1] * v[1];
  for (let it = 0; it < 20; it++) {
    if (dot(a, a) > dot(b, b)) [a, b] = [b, a];
    const m = Math.round(dot(a, b) / dot(a, a));
    if (m === 0) break;
    b = [b[0] - m * a[0], b[1] - m * a[1]];
  }
  return [a, b];
}

/**
 * The lattice of the pattern in the guide photo. Throws NoPatternError when no pattern repeats at
 * least twice in both directions.
 */
export function findLattice(guide: Photo): Lattice {
  const { width: w, height: h } = guide;
  const full = highPass(lumaPlane(guide), w, h);
  const f = Math.max(1, Math.ceil(Math.max(w, h) / 512));
  const small = downsample(full, w, h, f);
  const A = autocorrelation(small.data, small.w, small.h);
  const mx = Math.floor(small.w / 2), my = Math.floor(small.h / 2);
  // Candidate peaks: local maxima (5×5) in the upper half-plane that rise clearly above the midpoint
  // toward the origin (which rules out the shoulders of the central peak).
  const peaks: { d: [number, number]; v: number }[] = [];
  for (let dy = 0; dy <= my; dy++) {
    for (let dx = -mx; dx <= mx; dx++) {
      if (dy === 0 && dx <= 0) continue;
      if (dx * dx + dy * dy < 4) continue;
      const v = A(dx, dy);
      if (v < 0.25) continue;
      let isMax = true;
      for (let j = -2; j <= 2 && isMax; j++) for (let i = -2; i <= 2; i++) {
        if ((i || j) && Math.abs(dx + i) <= mx && Math.abs(dy + j) <= my && A(dx + i, dy + j) > v) { isMax = false; break; }
      }
      if (!isMax) continue;
      if (v - A(Math.round(dx / 2), Math.round(dy / 2)) < 0.15) continue;
      peaks.push({ d: [dx, dy], v });
    }
  }
  if (!peaks.length) throw new NoPatternError('no repeating pattern found in the guide photo (reshoot with at least 2×2 repeats of the pattern in frame)');
  const top = Math.max(...peaks.map((p) => p.v));
  // Sub-patterns (a grid of identical plates in differently coloured rows) make strong peaks at
  // fractions of the true period (and game textures often nearly repeat inside themselves); only
  // peaks nearly as strong as the best one count.
  const strong = peaks.filter((p) => p.v >= top - 0.03).sort((p, q) => Math.hypot(...p.d) - Math.hypot(...q.d));
  const a0 = strong[0].d;
  const b0 = strong.find((p) => Math.abs(a0[0] * p.d[1] - a0[1] * p.d[0]) > 0.3 * Math.hypot(...a0) * Math.hypot(...p.d))?.d;
  if (!b0) throw new NoPatternError('the guide photo repeats in one direction only (reshoot with at least 2×2 repeats of the pattern in frame)');
  let [a, b] = reduce([a0[0] * f, a0[1] * f], [b0[0] * f, b0[1] * f]);
  // Refine on full resolution at growing multiples of each vector. The coarse integer search may skip
  // pixels; the sub-pixel fit may not (a strided subset makes the peak lopsided for periodic patterns).
  const stride = Math.max(1, Math.round(Math.sqrt((w * h) / 250_000)));
  let score = 1;
  const refineVector = (v: [number, number]): [number, number] => {
    let est = refine(full, w, h, v, f + 1, stride);
    let cur: [number, number] = [est[0], est[1]];
    score = Math.min(score, est[2]);
    for (let k = 2; ; k *= 2) {
      if (Math.abs(cur[0] * k) > w * 0.6 || Math.abs(cur[1] * k) > h * 0.6) break;
      est = refine(full, w, h, [cur[0] * k, cur[1] * k], 2, stride);
      cur = [est[0] / k, est[1] / k];
    }
    const snap = (x: number) => (Math.abs(x - Math.round(x)) < 0.08 ? Math.round(x) : x);
    return [snap(cur[0]), snap(cur[1])];
  };
  a = refineVector(a);
  b = refineVector(b);
  // Convention: a is the more horizontal vector pointing +x, b points down (+y in image rows).
  if (Math.abs(a[0]) < Math.abs(b[0])) [a, b] = [b, a];
  if (a[0] < 0) a = [-a[0], -a[1]];
  if (b[1] < 0) b = [-b[0], -b[1]];
  if (Math.abs(a[0]) > w / 2 + 1 || Math.abs(b[1]) > h / 2 + 1) {
    throw new NoPatternError('the pattern repeats fewer than 2 times across the frame (reshoot from further away or with a wider lens)');
  }
  return { a, b, score };
}
