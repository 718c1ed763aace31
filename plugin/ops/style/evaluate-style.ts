/**
 * `remaster eval-style`: how well each style method gives a folder of textures the look of one
 * reference while keeping their structure and tiling, and how consistent the set comes out.
 *
 * Per texture and method (at the requested strength, seamless when the input tiles):
 * - style distance to the reference before (the input) and after: sliced-Wasserstein of colours and
 *   Gram distance of random-filter features (plugin/metrics/texture-stats, filters unrelated to the
 *   ones the `gram` method optimises), and the drop, 1 - after/before (target ≥ 0.5 at strength 1);
 * - structure: SSIM of luma at 1/4 resolution vs the input (target ≥ 0.7) and edge-map correlation;
 * - tileability: each wrap edge's gradient energy over the interior's in the same direction, the worse edge (target ≤ 1.2 when the input tiles across both edges), and
 *   that ratio over the input's own where the input's is above 1 (`wrapVsInput`, reported beside it);
 * - seconds.
 * Per method over the set: mean of each, the spread (coefficient of variation) of the outputs' style
 * distances to the reference, and the mean pairwise colour distance between outputs (vs inputs): a
 * consistent look has outputs close to each other, not only each to the reference.
 */

import path from 'node:path';
import { listImages } from '../../metrics/evaluate';
import { gramDistance, slicedWasserstein, wrapEdgeRatio } from '../../metrics/texture-stats';
import { readImageFile } from '../../engine';
import type { RawImage } from '../../types';
import { wrapEdgeRank } from './wrap-rank';
import { edgeCorrelation, quarterLumaSsim, quarterLumaStructure } from './structure';
import { blend, styleFull, type StyleMethod } from './style-texture';

export interface StyleScores {
  colour: number;
  gram: number;
  colourDrop: number;
  gramDrop: number;
  ssimQuarter: number;
  /** SSIM¼'s structure term alone (brightness and contrast changes left out). */
  structureQuarter: number;
  edgeCorrelation: number;
  wrapRatio: number;
  /**
   * `wrapRatio` over the input's own wrap ratio where that is above 1 (else `wrapRatio` itself): an input
   * whose wrap line is already stronger than its average line (tiling by the 1.2 rule, not seamless) is
   * judged by what the style added. Reported beside the absolute ratio, which the targets still use.
   */
  wrapVsInput: number;
  /** Rank of the wrap edge among all column/row boundaries by gradient energy (a seam: near 1). */
  wrapRank: number;
  seconds: number;
}

export interface TextureStyleEval {
  file: string;
  width: number;
  height: number;
  /** The input's own distances to the reference and wrap ratio. */
  input: { colour: number; gram: number; wrapRatio: number; wrapRank: number; tiles: boolean };
  methods: Partial<Record<StyleMethod, StyleScores>>;
}

export interface SetSummary {
  mean: StyleScores;
  /** Coefficient of variation (std / mean) of the outputs' colour and Gram distances to the reference. */
  spread: { colour: number; gram: number };
  /** Mean pairwise sliced-Wasserstein colour distance between the set's outputs. */
  pairwiseColour: number;
  /** Textures meeting every target (drops ≥ 0.5, SSIM¼ ≥ 0.7, wrap ≤ 1.2 when tiling). */
  passing: number;
  /** Tiling textures whose output's wrap ratio is above 1.2: absolute, and relative to the input's (`wrapVsInput`). */
  wrapOver: { absolute: number; vsInput: number };
}

export interface StyleEvalReport {
  dir: string;
  reference: string;
  strength: number;
  seed: number;
  /** The set-level tone given to method `stats` (absent: its default). */
  tone?: number;
  /** Present (false) when method `stats` ran without its colour grain. */
  grain?: false;
  methods: StyleMethod[];
  textures: TextureStyleEval[];
  /** The inputs' own spread and pairwise colour distance, for comparison. */
  inputSet: { spread: { colour: number; gram: number }; pairwiseColour: number };
  summary: Partial<Record<StyleMethod, SetSummary>>;
}

export interface EvaluateStyleOptions {
  reference: RawImage;
  referenceName: string;
  methods: StyleMethod[];
  strength: number;
  seed: number;
  /** Set-level tone for method `stats` (the other methods have none). Default: its own default. */
  tone?: number;
  /** Method `stats` with its colour grain (default true); false scores the grade only. */
  grain?: boolean;
  /** Called per texture with its images (input, then one per method), e.g. for the HTML report. */
  onTexture?: (result: TextureStyleEval, images: { input: RawImage; outputs: Partial<Record<StyleMethod, RawImage>> }) => Promise<void> | void;
}

/** Input wrap ratio at or below this: the texture tiles and is styled seamless. */
export const TILING_RATIO = 1.2;

export async function evaluateStyleFolder(dir: string, options: EvaluateStyleOptions): Promise<StyleEvalReport> {
  const files = await listImages(dir);
  if (files.length === 0) throw new Error(`${dir}: no images (PNG, JPEG, WebP) found`);
  const { reference } = options;
  const textures: TextureStyleEval[] = [];
  const inputs: RawImage[] = [];
  const outputs: Partial<Record<StyleMethod, RawImage[]>> = {};
  for (const rel of files) {
    const image = dropAlpha(await readImageFile(rel));
    const wrapRatio = wrapEdgeRatio(image);
    const tiles = wrapRatio <= TILING_RATIO;
    const before = { colour: slicedWasserstein(image, reference), gram: gramDistance(image, reference) };
    const result: TextureStyleEval = { file: path.relative(dir, rel), width: image.width, height: image.height, input: { ...before, wrapRatio, wrapRank: wrapEdgeRank(image), tiles }, methods: {} };
    const made: Partial<Record<StyleMethod, RawImage>> = {};
    for (const method of options.methods) {
      const started = performance.now();
      const out = blend(await styleFull(image, reference, { method, seamless: tiles, seed: options.seed, ...(method === 'stats' && options.tone !== undefined ? { tone: options.tone } : {}), ...(method === 'stats' && options.grain === false ? { grain: false } : {}) }), options.strength);
      const seconds = (performance.now() - started) / 1000;
      const colour = slicedWasserstein(out, reference);
      const gram = gramDistance(out, reference);
      const wrap = wrapEdgeRatio(out);
      result.methods[method] = {
        colour, gram, colourDrop: 1 - colour / before.colour, gramDrop: 1 - gram / before.gram,
        ssimQuarter: quarterLumaSsim(image, out), structureQuarter: quarterLumaStructure(image, out), edgeCorrelation: edgeCorrelation(image, out), wrapRatio: wrap, wrapVsInput: wrap / Math.max(1, wrapRatio), wrapRank: wrapEdgeRank(out), seconds,
      };
      made[method] = out;
      (outputs[method] ??= []).push(out);
    }
    textures.push(result);
    inputs.push(image);
    await options.onTexture?.(result, { input: image, outputs: made });
  }
  const summary: Partial<Record<StyleMethod, SetSummary>> = {};
  for (const method of options.methods) {
    const scores = textures.map((t) => t.methods[method] as StyleScores);
    summary[method] = {
      mean: meanScores(scores),
      spread: { colour: cv(scores.map((s) => s.colour)), gram: cv(scores.map((s) => s.gram)) },
      pairwiseColour: pairwise(outputs[method] ?? []),
      passing: scores.filter((s, i) => s.colourDrop >= 0.5 && s.gramDrop >= 0.5 && s.ssimQuarter >= 0.7 && (!textures[i].input.tiles || s.wrapRatio <= TILING_RATIO)).length,
      wrapOver: {
        absolute: scores.filter((s, i) => textures[i].input.tiles && s.wrapRatio > TILING_RATIO).length,
        vsInput: scores.filter((s, i) => textures[i].input.tiles && s.wrapVsInput > TILING_RATIO).length,
      },
    };
  }
  return {
    dir, reference: options.referenceName, strength: options.strength, seed: options.seed, ...(options.tone !== undefined ? { tone: options.tone } : {}), ...(options.grain === false ? { grain: false as const } : {}), methods: options.methods, textures,
    inputSet: { spread: { colour: cv(textures.map((t) => t.input.colour)), gram: cv(textures.map((t) => t.input.gram)) }, pairwiseColour: pairwise(inputs) },
    summary,
  };
}

function meanScores(scores: StyleScores[]): StyleScores {
  const keys = Object.keys(scores[0]) as (keyof StyleScores)[];
  return Object.fromEntries(keys.map((k) => [k, scores.reduce((s, x) => s + x[k], 0) / scores.length])) as unknown as StyleScores;
}

/** Coefficient of variation: standard deviation over mean. */
function cv(values: number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return mean > 0 ? Math.sqrt(variance) / mean : 0;
}

function pairwise(images: RawImage[]): number {
  let total = 0;
  let n = 0;
  for (let i = 0; i < images.length; i++) {
    for (let j = i + 1; j < images.length; j++) {
      total += slicedWasserstein(images[i], images[j], { directions: 8 });
      n++;
    }
  }
  return n ? total / n : 0;
}

function dropAlpha(image: RawImage): RawImage {
  if (image.channels === 3 || image.channels === 1) return image;
  const colour = image.channels === 4 ? 3 : 1;
  const n = image.width * image.height;
  const data = new Uint8Array(n * colour);
  for (let i = 0; i < n; i++) for (let c = 0; c < colour; c++) data[i * colour + c] = image.data[i * image.channels + c];
  return { data, width: image.width, height: image.height, channels: colour as 1 | 3 };
}
