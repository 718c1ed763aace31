/**
 * Tiled inference: runs a model over an image of any size in fixed-size tiles, so memory is bounded
 * by one tile's activations plus one strip of output, whatever the texture size.
 *
 * Layout along each axis: the image is cut into n equal "cores"; each tile is its core plus `pad`
 * texels of real neighbouring context on every side (shifted inward at the image border, so every
 * tile has the same shape: fixed-size models and WebGPU shader caches like that). Where two cores
 * meet, the two tiles' outputs are cross-faded over `2 * blend` texels with linear ramps that sum
 * to exactly 1, so no weight buffer is needed. With pad >= the model's receptive field the tiles
 * agree and the result equals a single pass; with a larger field the ramp hides the difference.
 *
 * Output is produced one strip of tiles at a time and handed to a sink row block by row block;
 * only the strip still being blended is kept in float.
 */

/** Runs the model on one CHW float tile (3 x h x w); returns 3 x (h*scale) x (w*scale). */
export type TileRun = (tile: Float32Array, width: number, height: number) => Promise<Float32Array>;

/** Receives finished output rows [y0, y0 + count) as one float plane per channel (count * outWidth). */
export type RowSink = (planes: Float32Array[], y0: number, count: number) => void;

export interface TileLayout {
  /** Tile size in input texels (the model's fixed size, or chosen per device). */
  tileWidth: number;
  tileHeight: number;
  /** Context texels around each core. */
  pad: number;
  /** True when the model only takes exactly tile x tile: small images are edge-padded up to it. */
  fixed: boolean;
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

/**
 * Output range [lo, hi) of tile k along an axis, its weight at each output texel, and the index
 * range [fullFrom, fullTo) where the weight is exactly 1 (no other tile contributes there).
 */
function axisWeights(plan: AxisPlan, k: number, scale: number, outSize: number): { lo: number; weights: Float32Array; fullFrom: number; fullTo: number } {
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

/** Copies a region of CHW planes into a tile, replicating edge texels past the image. */
function extractTile(planes: Float32Array[], width: number, height: number, x0: number, y0: number, tw: number, th: number): Float32Array {
  const tile = new Float32Array(planes.length * tw * th);
  planes.forEach((plane, c) => {
    const base = c * tw * th;
    for (let y = 0; y < th; y++) {
      const sy = Math.min(y0 + y, height - 1);
      const row = sy * width;
      const dst = base + y * tw;
      const inside = Math.max(0, Math.min(tw, width - x0));
      tile.set(plane.subarray(row + x0, row + x0 + inside), dst);
      for (let x = inside; x < tw; x++) tile[dst + x] = plane[row + width - 1];
    }
  });
  return tile;
}

/**
 * Runs `run` over `planes` (channels x width x height, CHW) tile by tile and streams the blended
 * output (scale x larger) to `sink` in top-to-bottom row blocks.
 */
export async function runTiled(
  planes: Float32Array[],
  width: number,
  height: number,
  scale: number,
  layout: TileLayout,
  run: TileRun,
  sink: RowSink,
): Promise<void> {
  const channels = planes.length;
  const outW = width * scale;
  const outH = height * scale;
  const px = planAxis(width, layout.tileWidth, layout);
  const py = planAxis(height, layout.tileHeight, layout);
  const xWeights = px.cores.map((_, k) => axisWeights(px, k, scale, outW));
  let flushed = 0;
  const yWeights = py.cores.map((_, j) => axisWeights(py, j, scale, outH));
  // Two strip accumulators used in turn (allocated once: fresh 100 MB arrays per strip cost page
  // faults); rows still blending with the previous strip are carried from one to the other.
  const maxRows = Math.max(...yWeights.map((w) => w.weights.length));
  const buffers = [0, 1].map(() => Array.from({ length: channels }, () => new Float32Array(maxRows * outW)));
  let acc: Float32Array[] = [];
  let accY0 = 0;
  let accRows = 0;

  for (let j = 0; j < py.cores.length; j++) {
    const yw = yWeights[j];
    const rows = yw.weights.length;
    const next = buffers[j % 2];
    const carried = accRows > 0 ? Math.max(0, accY0 + accRows - yw.lo) : 0;
    for (let c = 0; c < channels; c++) {
      if (carried > 0) {
        const from = (yw.lo - accY0) * outW;
        next[c].set(acc[c].subarray(from, from + carried * outW), 0);
      }
      next[c].fill(0, carried * outW, rows * outW);
    }
    acc = next;
    accY0 = yw.lo;
    accRows = rows;

    for (let k = 0; k < px.cores.length; k++) {
      const x0 = px.starts[k];
      const y0 = py.starts[j];
      const tile = extractTile(planes, width, height, x0, y0, px.length, py.length);
      const out = await run(tile, px.length, py.length);
      const tw = px.length * scale;
      const th = py.length * scale;
      if (out.length !== channels * tw * th) {
        throw new Error(`model returned ${out.length} values for a ${px.length}x${py.length} tile, expected ${channels * tw * th}`);
      }
      const xw = xWeights[k];
      for (let c = 0; c < channels; c++) {
        const dst = acc[c];
        const src = out.subarray(c * tw * th, (c + 1) * tw * th);
        for (let r = 0; r < rows; r++) {
          const wy = yw.weights[r];
          if (wy === 0) continue;
          const oy = yw.lo + r - y0 * scale; // row inside the tile output
          const srcRow = oy * tw - x0 * scale;
          const dstRow = r * outW;
          // Where both weights are 1 the weights of every other tile are 0: copy, don't blend.
          const copyFrom = wy === 1 ? xw.fullFrom : xw.weights.length;
          const copyTo = wy === 1 ? xw.fullTo : xw.weights.length;
          for (let i = 0; i < copyFrom; i++) dst[dstRow + xw.lo + i] += src[srcRow + xw.lo + i] * xw.weights[i] * wy;
          if (copyTo > copyFrom) {
            dst.set(src.subarray(srcRow + xw.lo + copyFrom, srcRow + xw.lo + copyTo), dstRow + xw.lo + copyFrom);
          }
          for (let i = Math.max(copyFrom, copyTo); i < xw.weights.length; i++) dst[dstRow + xw.lo + i] += src[srcRow + xw.lo + i] * xw.weights[i] * wy;
        }
      }
    }

    // Rows above the next strip's reach are final.
    const done = j === py.cores.length - 1 ? outH : yWeights[j + 1].lo;
    if (done > flushed) {
      const from = (flushed - accY0) * outW;
      const count = done - flushed;
      sink(acc.map((p) => p.subarray(from, from + count * outW)), flushed, count);
      flushed = done;
    }
  }
}
