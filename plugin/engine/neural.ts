/**
 * Kind-aware neural upscaling with a loaded model (see onnx-model.ts), tiled (see tiler.ts).
 *
 * - colour: RGB through the model (colour under alpha 0 first filled from its visible surroundings,
 *   see alpha-fill.ts); alpha resampled with Lanczos-3 and recombined. Alpha is mostly
 *   smooth masks and cut-out edges: Lanczos keeps it predictable and costs nothing next to a
 *   second model run, and colour models were trained on colour statistics, not masks.
 *   Grey images are replicated to RGB and the output's mean taken.
 * - normal: encoded XYZ through the model as if RGB, then renormalised with z >= 0, so whatever
 *   the model invents is always a valid unit vector. A 4th channel is data (Lanczos).
 * - data: every channel on its own, replicated to grey RGB, through the model; output mean taken.
 *   Packed maps (occlusion/roughness/metalness) are unrelated signals: running them as one RGB
 *   image would let a colour model trade detail between them.
 *
 * Scale: a model of scale s serves a request r by running once when s = r; otherwise it runs
 * ceil(log_s r) times (an x2 model twice for x4) and, if that overshoots (an x4 model for x2, an
 * x3 model), the result is brought to exactly r with kind-aware Lanczos.
 */

import type { RawImage, TextureKind } from '../types';
import { fillTransparent } from './alpha-fill';
import { resizeClassical } from './classical';
import type { LoadedModel } from './onnx-model';
import { renormalisePlanes } from './normal';
import { blankImage, pickChannels, putChannels, toPlanes } from './pixels';
import { runTiled, type TileLayout } from './tiler';
import { crop, wrapPad } from './wrap';

export interface NeuralOptions {
  scale: number;
  kind: TextureKind;
  seamless: boolean;
  layout: TileLayout;
}

/** How many model passes a request needs and whether a final Lanczos resize brings it to size. */
export function planPasses(modelScale: number, requested: number): { passes: number; resize: boolean } {
  let passes = 1;
  while (modelScale ** passes < requested) passes++;
  return { passes, resize: modelScale ** passes !== requested };
}

export async function upscaleNeural(image: RawImage, model: LoadedModel, opts: NeuralOptions): Promise<RawImage> {
  const { passes, resize } = planPasses(model.info.scale, opts.scale);
  let current = image;
  for (let i = 0; i < passes; i++) current = await modelPass(current, model, opts);
  if (resize) current = await resizeClassical(current, image.width * opts.scale, image.height * opts.scale, opts.kind);
  return current;
}

/** One pass of the model over the image, by kind, wrap-padded when seamless. */
async function modelPass(image: RawImage, model: LoadedModel, opts: NeuralOptions): Promise<RawImage> {
  const s = model.info.scale;
  if (opts.seamless) {
    // Context the tiles would see on the tiled surface; the tiler's own pad is what the model needs.
    const pad = Math.max(opts.layout.pad, 8);
    const padded = wrapPad(image, pad);
    const out = await modelPass(padded, model, { ...opts, seamless: false });
    return crop(out, pad * s, pad * s, image.width * s, image.height * s);
  }
  const out = blankImage(image.width * s, image.height * s, image.channels);
  const { kind } = opts;
  const ch = image.channels;
  // Colour hidden under alpha 0 must not leak into visible edges through the model.
  const source = kind === 'color' ? fillTransparent(image) : image;
  if (kind === 'data' || ch < 3) {
    // Per channel through the model (grey colour images too: a single luminance plane).
    const modelChannels = kind === 'color' ? [0] : range(ch);
    for (const c of modelChannels) await greyThroughModel(source, c, out, model, opts.layout);
  } else {
    await rgbThroughModel(source, out, model, opts.layout, kind === 'normal');
  }
  const rest = kind === 'color' ? (ch === 4 ? [3] : ch === 2 ? [1] : []) : kind === 'normal' && ch === 4 ? [3] : [];
  if (rest.length) {
    // Alpha (or a normal map's extra channel) with Lanczos as plain data.
    const part = await resizeClassical(pickChannels(image, rest), out.width, out.height, 'data');
    putChannels(out, part, rest);
  }
  return out;
}

/** Channels 0..2 as RGB through the model, written into out channels 0..2 (renormalised for normals). */
async function rgbThroughModel(image: RawImage, out: RawImage, model: LoadedModel, layout: TileLayout, normal: boolean): Promise<void> {
  const { planes } = toPlanes(image, [0, 1, 2]);
  await runTiled(planes, image.width, image.height, model.info.scale, layout, model.run, (rows, y0, count) => {
    if (normal) renormalisePlanes(rows[0], rows[1], rows[2]);
    writeRows(out, rows, [0, 1, 2], y0, count);
  });
}

/** One channel replicated to RGB through the model; the output's channel mean goes to out channel c. */
async function greyThroughModel(image: RawImage, c: number, out: RawImage, model: LoadedModel, layout: TileLayout): Promise<void> {
  const [plane] = toPlanes(image, [c]).planes;
  await runTiled([plane, plane, plane], image.width, image.height, model.info.scale, layout, model.run, (rows, y0, count) => {
    const mean = rows[0];
    for (let i = 0; i < mean.length; i++) mean[i] = (rows[0][i] + rows[1][i] + rows[2][i]) / 3;
    writeRows(out, [mean], [c], y0, count);
  });
}

/** Quantises float rows [y0, y0+count) into the 8-bit output channels. */
function writeRows(out: RawImage, rows: Float32Array[], channels: number[], y0: number, count: number): void {
  // A clamped view rounds and clamps on assignment, much faster than doing it by hand per sample.
  const clamped = new Uint8ClampedArray(out.data.buffer, out.data.byteOffset, out.data.length);
  const start = y0 * out.width * out.channels;
  const n = count * out.width;
  channels.forEach((c, k) => {
    const plane = rows[k];
    for (let i = 0, j = start + c; i < n; i++, j += out.channels) clamped[j] = plane[i] * 255;
  });
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
