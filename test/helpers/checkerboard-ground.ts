/**
 * An organic ground laid out as a two-tile checkerboard [[A, B], [B, A]] of 128-px tiles (held-out set 9's
 * Scorched 3D grounds): it repeats exactly under (128, 128) and (128, −128), so its right half holds its left
 * half's texels.
 */
import { hashRandom } from '../../plugin/ops/vary/hash-random';
import type { RawImage } from '../../plugin/types';

export const SIDE = 256;
export const TILE = 128;

/**
 * Random-phase waves whose wave vectors (m, n) / SIDE have m + n even (so the field repeats under (128, 128)),
 * amplitude ∝ 1 / |k|: broad organic shapes; plus a per-texel grain keyed to the position in the fundamental
 * domain. Three channels, slightly different.
 */
export function checkerboardGround(): RawImage {
  const field = new Float64Array(SIDE * SIDE);
  const K = 12;
  for (let m = -K; m <= K; m++) {
    for (let n = 0; n <= K; n++) {
      if ((m + n) % 2 !== 0 || (n === 0 && m <= 0)) continue;
      const amp = 1 / Math.hypot(m, n);
      const phase = 2 * Math.PI * hashRandom(11, m + K, n, 0);
      const cx = Array.from({ length: SIDE }, (_, x) => (2 * Math.PI * m * x) / SIDE);
      for (let y = 0; y < SIDE; y++) {
        const py = (2 * Math.PI * n * y) / SIDE + phase;
        for (let x = 0; x < SIDE; x++) field[y * SIDE + x] += amp * Math.cos(cx[x] + py);
      }
    }
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of field) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const data = new Uint8Array(SIDE * SIDE * 3);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      // the texel's place in the fundamental domain (rows 0..127, any column): the grain repeats with the field
      const fx = y >= TILE ? (x + TILE) % SIDE : x;
      const fy = y % TILE;
      const v = 40 + (170 * (field[y * SIDE + x] - lo)) / (hi - lo) + 30 * (hashRandom(12, fx, fy, 0) - 0.5);
      data.set([v, v * 0.95 + 8, v * 0.8 + 20].map((c) => Math.max(0, Math.min(255, Math.round(c)))), (y * SIDE + x) * 3);
    }
  }
  return { data, width: SIDE, height: SIDE, channels: 3 };
}


/**
 * The checkerboard ground with wear that does NOT repeat (set 10's dirtbrick: the grooves repeat under (128, 128),
 * the dirt does not): broad waves (m, n) with m + n odd, which change sign under (128, 128), scaled to `amount`
 * levels of standard deviation. At 15 the two tiles differ by about a fifth of the luma variance off the mean cell.
 */
export function wornCheckerboardGround(amount = 15): RawImage {
  const ground = checkerboardGround();
  const K = 6;
  const wear = new Float64Array(SIDE * SIDE);
  for (let m = -K; m <= K; m++) {
    for (let n = 0; n <= K; n++) {
      if (Math.abs(m + n) % 2 !== 1 || (n === 0 && m <= 0)) continue;
      const amp = 1 / Math.hypot(m, n);
      const phase = 2 * Math.PI * hashRandom(21, m + K, n, 0);
      for (let y = 0; y < SIDE; y++) {
        for (let x = 0; x < SIDE; x++) wear[y * SIDE + x] += amp * Math.cos((2 * Math.PI * (m * x + n * y)) / SIDE + phase);
      }
    }
  }
  let sd = 0;
  for (const v of wear) sd += v * v;
  sd = Math.sqrt(sd / wear.length);
  const data = new Uint8Array(ground.data.length);
  for (let i = 0; i < SIDE * SIDE; i++) {
    for (let c = 0; c < 3; c++) data[i * 3 + c] = Math.max(0, Math.min(255, Math.round(ground.data[i * 3 + c] + (amount * wear[i]) / sd)));
  }
  return { ...ground, data };
}
