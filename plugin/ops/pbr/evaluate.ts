/**
 * Scores colour → PBR estimators against known maps (`remaster eval-pbr <dir>`).
 *
 * The folder holds `<name>_color.png` with `<name>_normal.png` (tangent space, glTF +Y up) and, where
 * known, `<name>_roughness.png` and `<name>_height.png` — what models/training/pbr/prepare_pbr_data.py
 * writes for the held-out and validation splits of Debian's nexuiz-textures. Metrics per image, then
 * averaged over images:
 * - normal mean angular error in degrees (every texel);
 * - roughness RMSE (0..1) against the roughness map;
 * - height: Pearson correlation with the height map (height has no absolute scale).
 * Methods: `flat` (normal (0,0,1), roughness = FLAT_ROUGHNESS, the training split's mean 1 - gloss: the
 * "do nothing" baseline), `heuristic`, `cnn`.
 */
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import type { PbrModel } from './cnn';
import { estimatePbrFromColor } from './estimate';
import type { HeuristicParams, PbrMethod } from './types';

/** Mean of 1 - gloss over the training split's gloss maps (models/training/pbr/fit_roughness.py). */
export const FLAT_ROUGHNESS = 0.862;

export type EvalMethod = PbrMethod | 'flat';
export const EVAL_METHODS: readonly EvalMethod[] = ['flat', 'heuristic', 'cnn'];

export interface PbrScores {
  /** Mean angle between estimated and true normals, degrees. */
  normalAngle: number;
  /** RMSE against the roughness map (absent when the image has none). */
  roughnessRmse?: number;
  /** Pearson correlation with the height map (absent when none). */
  heightCorrelation?: number;
}

export interface PbrImageResult {
  name: string;
  width: number;
  height: number;
  scores: Partial<Record<EvalMethod, PbrScores>>;
}

export interface PbrEvalSummary {
  images: number;
  normalAngle: number;
  /** Over the images with a roughness map. */
  roughnessRmse: number | null;
  roughnessImages: number;
  heightCorrelation: number | null;
  heightImages: number;
}

export interface PbrEvalReport {
  dir: string;
  methods: EvalMethod[];
  engines: Partial<Record<EvalMethod, string>>;
  summary: Partial<Record<EvalMethod, PbrEvalSummary>>;
  images: PbrImageResult[];
}

export interface PbrEvalOptions {
  methods?: readonly EvalMethod[];
  /** Network for `cnn` (required when `cnn` is among the methods). */
  model?: PbrModel;
  heuristic?: Partial<HeuristicParams>;
  onImage?: (result: PbrImageResult) => void;
}

async function readRgba(file: string): Promise<{ data: Uint8Array; width: number; height: number }> {
  try {
    const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (err) {
    throw new Error(`${file}: cannot read image (${(err as Error).message.split('\n')[0]})`);
  }
}

function decodeNormals(rgba: Uint8Array, n: number): Float32Array {
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const x = (rgba[4 * i] / 255) * 2 - 1;
    const y = (rgba[4 * i + 1] / 255) * 2 - 1;
    const z = Math.max(0, (rgba[4 * i + 2] / 255) * 2 - 1);
    const len = Math.hypot(x, y, z) || 1;
    out[3 * i] = x / len;
    out[3 * i + 1] = y / len;
    out[3 * i + 2] = z / len;
  }
  return out;
}

/** Mean angle (degrees) between two interleaved unit-vector fields. */
export function meanAngle(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  const n = a.length / 3;
  for (let i = 0; i < n; i++) {
    const d = a[3 * i] * b[3 * i] + a[3 * i + 1] * b[3 * i + 1] + a[3 * i + 2] * b[3 * i + 2];
    sum += Math.acos(Math.min(1, Math.max(-1, d)));
  }
  return (sum / n) * (180 / Math.PI);
}

function rmse(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s / a.length);
}

function correlation(a: Float32Array, b: Float32Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

function greyPlane(rgba: Uint8Array, n: number): Float32Array {
  const p = new Float32Array(n);
  for (let i = 0; i < n; i++) p[i] = rgba[4 * i] / 255;
  return p;
}

/**
 * Scores each method on every `<name>_color.png` of `dir`.
 *
 * @example
 * const model = await loadPbrModel();
 * const report = await evaluatePbrFolder('models/training/data/pbr/heldout', { model });
 * console.log(report.summary.cnn?.normalAngle, report.summary.heuristic?.normalAngle);
 */
export async function evaluatePbrFolder(dir: string, options: PbrEvalOptions = {}): Promise<PbrEvalReport> {
  const methods = [...(options.methods ?? EVAL_METHODS)];
  if (methods.includes('cnn') && !options.model) throw new Error('evaluatePbrFolder: the cnn method needs a loaded model');
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((f) => f.endsWith('_color.png')).map((f) => f.slice(0, -'_color.png'.length)).sort();
  } catch (err) {
    throw new Error(`${dir}: cannot read folder (${(err as Error).message.split('\n')[0]})`);
  }
  if (names.length === 0) throw new Error(`${dir}: no <name>_color.png images with <name>_normal.png to score`);
  const engines: Partial<Record<EvalMethod, string>> = {};
  const images: PbrImageResult[] = [];
  for (const name of names) {
    const base = path.join(dir, name);
    const colour = await readRgba(`${base}_color.png`);
    const { width, height } = colour;
    const n = width * height;
    const truthNormal = await readRgba(`${base}_normal.png`);
    if (truthNormal.width !== width || truthNormal.height !== height) throw new Error(`${base}_normal.png: size differs from ${name}_color.png`);
    const truthN = decodeNormals(truthNormal.data, n);
    const truthR = fs.existsSync(`${base}_roughness.png`) ? greyPlane((await readRgba(`${base}_roughness.png`)).data, n) : undefined;
    const truthH = fs.existsSync(`${base}_height.png`) ? greyPlane((await readRgba(`${base}_height.png`)).data, n) : undefined;
    const result: PbrImageResult = { name, width, height, scores: {} };
    for (const method of methods) {
      let normal: Float32Array;
      let roughness: Float32Array;
      let heightMap: Float32Array | undefined;
      if (method === 'flat') {
        normal = new Float32Array(n * 3);
        for (let i = 0; i < n; i++) normal[3 * i + 2] = 1;
        roughness = new Float32Array(n).fill(FLAT_ROUGHNESS);
        engines.flat = 'flat';
      } else {
        const maps = await estimatePbrFromColor(colour.data, width, height, { method, model: options.model, heuristic: options.heuristic });
        ({ normal, roughness, heightMap } = maps);
        engines[method] = maps.engine;
      }
      result.scores[method] = {
        normalAngle: meanAngle(normal, truthN),
        roughnessRmse: truthR ? rmse(roughness, truthR) : undefined,
        heightCorrelation: truthH && heightMap ? correlation(heightMap, truthH) : undefined,
      };
    }
    images.push(result);
    options.onImage?.(result);
  }
  const summary: Partial<Record<EvalMethod, PbrEvalSummary>> = {};
  for (const method of methods) {
    const s = images.map((im) => im.scores[method]!);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    const r = s.map((x) => x.roughnessRmse).filter((x): x is number => x !== undefined);
    const h = s.map((x) => x.heightCorrelation).filter((x): x is number => x !== undefined);
    summary[method] = {
      images: s.length,
      normalAngle: mean(s.map((x) => x.normalAngle))!,
      roughnessRmse: mean(r),
      roughnessImages: r.length,
      heightCorrelation: mean(h),
      heightImages: h.length,
    };
  }
  return { dir, methods, engines, summary, images };
}
