/**
 * Colour transfer by sliced optimal transport (Pitié, Kokaram & Dahyot 2005, "iterative distribution
 * transfer"): rotate the RGB cloud by a random rotation, match each of the three axes' 1-D
 * distributions to the reference's along the same axes, rotate back; repeat. The input's colours
 * converge to the reference's colour distribution while each texel keeps its rank along every axis,
 * so the texture's structure (which texel is lighter than which) is held.
 */

import type { ColourPlanes } from './planes';
import { matchToQuantiles, quantileFunction } from './quantiles';
import { randomRotation3, type Random } from './random';

export interface SlicedOtOptions {
  /** Rotations (each matches 3 axes). Default 12: the colour sliced-Wasserstein distance stops falling after ~10. */
  iterations?: number;
  /** Texels that count for the input's distribution (alpha > 0); all count when absent. */
  mask?: Uint8Array;
  /** Same for the reference. */
  referenceMask?: Uint8Array;
}

/** Reference texels kept for its colour distribution (an even stride; plenty for 1024 quantiles). */
const REFERENCE_SAMPLE = 1 << 16;

/** Every k-th texel's colour (and mask) so at most `max` remain. */
function sampleTexels(p: ColourPlanes, mask: Uint8Array | undefined, max: number): { planes: Float32Array[]; mask?: Uint8Array } {
  const n = p.width * p.height;
  const stride = Math.ceil(n / max);
  if (stride === 1) return { planes: p.planes, mask };
  const count = Math.ceil(n / stride);
  const pick = (src: Uint8Array | Float32Array, out: Uint8Array | Float32Array) => {
    for (let i = 0, j = 0; j < count; i += stride, j++) out[j] = src[i];
    return out;
  };
  return {
    planes: p.planes.map((q) => pick(q, new Float32Array(count)) as Float32Array),
    mask: mask && (pick(mask, new Uint8Array(count)) as Uint8Array),
  };
}

/** Moves `input`'s RGB distribution onto `reference`'s (both 3 planes); returns new planes. */
export function slicedOtColour(input: ColourPlanes, reference: ColourPlanes, random: Random, options: SlicedOtOptions = {}): ColourPlanes {
  const iterations = options.iterations ?? 12;
  const n = input.width * input.height;
  const x = input.planes.map((p) => p.slice());
  const { planes: r, mask: refMask } = sampleTexels(reference, options.referenceMask, REFERENCE_SAMPLE);
  const m = r[0].length;
  const proj = new Float32Array(n);
  const refProj = new Float32Array(m);
  for (let it = 0; it < iterations; it++) {
    const rot = randomRotation3(random);
    for (const [a, b, c] of rot) {
      for (let i = 0; i < n; i++) proj[i] = a * x[0][i] + b * x[1][i] + c * x[2][i];
      for (let i = 0; i < m; i++) refProj[i] = a * r[0][i] + b * r[1][i] + c * r[2][i];
      const mapped = matchToQuantiles(proj, quantileFunction(refProj, refMask), options.mask);
      for (let i = 0; i < n; i++) {
        const d = mapped[i] - proj[i];
        x[0][i] += d * a;
        x[1][i] += d * b;
        x[2][i] += d * c;
      }
    }
  }
  return { width: input.width, height: input.height, planes: x };
}
