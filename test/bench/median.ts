/** The middle value of a sample (the upper middle for an even count): benches report medians of noisy runs. */
export function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}
