/**
 * Position-keyed random numbers: one integer hash of (seed, stream, x, y). Every jitter value depends
 * only on where and on which level it is used, never on visiting order, so results are byte-identical
 * whatever the order or number of workers.
 */

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform 0..1 (exclusive) for (seed, stream, x, y). */
export function hashRandom(seed: number, stream: number, x: number, y: number): number {
  let h = mix((seed | 0) ^ 0x9e3779b9);
  h = mix(h ^ Math.imul(stream + 1, 0x85ebca6b));
  h = mix(h ^ Math.imul(x + 0x632be5ab, 0xc2b2ae35));
  h = mix(h ^ Math.imul(y + 0x1b873593, 0x27d4eb2f));
  return h / 4294967296;
}
