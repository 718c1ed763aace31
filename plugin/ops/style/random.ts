/** A small seeded PRNG (mulberry32) and helpers: every random choice in style transfer comes from the seed. */

export type Random = () => number;

/** Uniform numbers in [0, 1) from a 32-bit seed; the same seed gives the same sequence on every platform. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviate (Box–Muller). */
export function gaussian(random: Random): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

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
