/**
 * A loaded ONNX super-resolution model: its session, what it expects (found from its metadata and
 * by probing it once) and a tile runner in the engine's convention (CHW float32 RGB in 0..1).
 *
 * Any SR model can be brought: the tensor names are read from the model, float16 I/O is converted
 * here, fixed input sizes become the tile size, and the scale is measured by running one small
 * input. What cannot work is refused with one line naming the file.
 */

import fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import type { DeviceChoice } from '../types';
import { firstLine } from '../errors';
import { createSessionFor, type Device } from './device';
import { floatsToHalf, halfToFloats } from './float16';
import { knownProbe, modelDigest } from './probe-cache';
import type { TileRun } from './tiler';

export interface ModelInfo {
  inputName: string;
  outputName: string;
  dtype: 'float32' | 'float16';
  /** Set when the model takes only one input size. */
  fixedSize?: { width: number; height: number };
  /** Integer output/input ratio, measured. */
  scale: number;
  /** True when the model runs a batch of images at once (checked by a probe, not only read from the shape). */
  batch: boolean;
  /** Where scale and batch come from: this load's probes, or the shipped table for these exact bytes (probe-cache.ts). */
  probe: 'run' | 'known';
}

/** A model as the tiler and neural passes use it: wherever its session lives (this thread or the inference worker). */
export interface ModelHandle {
  file: string;
  label: string;
  device: Device;
  info: ModelInfo;
  /** Runs one tile (or a batch of tiles of one shape); serialised per model. */
  run: TileRun;
  release(): Promise<void>;
}

/** A model whose session lives in this thread (the inference worker's, or the caller's). */
export interface LoadedModel extends ModelHandle {
  session: ort.InferenceSession;
}

/** Size of the probe for dynamic models: small, non-square (catches swapped axes), multiple of 8. */
const PROBE = { width: 32, height: 24 };

export async function loadModel(
  file: string,
  label: string,
  device: DeviceChoice,
  log: (line: string) => void,
  failedDevices?: Map<Device, string>,
  threads?: number,
  { useKnownProbes = true }: { useKnownProbes?: boolean } = {},
): Promise<LoadedModel> {
  // Read once: the bytes hashed for the probe table are the bytes the session is made of.
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${file}: cannot read model (${firstLine(err).trim()})`);
  }
  const { session, device: used } = await createSessionFor({ file, bytes }, device, log, failedDevices, threads);
  try {
    const partial = readMetadata(file, session);
    const runTile = makeRunner(session, partial);
    const known = useKnownProbes ? knownProbe(modelDigest(bytes), used) : undefined;
    const scale = known?.scale ?? (await probeScale(file, partial, runTile));
    const batch = known ? known.batch && partial.batchable : partial.batchable && (await probeBatch(partial, runTile, scale));
    const { batchable: _b, ...rest } = partial;
    const info: ModelInfo = { ...rest, scale, batch, probe: known ? 'known' : 'run' };
    let queue: Promise<unknown> = Promise.resolve();
    const run: TileRun = (tile, w, h, n = 1) => {
      const result = queue.then(() => runTile(tile, w, h, n));
      queue = result.catch(() => undefined);
      return result.then((r) => r.data);
    };
    return { file, label, device: used, session, info, run, release: () => session.release() };
  } catch (err) {
    await session.release();
    throw err;
  }
}

type Metadata = Omit<ModelInfo, 'scale' | 'batch' | 'probe'> & { batchable: boolean };

/** Input/output names, element type and fixed size; refuses shapes that cannot be an RGB SR model. */
function readMetadata(file: string, session: ort.InferenceSession): Metadata {
  const inputs = session.inputMetadata;
  if (inputs.length !== 1) throw new Error(`${file}: model has ${inputs.length} inputs, expected one image input`);
  const input = inputs[0];
  const output = session.outputMetadata.find((o) => o.name === 'output') ?? session.outputMetadata[0];
  if (!input.isTensor || !output?.isTensor) throw new Error(`${file}: model input/output is not a tensor`);
  if (input.type !== 'float32' && input.type !== 'float16') {
    throw new Error(`${file}: model input is ${input.type}, expected float32 or float16`);
  }
  if (output.type !== input.type) throw new Error(`${file}: model output is ${output.type} but input is ${input.type}`);
  const shape = input.shape;
  if (shape.length !== 4) throw new Error(`${file}: model input has rank ${shape.length}, expected NCHW (rank 4)`);
  if (typeof shape[1] === 'number' && shape[1] !== 3) {
    throw new Error(`${file}: model takes ${shape[1]} channels, expected 3 (RGB, NCHW)`);
  }
  if (typeof shape[0] === 'number' && shape[0] !== 1 && shape[0] !== -1) {
    throw new Error(`${file}: model needs batch ${shape[0]}, expected 1 or dynamic`);
  }
  const h = shape[2];
  const w = shape[3];
  const fixed = typeof h === 'number' && h > 0 && typeof w === 'number' && w > 0;
  return {
    inputName: input.name,
    outputName: output.name,
    dtype: input.type,
    fixedSize: fixed ? { width: w as number, height: h as number } : undefined,
    batchable: typeof shape[0] !== 'number' || shape[0] === -1,
  };
}

interface RawRun {
  data: Float32Array;
  dims: readonly number[];
}

function makeRunner(session: ort.InferenceSession, info: Metadata) {
  return async (tile: Float32Array, width: number, height: number, batch = 1): Promise<RawRun> => {
    const dims = [batch, 3, height, width];
    const tensor = info.dtype === 'float16' ? new ort.Tensor('float16', floatsToHalf(tile), dims) : new ort.Tensor('float32', tile, dims);
    const results = await session.run({ [info.inputName]: tensor });
    const out = results[info.outputName];
    tensor.dispose();
    const raw = out.data;
    const data = info.dtype === 'float16' ? halfToFloats(raw as Uint16Array) : (raw as Float32Array);
    const outDims = out.dims;
    out.dispose?.();
    return { data, dims: outDims };
  };
}

/** Measures the scale by running one probe; refuses non-integer, below-2 and non-RGB outputs. */
async function probeScale(file: string, info: Metadata, run: (t: Float32Array, w: number, h: number) => Promise<RawRun>): Promise<number> {
  const { width, height } = info.fixedSize ?? PROBE;
  let result: RawRun;
  try {
    result = await run(new Float32Array(3 * width * height).fill(0.5), width, height);
  } catch (err) {
    throw new Error(`${file}: model fails on a ${width}x${height} RGB probe (${firstLine(err).trim()})`);
  }
  const d = result.dims;
  if (d.length !== 4 || d[0] !== 1 || d[1] !== 3) throw new Error(`${file}: model output shape [${d.join(', ')}] is not 1x3xHxW`);
  const sy = d[2] / height;
  const sx = d[3] / width;
  if (sx !== sy) throw new Error(`${file}: model scales width by ${sx} and height by ${sy}; expected the same`);
  if (!Number.isInteger(sx)) throw new Error(`${file}: model scale ${sx} is not an integer`);
  if (sx < 1) throw new Error(`${file}: model shrinks its input (output is ${sx}x)`); // same size (style, denoise) is fine
  // A 0..1 model maps mid-grey to about mid-grey; one working in 0..255 (or -1..1 with a different
  // grey) would come out wildly off, every texture ruined. Refuse instead of guessing.
  const mean = result.data.reduce((a, v) => a + v, 0) / result.data.length;
  if (!(mean > 0.2 && mean < 0.8)) {
    throw new Error(`${file}: model turns mid-grey 0.5 into ${mean.toFixed(3)}; expected a model working on 0..1 values`);
  }
  return sx;
}

/**
 * Whether a model with a dynamic batch axis really runs a batch: some exports name the axis but
 * reshape to batch 1 inside. Two different images in, each must come out as it does alone.
 */
async function probeBatch(info: Metadata, run: (t: Float32Array, w: number, h: number, n?: number) => Promise<RawRun>, scale: number): Promise<boolean> {
  const { width, height } = info.fixedSize ?? PROBE;
  const n = 3 * width * height;
  const one = Float32Array.from({ length: n }, (_, i) => (i % 7) / 7);
  const two = new Float32Array(2 * n);
  two.fill(0.25, 0, n);
  two.set(one, n);
  try {
    const alone = await run(one, width, height);
    const both = await run(two, width, height, 2);
    const d = both.dims;
    if (d.length !== 4 || d[0] !== 2 || d[2] !== height * scale || d[3] !== width * scale) return false;
    const second = both.data.subarray(alone.data.length);
    return alone.data.every((v, i) => Math.abs(v - second[i]) < 1e-3);
  } catch {
    return false;
  }
}
