/** `[0, 1, ..., n - 1]`: channel indices. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
