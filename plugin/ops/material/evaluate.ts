/**
 * `remaster eval-material`: the synthetic two-shot benchmark. Each material set of the chosen split
 * (scenes.ts: `heldout`, the default, or the untouched `test2`) is cropped to a square period, tiled
 * over the frame at a random offset, rendered as a flash and a guide photo with the capture model
 * (render.ts; photo noise; JPEG quality 90), captured, and scored against the known maps, beside two
 * baselines on the same photos:
 *   - "guide": the guide photo as base colour, flat normal, roughness 0.5, F0 0.04;
 *   - "heuristic": Materialize-style: the `pbr` operation's heuristic on the guide photo, as the
 *     one-photo mode runs it (estimatePbrFromColor, photo mode: de-lit base colour, normals from a
 *     luminance blur pyramid, roughness from brightness and detail), F0 0.04.
 * Scores: base colour RMSE (linear) after a global scale fit; normal mean angular error (degrees);
 * roughness RMSE; re-rendering RMSE (sRGB 0..1) under a point light 45° above the sample from four
 * azimuths (the estimate's albedo and F0 take the same fitted scale).
 */
import { captureMaterial } from './capture';
import { linearToSrgb, SRGB8_TO_LINEAR } from './color';
import { estimatePbrFromColor } from '../pbr/estimate';
import { seededRandom } from '../../metrics/texture-stats/seeded-random';
import { simulatePhoto } from './photo';
import { direction, renderFlash, renderGuide, renderPointLight } from './render';
import { findSets, loadSceneTile, selectSplit, SPLIT_RULES, type SceneSource, type SceneSplit } from './scenes';
import { tileMaps } from './synthetic';
import { emptyMaps, type Camera, type MaterialMaps, type Photo } from './types';

export interface EvalOptions {
  width?: number;
  height?: number;
  period?: number;
  fovDeg?: number;
  /** Which sets to score (scenes.ts): `heldout` (default; a development set by now) or `test2` (untouched; report only). */
  split?: SceneSplit;
  /** Limit the number of scenes (sorted by path). */
  limit?: number;
  threads?: number;
  onScene?: (s: SceneScores) => void;
}

export interface Scores {
  baseColorRmse: number;
  normalDeg: number;
  roughnessRmse: number;
  rerenderRmse: number;
}

export const METHODS = ['two-shot', 'guide', 'heuristic'] as const;
export type Method = (typeof METHODS)[number];

export interface SceneScores {
  scene: string;
  scores: Record<Method, Scores>;
  seconds: number;
}

export interface EvalReport {
  setup: { width: number; height: number; period: number; fovDeg: number; jpegQuality: number; split: SceneSplit; splitRule: string };
  scenes: SceneScores[];
  /** Scenes whose crop has (almost) no base colour to capture (black or flat), as training skips near-flat textures. */
  skipped: string[];
  mean: Record<Method, Scores>;
  ratios: { normalVsFlat: number; rerenderVsGuide: number; baseColorVsGuide: number };
}

/** Best s for ‖s·est − truth‖². */
function scaleFit(est: Float32Array, truth: Float32Array): number {
  let et = 0, ee = 0;
  for (let i = 0; i < est.length; i++) { et += est[i] * truth[i]; ee += est[i] * est[i]; }
  return ee > 0 ? et / ee : 1;
}

function rmse(a: Float32Array, b: Float32Array, scale = 1): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] * scale - b[i]) ** 2;
  return Math.sqrt(s / a.length);
}

function normalError(a: Float32Array, b: Float32Array): number {
  let s = 0;
  const n = a.length / 3;
  for (let i = 0; i < n; i++) {
    const d = a[i * 3] * b[i * 3] + a[i * 3 + 1] * b[i * 3 + 1] + a[i * 3 + 2] * b[i * 3 + 2];
    s += Math.acos(Math.max(-1, Math.min(1, d)));
  }
  return ((s / n) * 180) / Math.PI;
}

/** The four re-lighting positions: 45° elevation, azimuths 0/90/180/270, 1.5 camera distances away. */
const RELIGHTS = [0, 90, 180, 270].map((az) => direction(45, az).map((v) => v * 1.5) as [number, number, number]);
const RELIGHT_POWER = 1.6 * 1.5 * 1.5;

function rerenderRmse(est: MaterialMaps, truth: MaterialMaps, camera: Camera): number {
  let s = 0, n = 0;
  for (const light of RELIGHTS) {
    const a = renderPointLight(est, camera, light, RELIGHT_POWER).data;
    const b = renderPointLight(truth, camera, light, RELIGHT_POWER).data;
    for (let i = 0; i < a.length; i++) { s += (linearToSrgb(a[i]) - linearToSrgb(b[i])) ** 2; n++; }
  }
  return Math.sqrt(s / n);
}

export function score(est: MaterialMaps, truth: MaterialMaps, camera: Camera): Scores {
  const k = scaleFit(est.baseColor, truth.baseColor);
  const scaled: MaterialMaps = { ...est, baseColor: est.baseColor.map((v) => v * k), specular: est.specular.map((v) => Math.min(1, v * k)) };
  return {
    baseColorRmse: rmse(est.baseColor, truth.baseColor, k),
    normalDeg: normalError(est.normal, truth.normal),
    roughnessRmse: rmse(est.roughness, truth.roughness),
    rerenderRmse: rerenderRmse(scaled, truth, camera),
  };
}

/** Black or flat crops (e.g. the unused part of a model's texture atlas): luminance max < 0.02 or std < 0.01. */
function isFlat(tile: MaterialMaps): boolean {
  const n = tile.width * tile.height;
  let s = 0, s2 = 0, max = 0;
  for (let i = 0; i < n; i++) {
    const l = 0.2126 * tile.baseColor[i * 3] + 0.7152 * tile.baseColor[i * 3 + 1] + 0.0722 * tile.baseColor[i * 3 + 2];
    s += l; s2 += l * l; max = Math.max(max, l);
  }
  return max < 0.02 || Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2)) < 0.01;
}

/** 8-bit sRGB RGBA of a photo (what the one-photo mode reads). */
function photoRgba(photo: Photo): Uint8Array {
  const n = photo.width * photo.height;
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) out[i * 4 + c] = Math.round(Math.min(1, Math.max(0, photo.data[i * 3 + c])) * 255);
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** Baseline 1: the guide photo (linearised) as base colour, flat normal, roughness 0.5, F0 0.04. */
function guideBaseline(guide: Photo): MaterialMaps {
  const m = emptyMaps(guide.width, guide.height);
  const rgba = photoRgba(guide);
  for (let i = 0; i < guide.width * guide.height; i++) {
    for (let c = 0; c < 3; c++) m.baseColor[i * 3 + c] = SRGB8_TO_LINEAR[rgba[i * 4 + c]];
  }
  return m;
}

/** Baseline 2: the pbr heuristic on the guide photo in photo mode (as `remaster material <photo>` runs it), F0 0.04. */
async function heuristicBaseline(guide: Photo): Promise<MaterialMaps> {
  const { width, height } = guide;
  const maps = await estimatePbrFromColor(photoRgba(guide), width, height, { method: 'heuristic', mode: 'photo' });
  const m = emptyMaps(width, height);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) m.baseColor[i * 3 + c] = SRGB8_TO_LINEAR[maps.baseColor![i * 4 + c]];
  }
  m.normal.set(maps.normal);
  m.roughness.set(maps.roughness);
  return m;
}

export async function evaluateScenes(dataRoot: string, options: EvalOptions = {}): Promise<EvalReport> {
  const width = options.width ?? 768, height = options.height ?? 576, period = options.period ?? 96, fovDeg = options.fovDeg ?? 65;
  const camera: Camera = { width, height, fovDeg };
  const split = options.split ?? 'heldout';
  let sets: SceneSource[] = selectSplit(await findSets(dataRoot), split);
  if (!sets.length) throw new Error(`${dataRoot}: no ${split} material sets with colour + _norm + _gloss maps found`);
  if (options.limit) sets = sets.slice(0, options.limit);
  const scenes: SceneScores[] = [];
  const skipped: string[] = [];
  const rand = seededRandom(2015);
  for (const [index, set] of sets.entries()) {
    const started = performance.now();
    const tile = await loadSceneTile(set, period);
    if (isFlat(tile)) {
      skipped.push(`${set.key}:${set.name}`);
      continue;
    }
    const offset: [number, number] = [Math.floor(rand() * tile.width), Math.floor(rand() * tile.height)];
    const truth = tileMaps(tile, width, height, offset);
    const flash = await simulatePhoto(renderFlash(truth, camera), { seed: 100 + index * 2, jpegQuality: 90 });
    const guide = await simulatePhoto(renderGuide(truth, camera), { seed: 101 + index * 2, jpegQuality: 90 });
    const capture = await captureMaterial(flash, guide, { fovDeg, threads: options.threads });
    const result: SceneScores = {
      scene: `${set.key}:${set.name}`,
      scores: {
        'two-shot': score(capture.maps, truth, camera),
        guide: score(guideBaseline(guide), truth, camera),
        heuristic: score(await heuristicBaseline(guide), truth, camera),
      },
      seconds: (performance.now() - started) / 1000,
    };
    scenes.push(result);
    options.onScene?.(result);
  }
  const mean = {} as Record<Method, Scores>;
  for (const m of METHODS) {
    const avg = (f: (s: Scores) => number) => scenes.reduce((a, s) => a + f(s.scores[m]), 0) / scenes.length;
    mean[m] = { baseColorRmse: avg((s) => s.baseColorRmse), normalDeg: avg((s) => s.normalDeg), roughnessRmse: avg((s) => s.roughnessRmse), rerenderRmse: avg((s) => s.rerenderRmse) };
  }
  return {
    setup: { width, height, period, fovDeg, jpegQuality: 90, split, splitRule: SPLIT_RULES[split] },
    scenes, skipped, mean,
    ratios: {
      normalVsFlat: mean['two-shot'].normalDeg / mean.guide.normalDeg,
      rerenderVsGuide: mean['two-shot'].rerenderRmse / mean.guide.rerenderRmse,
      baseColorVsGuide: mean['two-shot'].baseColorRmse / mean.guide.baseColorRmse,
    },
  };
}

export function formatReport(r: EvalReport): string {
  const lines = [`eval-material: ${r.scenes.length} ${r.setup.split} scene(s)${r.skipped.length ? ` (${r.skipped.length} flat skipped: ${r.skipped.join(', ')})` : ''}, ${r.setup.width}x${r.setup.height}, period ${r.setup.period}, fov ${r.setup.fovDeg}°, noise + JPEG q${r.setup.jpegQuality}`,
    'method        base colour RMSE   normal error (deg)   roughness RMSE   re-render RMSE'];
  const row = (name: string, s: Scores) => `${name.padEnd(12)}  ${s.baseColorRmse.toFixed(4).padStart(16)}   ${s.normalDeg.toFixed(2).padStart(18)}   ${s.roughnessRmse.toFixed(4).padStart(14)}   ${s.rerenderRmse.toFixed(4).padStart(14)}`;
  for (const s of r.scenes) {
    lines.push(`-- ${s.scene} (${s.seconds.toFixed(1)} s)`);
    for (const m of METHODS) lines.push(row(m, s.scores[m]));
  }
  lines.push('-- mean');
  for (const m of METHODS) lines.push(row(m, r.mean[m]));
  lines.push(`targets: normal ≤ 0.5x flat: ${r.ratios.normalVsFlat.toFixed(2)}x; re-render ≤ 0.6x guide baseline: ${r.ratios.rerenderVsGuide.toFixed(2)}x; base colour ≤ 0.7x guide-as-albedo: ${r.ratios.baseColorVsGuide.toFixed(2)}x`);
  return `${lines.join('\n')}\n`;
}
