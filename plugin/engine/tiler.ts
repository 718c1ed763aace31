/**
 * Tiled inference: runs a model over an image of any size in fixed-size tiles, so memory is bounded
 * by a tile's activations plus a few thin blend buffers, whatever the texture size.
 *
 * Layout along each axis: the image is cut into n equal "cores"; each tile is its core plus `pad`
 * texels of real neighbouring context on every side (shifted inward at the image border, so every
 * tile has the same shape: fixed-size models and WebGPU shader caches like that). Where two cores
 * meet, the two tiles' outputs are cross-faded over `2 * blend` texels with linear ramps that sum
 * to exactly 1, so no weight buffer is needed. With pad >= the model's receptive field the tiles
 * agree and the result equals a single pass; with a larger field the ramp hides the difference.
 *
 * Output: every output texel that one tile alone covers (weight 1: nearly all of them) goes from
 * the model's output straight to the sink, which quantises it into the 8-bit image. Only the
 * blend zones are accumulated in float: one vertical seam (2 * blend * scale columns x a strip's
 * rows) and two horizontal bands (2 * blend * scale rows x the output width: the band above the
 * current strip, finished when the strip is, and the band below it). For x4 of 4096² that is
 * ~25 MB of float instead of two 180 MB strip buffers, and no whole-image float copy of the input:
 * `read` converts each tile from the 8-bit source as it is needed.
 *
 * The next tile is read and handed to `run` before the current one's output is blended, so with an
 * asynchronous runner (the inference worker) blending overlaps inference.
 */

/**
 * Runs the model on one tile: `batch` images of 3 x h x w (CHW, batch-major); returns
 * batch x 3 x (h*scale) x (w*scale).
 */
export type TileRun = (tile: Float32Array, width: number, height: number, batch?: number) => Promise<Float32Array>;

/** Returns the model input for the input region at (x0, y0), tw x th, edge texels replicated past the image. */
export type TileReader = (x0: number, y0: number, tw: number, th: number) => Float32Array;

/**
 * Receives final float values for `count` output texels of row `y` starting at column `x`: plane p's
 * values are `planes[p][offset .. offset + count)`. Called exactly once per output texel, in no
 * particular order. The sink may change the values in place (they are not used again).
 */
export type TexelSink = (planes: Float32Array[], offset: number, count: number, x: number, y: number) => void;

export interface TileLayout {
  /** Tile size in input texels (the model's fixed size, or chosen per device). */
  tileWidth: number;
  tileHeight: number;
  /** Context texels around each core. */
  pad: number;
  /** True when the model only takes exactly tile x tile: small images are edge-padded up to it. */
  fixed: boolean;
}

/** What runTiled works on: input size, model scale, and how many images go through per run. */
export interface TiledJob {
  width: number;
  height: number;
  scale: number;
  /** Images per model run (a batch of grey channels); each has 3 output planes. Default 1. */
  batch?: number;
}

/** One axis of the tile grid. */
interface AxisPlan {
  /** Core start/end per tile, in input texels. */
  cores: Array<[number, number]>;
  /** Region start per tile (input texels) and the region length shared by all tiles. */
  starts: number[];
  length: number;
  /** Half-width of the cross-fade, in input texels. */
  blend: number;
}

export function planAxis(size: number, tile: number, layout: TileLayout): AxisPlan {
  if (!layout.fixed && size <= tile) return { cores: [[0, size]], starts: [0], length: size, blend: 0 };
  if (layout.fixed && size <= tile) return { cores: [[0, size]], starts: [0], length: tile, blend: 0 };
  const maxCore = tile - 2 * layout.pad;
  if (maxCore < 1) throw new Error(`tile ${tile} is too small for ${layout.pad} texels of overlap`);
  const n = Math.ceil(size / maxCore);
  // Dynamic models get the smallest tile that still covers the cores: a 512² texture with 256²
  // tiles runs 3x3 tiles of 203², not of 256² (1.4x the texels instead of 2.25x).
  const length = layout.fixed ? tile : Math.min(tile, Math.ceil(size / n) + 2 * layout.pad);
  const cores: Array<[number, number]> = [];
  for (let k = 0; k < n; k++) cores.push([Math.floor((k * size) / n), Math.floor(((k + 1) * size) / n)]);
  const starts = cores.map(([s]) => Math.min(Math.max(s - layout.pad, 0), size - length));
  const minCore = Math.min(...cores.map(([s, e]) => e - s));
  const blend = Math.min(Math.floor(layout.pad / 2), Math.floor(minCore / 2));
  return { cores, starts, length, blend };
}

/** Output range of one tile along an axis and its weight at each output texel. */
interface AxisWeights {
  lo: number;
  weights: Float32Array;
  /** [fullFrom, fullTo): the indices where the weight is exactly 1 (no other tile contributes). */
  fullFrom: number;
  fullTo: number;
}

function axisWeights(plan: AxisPlan, k: number, scale: number, outSize: number): AxisWeights {
  const [s, e] = plan.cores[k];
  const b = plan.blend;
  const first = k === 0;
  const last = k === plan.cores.length - 1;
  const lo = first ? 0 : (s - b) * scale;
  const hi = last ? outSize : (e + b) * scale;
  const weights = new Float32Array(hi - lo);
  for (let x = lo; x < hi; x++) {
    const c = x + 0.5;
    let w = 1;
    if (!first && b > 0) w = Math.min(w, (c - (s - b) * scale) / (2 * b * scale));
    if (!last && b > 0) w = Math.min(w, ((e + b) * scale - c) / (2 * b * scale));
    weights[x - lo] = Math.max(0, Math.min(1, w));
  }
  let fullFrom = 0;
  while (fullFrom < weights.length && weights[fullFrom] !== 1) fullFrom++;
  let fullTo = weights.length;
  while (fullTo > fullFrom && weights[fullTo - 1] !== 1) fullTo--;
  return { lo, weights, fullFrom, fullTo };
}

/** A reader over CHW float planes (3 per image, batch-major), for tests and float sources. */
export function planesReader(planes: Float32Array[], width: number, height: number): TileReader {
  return (x0, y0, tw, th) => {
    const tile = new Float32Array(planes.length * tw * th);
    const inside = Math.max(0, Math.min(tw, width - x0));
    planes.forEach((plane, c) => {
      const base = c * tw * th;
      for (let y = 0; y < th; y++) {
        const row = Math.min(y0 + y, height - 1) * width;
        const dst = base + y * tw;
        tile.set(plane.subarray(row + x0, row + x0 + inside), dst);
        if (inside < tw) tile.fill(plane[row + width - 1], dst + inside, dst + tw);
      }
    });
    return tile;
  };
}

/**
 * Runs `run` over the image tile by tile and hands every output texel, blended, to `sink` once.
 * `onRows(rows)`, if given, is called after each strip of tiles: every texel of output rows [0, rows)
 * has been handed to the sink (rows grow with each call; the last call has them all).
 */
export async function runTiled(job: TiledJob, layout: TileLayout, read: TileReader, run: TileRun, sink: TexelSink, onRows?: (rows: number) => void): Promise<void> {
  const { width, height, scale } = job;
  const batch = job.batch ?? 1;
  const channels = 3 * batch;
  const outW = width * scale;
  const outH = height * scale;
  const px = planAxis(width, layout.tileWidth, layout);
  const py = planAxis(height, layout.tileHeight, layout);
  const xWeights = px.cores.map((_, k) => axisWeights(px, k, scale, outW));
  const yWeights = py.cores.map((_, j) => axisWeights(py, j, scale, outH));
  const tw = px.length * scale;
  const th = py.length * scale;
  const area = tw * th;

  // Blend buffers: a vertical seam between neighbouring tiles of a strip, and the horizontal bands
  // above and below the current strip (see the file comment).
  const seamW = Math.max(0, ...xWeights.map((w) => Math.max(w.fullFrom, w.weights.length - w.fullTo)));
  const stripRows = Math.max(...yWeights.map((w) => w.weights.length));
  const bandH = Math.max(0, ...yWeights.map((w) => Math.max(w.fullFrom, w.weights.length - w.fullTo)));
  const planesOf = (n: number) => Array.from({ length: channels }, () => new Float32Array(n));
  const seam = planesOf(seamW * stripRows);
  let bandAbove = planesOf(bandH * outW);
  let bandBelow = planesOf(bandH * outW);

  const order: Array<[number, number]> = [];
  for (let j = 0; j < py.cores.length; j++) for (let k = 0; k < px.cores.length; k++) order.push([j, k]);
  const start = (i: number): Promise<Float32Array> => {
    const [j, k] = order[i];
    const pending = run(read(px.starts[k], py.starts[j], px.length, py.length), px.length, py.length, batch);
    pending.catch(() => undefined); // awaited below; never an unhandled rejection if blending throws first
    return pending;
  };

  let next = start(0);
  for (let i = 0; i < order.length; i++) {
    const [j, k] = order[i];
    const out = await next;
    if (i + 1 < order.length) next = start(i + 1);
    if (out.length !== channels * area) {
      throw new Error(`model returned ${out.length} values for a ${px.length}x${py.length} tile, expected ${channels * area}`);
    }
    const src = Array.from({ length: channels }, (_, c) => out.subarray(c * area, (c + 1) * area));
    const yw = yWeights[j];
    blendTile(src, xWeights[k], yw, px.starts[k] * scale, py.starts[j] * scale, tw, { seam, seamW, bandAbove, bandBelow, outW }, sink);
    if (k === px.cores.length - 1) {
      // Strip done: the band above it has every contribution now.
      for (let r = 0; r < yw.fullFrom; r++) sink(bandAbove, r * outW, outW, 0, yw.lo + r);
      for (const p of bandAbove) p.fill(0);
      [bandAbove, bandBelow] = [bandBelow, bandAbove];
      // Rows below the strip's full-weight rows wait for the next strip (the band below).
      onRows?.(yw.lo + yw.fullTo);
    }
  }
}

/** The blend buffers of one runTiled call (see the file comment). */
interface BlendBuffers {
  seam: Float32Array[];
  seamW: number;
  bandAbove: Float32Array[];
  bandBelow: Float32Array[];
  outW: number;
}

/*
 * Blending, one small function per loop. In one big function, V8 optimised the loops on the stack
 * (OSR) before the seam and band branches had run, then threw that code away as each of them ran for
 * the first time (7 deoptimisations in the first upscale of a process): the first texture of a
 * `remaster upscale` blended at 2-3x the warm cost. Small functions each get complete type feedback
 * before they are optimised.
 */

/**
 * Hands every output texel of one tile to the sink, or to the blend buffers where another tile
 * shares it. `src[c][(oy - y0) * tw + X - x0]` is this tile's output at absolute output texel (X, oy).
 */
function blendTile(src: Float32Array[], xw: AxisWeights, yw: AxisWeights, x0: number, y0: number, tw: number, buffers: BlendBuffers, sink: TexelSink): void {
  const { seam, seamW, bandAbove, bandBelow, outW } = buffers;
  const len = xw.weights.length;
  for (let r = 0; r < yw.weights.length; r++) {
    const wy = yw.weights[r];
    if (wy === 0) continue;
    const oy = yw.lo + r;
    const base = (oy - y0) * tw - x0;
    if (wy === 1) {
      if (xw.fullFrom > 0) {
        // Left seam: the previous tile left its weighted share here; add ours and finish it.
        addWeighted(src, base + xw.lo, seam, r * seamW, xw.weights, 0, xw.fullFrom, 1);
        sink(seam, r * seamW, xw.fullFrom, xw.lo, oy);
      }
      if (xw.fullTo > xw.fullFrom) sink(src, base + xw.lo + xw.fullFrom, xw.fullTo - xw.fullFrom, xw.lo + xw.fullFrom, oy);
      // Right seam: our weighted share, for the next tile of this strip to complete.
      if (xw.fullTo < len) setWeighted(src, base + xw.lo, seam, r * seamW - xw.fullTo, xw.weights, xw.fullTo, len);
    } else {
      // A horizontal band row: accumulate the weighted value of every texel this tile covers.
      const above = r < yw.fullFrom;
      addWeighted(src, base + xw.lo, above ? bandAbove : bandBelow, (above ? r : r - yw.fullTo) * outW + xw.lo, xw.weights, 0, len, wy);
    }
  }
}

/** dst[c][at + i] += src[c][from + i] * weights[i] * wy, for i in [i0, i1). */
function addWeighted(src: Float32Array[], from: number, dst: Float32Array[], at: number, weights: Float32Array, i0: number, i1: number, wy: number): void {
  for (let c = 0; c < src.length; c++) {
    const s = src[c];
    const d = dst[c];
    for (let i = i0; i < i1; i++) d[at + i] += s[from + i] * weights[i] * wy;
  }
}

/** dst[c][at + i] = src[c][from + i] * weights[i], for i in [i0, i1). */
function setWeighted(src: Float32Array[], from: number, dst: Float32Array[], at: number, weights: Float32Array, i0: number, i1: number): void {
  for (let c = 0; c < src.length; c++) {
    const s = src[c];
    const d = dst[c];
    for (let i = i0; i < i1; i++) d[at + i] = s[from + i] * weights[i];
  }
}
