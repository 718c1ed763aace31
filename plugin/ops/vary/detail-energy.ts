/**
 * Texel-to-texel energy of a luma plane: the mean squared difference to the right and lower neighbour,
 * cyclic. The grain guards of colour-match.ts and spectrum-match.ts compare it with the exemplar's, so a
 * grading or a filter that would turn grain into noise (or smooth it away) is weakened or left out.
 *
 * Both allow the same drift: a graded or filtered variant's energy may be at most DETAIL_TOLERANCE times
 * further from the exemplar's (as a ratio) than the untouched variant's.
 *
 * @example
 * const e = detailEnergy((i) => luma[i], width, height);
 */
export function detailEnergy(luma: (i: number) => number, width: number, height: number): number {
  let e = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const l = luma(i);
      e += (l - luma(y * width + ((x + 1) % width))) ** 2 + (l - luma(((y + 1) % height) * width + x)) ** 2;
    }
  }
  return e / (2 * width * height);
}

/** How much further (×/÷) from the exemplar's detail energy a graded or filtered variant may go. */
export const DETAIL_TOLERANCE = 1.1;
