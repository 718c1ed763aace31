/**
 * The trained colour → normal/roughness network (models/pbr/remaster-pbr.onnx; recipe in
 * models/training/pbr/, figures in models/pbr/remaster-pbr.md), run through the engine's session and
 * tiling services: `createSessionFor` (device choice and CPU fallback) and `runTiled` (fixed-size
 * tiles with cross-faded overlaps, so memory stays bounded on 4096² textures).
 *
 * Model I/O: `input` NCHW float32 sRGB-encoded RGB in 0..1, any size; `output` NCHW 3 channels:
 * slope_x, slope_y (tangent-space normal = normalize(slope_x, slope_y, 1), glTF +Y up) and
 * roughness 0..1. Three channels in and out, the shape the engine's tiler handles.
 */
import * as fs from 'fs';
import * as path from 'path';
import type * as ort from 'onnxruntime-node';
import { Tensor } from 'onnxruntime-node';
import type { DeviceChoice, RawImage } from '../../types';
import { fillTransparent } from '../../engine/alpha-fill';
import { createSessionFor } from '../../engine/device';
import { modelsDir } from '../../engine/model-source';
import { toPlanes } from '../../engine/pixels';
import { planesReader, runTiled, type TileLayout } from '../../engine/tiler';
import { wrapPad } from '../../engine/wrap';

/** The shipped model's name (models/<name>.onnx). */
export const PBR_MODEL_NAME = 'remaster-pbr';

/**
 * Tiles of 256² with 48 texels of context. The v2 prior's widest blur (sigma 32) reaches 96 texels; what lies
 * beyond 48 moves slopes by at most ~2e-3 (~0.1 degree, test/pbr-estimate.test.ts) and the cross-fade hides it.
 */
const LAYOUT: TileLayout = { tileWidth: 256, tileHeight: 256, pad: 48, fixed: false };

/** A loaded PBR network: load once, estimate many textures, then `release()`. */
export interface PbrModel {
  /** Engine id for reports, e.g. `remaster-pbr@cpu`. */
  readonly engine: string;
  /** Runs the network over an 8-bit image (RGB or RGBA); returns slopes and roughness planes. */
  run(image: RawImage, options: { wrap: boolean }): Promise<{ sx: Float32Array; sy: Float32Array; roughness: Float32Array }>;
  release(): Promise<void>;
}

export interface LoadPbrModelOptions {
  /** Execution device (default 'cpu': the net is small, and a GPU provider's start-up costs more than it saves). */
  device?: DeviceChoice;
  /** Path to the .onnx file (default: the shipped models/pbr/remaster-pbr.onnx). */
  file?: string;
  /** Receives one line per notable event (device fallback). */
  log?: (line: string) => void;
}

/** Path of the shipped model. */
export function shippedPbrModel(): string {
  // In a subfolder: models/*.onnx are upscale models (the engine lists them as such); this one is not.
  return path.join(modelsDir(), 'pbr', `${PBR_MODEL_NAME}.onnx`);
}

/**
 * Loads the network.
 *
 * @example
 * const model = await loadPbrModel();
 * const maps = await estimatePbrFromColor(rgba, w, h, { method: 'cnn', model });
 * await model.release();
 */
export async function loadPbrModel(options: LoadPbrModelOptions = {}): Promise<PbrModel> {
  const file = options.file ?? shippedPbrModel();
  if (!fs.existsSync(file)) throw new Error(`${file}: PBR model not found`);
  const { session, device } = await createSessionFor(file, options.device ?? 'cpu', options.log ?? (() => undefined));
  const label = path.basename(file, '.onnx');
  let queue: Promise<unknown> = Promise.resolve();
  const runTile = async (tile: Float32Array, w: number, h: number): Promise<Float32Array> => {
    const input = new Tensor('float32', tile, [1, 3, h, w]);
    const results = await session.run({ [session.inputNames[0]]: input });
    const out = results[session.outputNames[0]] as ort.Tensor;
    input.dispose();
    if (out.dims.length !== 4 || out.dims[1] !== 3 || out.dims[2] !== h || out.dims[3] !== w) {
      throw new Error(`${file}: output shape [${out.dims.join(', ')}] is not 1x3x${h}x${w}`);
    }
    return out.data as Float32Array;
  };
  // One tile at a time per session (a session is not re-entrant on every provider).
  const serial = (tile: Float32Array, w: number, h: number) => {
    const r = queue.then(() => runTile(tile, w, h));
    queue = r.catch(() => undefined);
    return r;
  };
  return {
    engine: `${label}@${device}`,
    async run(image, { wrap }) {
      const { width, height } = image;
      // Invisible colour under alpha 0 is often junk; fill it from the visible texels first.
      const filled = fillTransparent(image);
      const pad = wrap ? LAYOUT.pad : 0;
      const source = pad ? wrapPad(filled, pad) : filled;
      const { planes } = toPlanes(source, source.channels >= 3 ? [0, 1, 2] : [0, 0, 0]); // grey: replicated
      const W = source.width;
      const out = [0, 1, 2].map(() => new Float32Array(width * height));
      await runTiled({ width: W, height: source.height, scale: 1 }, LAYOUT, planesReader(planes, W, source.height), serial, (values, offset, count, x, y) => {
        // Keep only what falls inside the unpadded image.
        const row = y - pad;
        if (row < 0 || row >= height) return;
        const from = Math.max(x, pad);
        const to = Math.min(x + count, pad + width);
        for (let c = 0; c < 3; c++) {
          if (to > from) out[c].set(values[c].subarray(offset + from - x, offset + to - x), row * width + from - pad);
        }
      });
      return { sx: out[0], sy: out[1], roughness: out[2] };
    },
    release: () => session.release(),
  };
}
