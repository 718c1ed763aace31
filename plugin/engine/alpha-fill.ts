/**
 * Colour under fully transparent texels is invisible, and often black or left-over garbage. A
 * neural model sees it anyway, through its receptive field, and drags it into the visible texels
 * along every cut-out edge (dark halos around foliage and decals). Before the model, those texels
 * are filled with the colour of their visible surroundings by push-pull: average the visible
 * texels down a pyramid, then fill each hole from the coarsest level that has colour there.
 * Visible texels (alpha > 0) are never changed.
 */

import type { RawImage } from '../types';

/** Returns a copy of an RGBA / grey+alpha image with the colour of alpha-0 texels filled in. */
export function fillTransparent(image: RawImage): RawImage {
  const { width, height, channels } = image;
  if (channels !== 2 && channels !== 4) return image;
  const colours = channels - 1;
  const alpha = channels - 1;
  let holes = 0;
  for (let i = alpha; i < image.data.length; i += channels) if (image.data[i] === 0) holes++;
  if (holes === 0 || holes === width * height) return image;

  // Level 0: colour and a known/unknown weight per texel.
  type Level = { w: number; h: number; colour: Float32Array; weight: Float32Array };
  const base: Level = { w: width, h: height, colour: new Float32Array(width * height * colours), weight: new Float32Array(width * height) };
  for (let i = 0; i < width * height; i++) {
    if (image.data[i * channels + alpha] === 0) continue;
    base.weight[i] = 1;
    for (let c = 0; c < colours; c++) base.colour[i * colours + c] = image.data[i * channels + c];
  }
  // Push: weighted 2x2 averages until one texel is left.
  const levels = [base];
  while (levels[levels.length - 1].w > 1 || levels[levels.length - 1].h > 1) {
    const f = levels[levels.length - 1];
    const w = Math.ceil(f.w / 2);
    const h = Math.ceil(f.h / 2);
    const next: Level = { w, h, colour: new Float32Array(w * h * colours), weight: new Float32Array(w * h) };
    for (let y = 0; y < f.h; y++) {
      for (let x = 0; x < f.w; x++) {
        const s = y * f.w + x;
        const d = (y >> 1) * w + (x >> 1);
        const wt = f.weight[s];
        if (wt === 0) continue;
        next.weight[d] += wt;
        for (let c = 0; c < colours; c++) next.colour[d * colours + c] += f.colour[s * colours + c] * wt;
      }
    }
    for (let d = 0; d < w * h; d++) {
      const wt = next.weight[d];
      if (wt > 0) for (let c = 0; c < colours; c++) next.colour[d * colours + c] /= wt;
    }
    levels.push(next);
  }
  // Pull: every hole takes the colour of its parent, coarse to fine.
  for (let l = levels.length - 2; l >= 0; l--) {
    const f = levels[l];
    const parent = levels[l + 1];
    for (let y = 0; y < f.h; y++) {
      for (let x = 0; x < f.w; x++) {
        const s = y * f.w + x;
        if (f.weight[s] > 0) continue;
        const p = (y >> 1) * parent.w + (x >> 1);
        for (let c = 0; c < colours; c++) f.colour[s * colours + c] = parent.colour[p * colours + c];
        f.weight[s] = 1e-6; // filled: counts as known for the finer level
      }
    }
  }
  const out = new Uint8Array(image.data);
  for (let i = 0; i < width * height; i++) {
    if (image.data[i * channels + alpha] !== 0) continue;
    for (let c = 0; c < colours; c++) out[i * channels + c] = Math.round(base.colour[i * colours + c]);
  }
  return { data: out, width, height, channels };
}
