/**
 * A decorrelated colour space for per-band matching: luma and two colour-difference axes (BT.601
 * YCbCr without offsets). Grain and contrast live mostly in luma; matching bands per axis here keeps
 * chroma noise from being driven by luma statistics. The transform is linear and exactly invertible.
 */

import type { ColourPlanes } from './planes';

export function rgbToOpponent(p: ColourPlanes): ColourPlanes {
  const [r, g, b] = p.planes;
  const n = r.length;
  const y = new Float32Array(n);
  const cb = new Float32Array(n);
  const cr = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const Y = 0.299 * r[i] + 0.587 * g[i] + 0.114 * b[i];
    y[i] = Y;
    cb[i] = 0.564 * (b[i] - Y);
    cr[i] = 0.713 * (r[i] - Y);
  }
  return { width: p.width, height: p.height, planes: [y, cb, cr] };
}

export function opponentToRgb(p: ColourPlanes): ColourPlanes {
  const [y, cb, cr] = p.planes;
  const n = y.length;
  const r = new Float32Array(n);
  const g = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const R = y[i] + cr[i] / 0.713;
    const B = y[i] + cb[i] / 0.564;
    r[i] = R;
    b[i] = B;
    g[i] = (y[i] - 0.299 * R - 0.114 * B) / 0.587;
  }
  return { width: p.width, height: p.height, planes: [r, g, b] };
}

/**
 * Back to RGB keeping luma exact where a colour cannot be shown at it: a texel's colour-difference pair
 * is scaled down (hue kept) just enough that no channel leaves 0..1, and luma itself is clamped to 0..1.
 * Why: clamping channels one by one changes luma, and by a lot at the dark end (a saturated colour
 * transported onto a near-black texel: its two negative channels clamp to 0 and lift it), which broke the
 * layout of dark textures (openarena/nexuiz: near-black mean luma 5/255 lifted to 25 at no shift at all).
 */
export function opponentToRgbInGamut(p: ColourPlanes): ColourPlanes {
  const [y, cb, cr] = p.planes;
  const n = y.length;
  const r = new Float32Array(n);
  const g = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const Y = y[i] < 0 ? 0 : y[i] > 1 ? 1 : y[i];
    const dr = cr[i] / 0.713;
    const db = cb[i] / 0.564;
    const dg = (-0.299 * dr - 0.114 * db) / 0.587;
    // The same three checks in order, without an array per texel (this runs for every texel of every shift tried).
    const k = gamutScale(Y, db, gamutScale(Y, dg, gamutScale(Y, dr, 1)));
    r[i] = Y + k * dr;
    g[i] = Y + k * dg;
    b[i] = Y + k * db;
  }
  return { width: p.width, height: p.height, planes: [r, g, b] };
}

/** `k`, lowered if needed so that luma `y` plus `k` times the channel's difference `d` stays within 0..1. */
function gamutScale(y: number, d: number, k: number): number {
  if (y + k * d > 1) return (1 - y) / d;
  if (y + k * d < 0) return y / -d;
  return k;
}
