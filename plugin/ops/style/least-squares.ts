/**
 * Least-squares slope of `y` on `x` through the origin (values where `mask` is 0 left out): how much of
 * a colour plane's detail its luma predicts (statistics-transfer.ts's colour-on-luma coupling, the part
 * chroma-grain.ts leaves out). 0 when `x` is all zero.
 *
 * @example
 * const beta = leastSquaresSlope(chromaBand, lumaBand, mask); // chroma ≈ beta · luma
 */
export function leastSquaresSlope(y: Float32Array, x: Float32Array, mask?: Uint8Array): number {
  let xy = 0;
  let xx = 0;
  for (let i = 0; i < x.length; i++) {
    if (mask && !mask[i]) continue;
    xy += x[i] * y[i];
    xx += x[i] * x[i];
  }
  return xx > 0 ? xy / xx : 0;
}
