/** A small seeded PRNG (mulberry32) and helpers: every random choice in style transfer comes from the seed. */

import { gaussian, seededRandom } from '../../metrics/texture-stats/seeded-random';

export type Random = () => number;
export { gaussian, seededRandom };

/** A random 3x3 rotation (rows orthonormal), by Gram–Schmidt on Gaussian vectors. */
export function randomRotation3(random: Random): number[][] {
  const rows: number[][] = [];
  while (rows.length < 3) {
    const v = [gaussian(random), gaussian(random), gaussian(random)];
    for (const r of rows) {
      const d = v[0] * r[0] + v[1] * r[1] + v[2] * r[2];
      for (let k = 0; k < 3; k++) v[k] -= d * r[k];
    }
    const n = Math.hypot(v[0], v[1], v[2]);
    if (n < 1e-6) continue;
    rows.push(v.map((x) => x / n));
  }
  return rows;
}
