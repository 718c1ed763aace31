/**
 * Kind-aware neural upscaling with a loaded model (see onnx-model.ts), tiled (see tiler.ts).
 *
 * - colour: RGB through the model (colour under alpha 0 first filled from its visible surroundings,
 *   see alpha-fill.ts); alpha resampled with Lanczos-3, row by row into the output. Alpha is mostly
 *   smooth masks and cut-out edges: Lanczos keeps it predictable and costs nothing next to a
 *   second model run, and colour models were trained on colour statistics, not masks.
 *   Grey images are replicated to RGB and the output's mean taken.
 * - normal: encoded XYZ through the model as if RGB, then renormalised with z >= 0, so whatever
 *   the model invents is always a valid unit vector. A 4th channel is data (Lanczos).
 * - data: every channel on its own, replicated to grey RGB, through the model; output mean taken.
 *   Packed maps (occlusion/roughness/metalness) are unrelated signals: running them as one RGB
 *   image would let a colour model trade detail between them. The channels go through as one
 *   batch (N = channels) when the model takes batches: one tiling pass, one run per tile.
 *
 * Scale: a model of scale s serves a request r by running once when s = r; otherwise it runs
 * ceil(log_s r) times (an x2 model twice for x4) and, if that overshoots (an x4 model for x2, an
 * x3 model), the result is brought to exactly r with kind-aware Lanczos.
 */

import type { RawImage, TextureKind } from '../types';
import { fillTransparent } from './alpha-fill';
import { enlargeChannelsInto, resizeClassical } from './classical';
import type { ModelHandle } from './onnx-model';
import { unitNormal } from './normal';
import { blankImage } from './pixels';
import { range } from './range';
import { runTiled, type TexelSink, type TileLayout, type TileReader } from './tiler';
import { crop, wrapPad } from './wrap';

export interface NeuralOptions {
  scale: number;
  kind: TextureKind;
  seamless: boolean;
  layout: TileLayout;
  /** Rows of the output that are final, as they are (see UpscaleOptions.onRows); only for a single pass. */
  onRows?: (image: RawImage, rows: number) => void;
}

/** How many model passes a request needs and whether a final Lanczos resize brings it to size. */
export function planPasses(modelScale: number, requested: number): { passes: number; resize: boolean } {
  let passes = 1;
  while (modelScale ** passes < requested) passes++;
  return { passes, resize: modelScale ** passes !== requested };
}

export async function upscaleNeural(image: RawImage, model: ModelHandle, opts: NeuralOptions): Promise<RawImage> {
  const { passes, resize } = planPasses(model.info.scale, opts.scale);
  let current = image;
  // Only the last pass makes output rows, and only when nothing resizes them afterwards.
  const last = (i: number) => (i === passes - 1 && !resize ? opts : { ...opts, onRows: undefined });
  for (let i = 0; i < passes; i++) current = await modelPass(current, model, last(i));
  if (resize) current = await resizeClassical(current, image.width * opts.scale, image.height * opts.scale, opts.kind);
  return current;
}

/** One pass of the model over the image, by kind, wrap-padded when seamless. */
async function modelPass(image: RawImage, model: ModelHandle, opts: NeuralOptions): Promise<RawImage> {
  const s = model.info.scale;
  if (opts.seamless) {
    // Context the tiles would see on the tiled surface; the tiler's own pad is what the model needs.
    const pad = Math.max(opts.layout.pad, 8);
    const padded = wrapPad(image, pad);
    const out = await modelPass(padded, model, { ...opts, seamless: false, onRows: undefined });
    return crop(out, pad * s, pad * s, image.width * s, image.height * s);
  }
  const out = blankImage(image.width * s, image.height * s, image.channels);
  const { kind } = opts;
  const ch = image.channels;
  // Colour hidden under alpha 0 must not leak into visible edges through the model.
  const source = kind === 'color' ? fillTransparent(image) : image;
  const job = { width: image.width, height: image.height, scale: s };
  const rest = kind === 'color' ? (ch === 4 ? [3] : ch === 2 ? [1] : []) : kind === 'normal' && ch === 4 ? [3] : [];
  // Rows are final when their strip of tiles is done, unless more channels are still to be written (rest, or
  // one tiling pass per channel below).
  const onRows = opts.onRows && !rest.length ? (rows: number) => opts.onRows?.(out, rows) : undefined;
  if (kind === 'data' || ch < 3) {
    // Per channel through the model (grey colour images too: a single luminance plane), each
    // replicated to grey RGB; all of them as one batch when the model takes batches.
    const modelChannels = kind === 'color' ? [0] : range(ch);
    const batches = model.info.batch ? [modelChannels] : modelChannels.map((c) => [c]);
    for (const channels of batches) {
      const groups = channels.map((c) => [c, c, c]);
      await runTiled({ ...job, batch: groups.length }, opts.layout, imageReader(source, groups), model.run, greyMeanSink(out, channels), batches.length === 1 ? onRows : undefined);
    }
  } else {
    await runTiled(job, opts.layout, imageReader(source, [[0, 1, 2]]), model.run, kind === 'normal' ? normalSink(out) : rgbSink(out), onRows);
  }
  if (rest.length) {
    // Alpha (or a normal map's extra channel) with Lanczos as plain data, row by row into the output.
    enlargeChannelsInto(image, rest, out);
  }
  return out;
}

/** 8-bit value / 255 as float, by lookup. */
const UNIT = Float32Array.from({ length: 256 }, (_, i) => i / 255);

/**
 * Reads model input straight from the 8-bit interleaved image, one tile at a time (no whole-image
 * float copy): `groups[b]` are the three source channels of batch item b (RGB, or one channel
 * three times for a grey image). Texels past the image repeat the edge.
 */
export function imageReader(image: RawImage, groups: number[][]): TileReader {
  const { width, height, channels: stride, data } = image;
  return (x0, y0, tw, th) => {
    const tile = new Float32Array(groups.length * 3 * tw * th);
    const inside = Math.max(0, Math.min(tw, width - x0));
    const plane = tw * th;
    groups.forEach(([c0, c1, c2], b) => {
      const base = b * 3 * plane;
      if (c0 === c1 && c1 === c2) {
        // Grey replicated: one plane converted, then copied.
        readPlane(tile, base, data, stride, width, height, x0, y0, tw, th, inside, c0);
        tile.copyWithin(base + plane, base, base + plane);
        tile.copyWithin(base + 2 * plane, base, base + plane);
      } else {
        readPlanes3(tile, base, plane, data, stride, width, height, x0, y0, tw, th, inside, c0, c1, c2);
      }
    });
    return tile;
  };
}

/*
 * The conversion loops, one texel's three channels per step, in small functions of numbers: the first
 * tile of a process is converted before V8 has optimised anything (it is on the critical path of
 * `remaster upscale`, and the interpreter's cost is per loop step), and small functions are optimised early.
 */

/** Channel c of the region into one plane at `base`, texels past the image repeating the edge. */
function readPlane(tile: Float32Array, base: number, data: Uint8Array, stride: number, width: number, height: number, x0: number, y0: number, tw: number, th: number, inside: number, c: number): void {
  for (let y = 0; y < th; y++) {
    const row = Math.min(y0 + y, height - 1) * width;
    const dst = base + y * tw;
    for (let x = 0, j = (row + x0) * stride + c; x < inside; x++, j += stride) tile[dst + x] = UNIT[data[j]];
    if (inside < tw) tile.fill(UNIT[data[(row + width - 1) * stride + c]], dst + inside, dst + tw);
  }
}

/** Channels c0, c1, c2 of the region into three consecutive planes from `base`. */
function readPlanes3(tile: Float32Array, base: number, plane: number, data: Uint8Array, stride: number, width: number, height: number, x0: number, y0: number, tw: number, th: number, inside: number, c0: number, c1: number, c2: number): void {
  for (let y = 0; y < th; y++) {
    const row = Math.min(y0 + y, height - 1) * width;
    const d0 = base + y * tw;
    const d1 = d0 + plane;
    const d2 = d1 + plane;
    for (let x = 0, j = (row + x0) * stride; x < inside; x++, j += stride) {
      tile[d0 + x] = UNIT[data[j + c0]];
      tile[d1 + x] = UNIT[data[j + c1]];
      tile[d2 + x] = UNIT[data[j + c2]];
    }
    if (inside < tw) {
      const edge = (row + width - 1) * stride;
      tile.fill(UNIT[data[edge + c0]], d0 + inside, d0 + tw);
      tile.fill(UNIT[data[edge + c1]], d1 + inside, d1 + tw);
      tile.fill(UNIT[data[edge + c2]], d2 + inside, d2 + tw);
    }
  }
}

/** A clamped view rounds and clamps on assignment: the fastest way to quantise in JS. */
function clampedView(out: RawImage): Uint8ClampedArray {
  return new Uint8ClampedArray(out.data.buffer, out.data.byteOffset, out.data.length);
}

/** Model RGB into out channels 0..2. */
function rgbSink(out: RawImage): TexelSink {
  const q = clampedView(out);
  const C = out.channels;
  return (planes, offset, count, x, y) => {
    const start = (y * out.width + x) * C;
    for (let c = 0; c < 3; c++) {
      const p = planes[c];
      for (let i = 0, j = start + c; i < count; i++, j += C) q[j] = p[offset + i] * 255;
    }
  };
}

/** Model XYZ into out channels 0..2, renormalised (z >= 0) so every texel is a unit vector. */
function normalSink(out: RawImage): TexelSink {
  const q = clampedView(out);
  const C = out.channels;
  return (planes, offset, count, x, y) => {
    const [px, py, pz] = planes;
    for (let i = 0, j = (y * out.width + x) * C; i < count; i++, j += C) {
      const [nx, ny, nz] = unitNormal(px[offset + i] * 2 - 1, py[offset + i] * 2 - 1, pz[offset + i] * 2 - 1);
      q[j] = (nx + 1) * 127.5;
      q[j + 1] = (ny + 1) * 127.5;
      q[j + 2] = (nz + 1) * 127.5;
    }
  };
}

/** Batch item b's three output planes, averaged, into out channel `channels[b]`. */
function greyMeanSink(out: RawImage, channels: number[]): TexelSink {
  const q = clampedView(out);
  const C = out.channels;
  return (planes, offset, count, x, y) => {
    const start = (y * out.width + x) * C;
    channels.forEach((c, b) => {
      const [r, g, bl] = [planes[3 * b], planes[3 * b + 1], planes[3 * b + 2]];
      for (let i = 0, j = start + c; i < count; i++, j += C) q[j] = ((r[offset + i] + g[offset + i] + bl[offset + i]) / 3) * 255;
    });
  };
}
