/**
 * The `gram` method's loss graph (models/style/gram-loss.onnx, made by
 * models/training/style/export_gram_loss.py): for an image and random filters it returns the Gram
 * matrices of multi-scale random-filter features, the style loss against target Grams and that
 * loss's gradient with respect to the image. No trained weights: the filters are inputs.
 */

import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { modelsDir } from '../../engine/model-source';

/** Dilations baked into the graph (3x3 taps 1..16 texels apart: features from 3 to 33 texels across). */
export const GRAM_DILATIONS = 5;

export interface RandomFilters {
  /** Filters per dilation. */
  count: number;
  /** [D, C, 3, 3, 3] */
  w: Float32Array;
  /** The same filters flipped and transposed, [D, 3, C, 3, 3] (the graph's backward pass needs them). */
  wt: Float32Array;
  /** [D, C] */
  b: Float32Array;
}

export interface GramEvaluation {
  loss: number;
  /** [3, H, W] */
  grad: Float32Array;
  /** [D, C, C] */
  grams: Float32Array;
}

let sessionPromise: Promise<ort.InferenceSession> | undefined;

/** The loss graph's CPU session, created once per process (all cores; the graph is small). */
export function gramSession(): Promise<ort.InferenceSession> {
  sessionPromise ??= ort.InferenceSession.create(path.join(modelsDir(), 'style', 'gram-loss.onnx'), {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: Math.max(1, os.availableParallelism?.() ?? os.cpus().length),
    logSeverityLevel: 3,
  });
  return sessionPromise;
}

/** Runs the graph on a [3, H, W] image; `targets` are [D, C, C] Grams (zeros: only read the Grams). */
export async function evaluateGram(x: Float32Array, width: number, height: number, filters: RandomFilters, targets: Float32Array): Promise<GramEvaluation> {
  const session = await gramSession();
  const D = GRAM_DILATIONS;
  const C = filters.count;
  const out = await session.run({
    x: new ort.Tensor('float32', x, [1, 3, height, width]),
    w: new ort.Tensor('float32', filters.w, [D, C, 3, 3, 3]),
    wt: new ort.Tensor('float32', filters.wt, [D, 3, C, 3, 3]),
    b: new ort.Tensor('float32', filters.b, [D, C]),
    t: new ort.Tensor('float32', targets, [D, C, C]),
  });
  return { loss: (out.loss.data as Float32Array)[0], grad: out.grad.data as Float32Array, grams: out.grams.data as Float32Array };
}
