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
