/** Separable box blur with wrap-around edges, for periodic tiles. */
export function boxBlurWrap(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const tmp = new Float32Array(w * h), out = new Float32Array(w * h);
  const norm = 1 / (2 * r + 1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += src[y * w + (((x + k) % w) + w) % w];
      tmp[y * w + x] = s * norm;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += tmp[((((y + k) % h) + h) % h) * w + x];
      out[y * w + x] = s * norm;
    }
  }
  return out;
}
