/**
 * `remaster eval-vary <dir>`: the Texture Multiplier against two baselines on a folder of texture sets,
 * with CNN-free statistics (plugin/metrics/texture-stats). Every method makes `count` variants of each
 * set at the exemplar's size, tiling; per texture:
 * - fidelity (colour SW, power spectrum, random-filter Gram) of each variant vs the exemplar, mean over
 *   variants; FLOOR = the same distances between the left and right halves of the exemplar (where those are
 *   the same texels moved, a two-tile checkerboard: the halves of one fundamental cell, floor-crops.ts); CEILING =
 *   between the exemplar and another texture of the folder (ceilingIndex). Images that tile (the variants,
 *   a tiling exemplar) are read on the torus — wrap-around Gram windows at every pyramid phase, the Hann-windowed
 *   spectrum averaged over every cyclic shift — so a cyclic shift does not move their figures (evalGram, fidelityTo);
 * - novelty: max cyclic NCC vs the exemplar (worst variant) and share of texels in verbatim copied
 *   windows ≥ copySize² (mean; for vary counted on its layouts, see below);
 * - diversity: the same two between variants 1 and 2;
 * - tileability: wrap-edge / interior energy (worst variant).
 */

import fs from 'node:fs';
import path from 'node:path';
import {
  copiedShare,
  gramDistanceOf,
  maxCyclicNcc,
  powerSpectrumDistance,
  slicedWasserstein,
  wrapEdgeRatio,
  type FidelityScores,
} from '../../metrics/texture-stats';
import type { RawImage } from '../../types';
import { histogramBlend, shuffledTiles } from './baselines';
import { floorCrops } from './floor-crops';
import { evalGram } from './gram-reading';
import { readMapFile } from './map-files';
import { remap } from './remap';
import { bandShare, stripeProfileShare } from './stripe-share';
import { findSiblings, isVariantName, mapSuffix } from './siblings';
import { tiles, varyTexture } from './vary-texture';
import type { VaryMap } from './types';
import type { VaryCheck } from './self-check';

export const EVAL_METHODS = ['vary', 'shuffled', 'histblend'] as const;
export type EvalMethod = (typeof EVAL_METHODS)[number];

export const METHOD_LABEL: Record<EvalMethod, string> = {
  vary: 'remaster vary',
  shuffled: 'shuffled tiles',
  histblend: 'Heitz-Neyret blend',
};

export interface MethodScores extends FidelityScores {
  /** Max cyclic NCC vs the exemplar, worst variant. */
  ncc: number;
  /** Share of texels in copied windows ≥ copySize² vs the exemplar, mean over variants. */
  copied: number;
  /** Max cyclic NCC between variants 1 and 2. */
  nccPair: number;
  /** Copied share of variant 1 from variant 2. */
  copiedPair: number;
  /** Wrap-edge / interior energy, worst variant. */
  wrap: number;
  /** Seconds per variant (all maps). */
  seconds: number;
}

export interface TextureEval {
  file: string;
  maps: string[];
  width: number;
  height: number;
  floor: FidelityScores;
  ceiling: FidelityScores;
  methods: Record<EvalMethod, MethodScores>;
  /** Vary's own run-time check of its variants (self-check.ts), to compare with the eval's verdict. */
  selfCheck?: VaryCheck;
  /**
   * Where vary read the exemplar as stripes (period.ts): the share of its luma variance in the stripe profile
   * (stripe-share.ts), about the least NCC vs the exemplar a variant that keeps the stripes in place can have.
   */
  stripeShare?: number;
  /** Where the exemplar is banded (bands.ts): the same bound for a variant that keeps its bands (stripe-share.ts `bandShare`). */
  bands?: { axis: 'rows' | 'cols'; share: number };
}

export interface VaryEvalReport {
  dir: string;
  count: number;
  variation: number;
  seed: number;
  copySize: number;
  textures: TextureEval[];
  mean: { floor: FidelityScores; ceiling: FidelityScores; methods: Record<EvalMethod, MethodScores> };
}

export interface VaryEvalOptions {
  count?: number;
  variation?: number;
  seed?: number;
  copySize?: number;
  /** Called per texture with its images (for the HTML report). */
  onTexture?: (result: TextureEval, exemplar: RawImage, variants: Record<EvalMethod, RawImage[]>) => Promise<void> | void;
  log?: (line: string) => void;
}

const IMAGE_EXT = /\.(png|jpe?g|webp)$/i;

/** The texture sets of a folder: every image that is not itself a map (kind suffix) or a variant, with its map siblings. */
export async function loadSets(dir: string): Promise<{ file: string; maps: VaryMap[] }[]> {
  const leads = fs.readdirSync(dir).filter((n) => IMAGE_EXT.test(n) && !mapSuffix(n.replace(IMAGE_EXT, '')) && !isVariantName(n)).sort();
  const sets = [];
  for (const name of leads) {
    const file = path.join(dir, name);
    const maps = [await readMapFile(file, 'color', 'color')];
    for (const s of findSiblings(file)) maps.push(await readMapFile(s.file, s.slot, s.kind));
    sets.push({ file: name, maps });
  }
  return sets;
}

/**
 * The texture the ceiling compares with: the next one (cyclically) from another texture-set folder —
 * the held-out files are named `<folder>__<name>`, and a recoloured sibling from the same set (e.g.
 * tekwallmulti2 / tekwallmulti2_wrn) is no "other texture". Without such prefixes: simply the next one.
 */
export function ceilingIndex(files: string[], t: number): number {
  const group = (f: string) => (f.includes('__') ? f.split('__')[0] : f);
  for (let k = 1; k < files.length; k++) {
    const i = (t + k) % files.length;
    if (group(files[i]) !== group(files[t])) return i;
  }
  return (t + 1) % files.length;
}

/** What fidelity is measured against: an exemplar, its Gram matrices (read once), and its floor. */
export interface FidelityReference {
  image: RawImage;
  /** Whether the exemplar tiles (vary's own test, `tiles`): then it is read as the torus it is. */
  tiles: boolean;
  gram: Float64Array[];
  /** The same distances between the exemplar's left and right halves. */
  floor: FidelityScores;
}

// How eval-vary and vary's own check read an image's Gram matrices (tiling: wrap-around; else valid windows).
export { evalGram };

/**
 * The fidelity distances (colour SW, power spectrum, Gram) of an image to a reference. `tiling`: the image
 * is read as tiling (default true: the variants are made to tile, and their wrap edge is part of them in
 * use). The power spectrum is the shift-averaged one only where both tile (power-spectrum.ts: one estimator
 * per pair); the Gram matrices are read per image.
 */
export function fidelityTo(image: RawImage, ref: Pick<FidelityReference, 'image' | 'gram' | 'tiles'>, tiling = true): FidelityScores {
  return {
    colour: slicedWasserstein(image, ref.image),
    spectrum: powerSpectrumDistance(image, ref.image, { tiling: tiling && ref.tiles }),
    gram: gramDistanceOf(evalGram(image, tiling), ref.gram),
  };
}

/**
 * An exemplar as eval-vary's fidelity reference; its floor compares its left half with its right half
 * (crops: never tiling) — or, where those hold the same texels (a two-tile checkerboard), the two halves of one
 * fundamental cell of the repeat (floor-crops.ts). The exemplar is read as tiling where it tiles (vary's own test, `tiles`).
 * @example const ref = fidelityReference(exemplar); fidelityTo(variant, ref).gram <= 2 * ref.floor.gram
 */
export function fidelityReference(ex: RawImage): FidelityReference {
  const [left, right] = floorCrops(ex);
  const tiling = tiles(ex);
  const floor = fidelityTo(left, { image: right, gram: evalGram(right, false), tiles: false }, false);
  return { image: ex, tiles: tiling, gram: evalGram(ex, tiling), floor };
}

function meanOf<T extends object>(rows: T[]): T {
  const out = {} as Record<string, number>;
  for (const key of Object.keys(rows[0])) out[key] = rows.reduce((s, r) => s + (r as Record<string, number>)[key], 0) / rows.length;
  return out as T;
}

export async function evaluateVary(dir: string, options: VaryEvalOptions = {}): Promise<VaryEvalReport> {
  const count = Math.max(2, options.count ?? 2);
  const variation = options.variation ?? 0.5;
  const seed = options.seed ?? 1;
  const copySize = options.copySize ?? 32;
  const sets = await loadSets(dir);
  if (sets.length < 2) throw new Error(`${dir}: needs at least 2 textures (the ceiling compares with another texture)`);
  const textures: TextureEval[] = [];
  for (let t = 0; t < sets.length; t++) {
    const { file, maps } = sets[t];
    const ex = maps[0].image;
    const reference = fidelityReference(ex);
    const { floor } = reference;
    const other = sets[ceilingIndex(sets.map((x) => x.file), t)].maps[0].image;
    const ceiling = fidelityTo(other, reference, tiles(other));
    const images = {} as Record<EvalMethod, RawImage[]>;
    let selfCheck: VaryCheck | undefined;
    let stripeShare: number | undefined;
    const methods = {} as Record<EvalMethod, MethodScores>;
    for (const method of EVAL_METHODS) {
      const started = process.hrtime.bigint();
      let variants: RawImage[];
      // Where the copied-region shares look: the variants themselves, except for vary, whose colour maps are
      // graded (colour-match.ts) and filtered (spectrum-match.ts): both change the values of copied texels,
      // not the fact that they were copied, and exact-match detection would miss them. So vary's copies are
      // counted on the same layouts as plain remaps of the exemplar.
      let layouts: RawImage[] | undefined;
      if (method === 'vary') {
        const result = varyTexture(maps, { count, seed, variation, tile: true });
        const made = result.variants;
        selfCheck = result.check;
        if (result.lattice?.stripes) stripeShare = stripeProfileShare(ex, result.lattice);
        variants = made.map((v) => v.maps[0].image);
        layouts = made.map((v) => remap(maps[0].image, v.coords, maps[0].kind));
      } else {
        const make = method === 'shuffled' ? shuffledTiles : histogramBlend;
        variants = Array.from({ length: count }, (_, k) => make(maps, { width: ex.width, height: ex.height, seed: seed * 1000 + k, cell: Math.max(16, Math.round(Math.min(ex.width, ex.height) / 4)) })[0].image);
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9 / count;
      images[method] = variants;
      const fid = meanOf(variants.map((v) => fidelityTo(v, reference)));
      methods[method] = {
        ...fid,
        ncc: Math.max(...variants.map((v) => maxCyclicNcc(v, ex).max)),
        copied: (layouts ?? variants).reduce((s, v) => s + copiedShare(v, ex, { size: copySize }), 0) / variants.length,
        nccPair: maxCyclicNcc(variants[0], variants[1]).max,
        copiedPair: copiedShare((layouts ?? variants)[0], (layouts ?? variants)[1], { size: copySize }),
        wrap: Math.max(...variants.map((v) => wrapEdgeRatio(v))),
        seconds,
      };
    }
    const bands = stripeShare === undefined ? bandShare(ex) : undefined;
    const result: TextureEval = { file, maps: maps.map((m) => m.slot), width: ex.width, height: ex.height, floor, ceiling, methods, selfCheck, stripeShare, bands };
    textures.push(result);
    options.log?.(`[${t + 1}/${sets.length}] ${file}`);
    await options.onTexture?.(result, ex, images);
  }
  const mean = {
    floor: meanOf(textures.map((t) => t.floor)),
    ceiling: meanOf(textures.map((t) => t.ceiling)),
    methods: Object.fromEntries(EVAL_METHODS.map((m) => [m, meanOf(textures.map((t) => t.methods[m]))])) as Record<EvalMethod, MethodScores>,
  };
  return { dir, count, variation, seed, copySize, textures, mean };
}

/** Targets of issue 10, checked per texture: tiles, novel, diverse, faithful (≤ 2x floor, < ceiling). */
export function meetsTargets(t: { floor: FidelityScores; ceiling: FidelityScores }, s: MethodScores): Record<string, boolean> {
  const faithful = (['colour', 'spectrum', 'gram'] as const).every((k) => s[k] <= 2 * t.floor[k] + 1e-9 && s[k] < t.ceiling[k]);
  return { tiles: s.wrap <= 1.2, novel: s.ncc <= 0.6, diverse: s.nccPair <= 0.6, faithful };
}

/** The plain-text table `eval-vary` prints. */
export function formatVaryTable(report: VaryEvalReport): string {
  const f = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(3));
  const lines: string[] = [];
  const head = 'colourSW spectrum   gram    ncc  copied nccPair copPair  wrap';
  lines.push(`eval-vary ${report.dir}: ${report.textures.length} texture(s), ${report.count} variants each, variation ${report.variation}, seed ${report.seed}, copied windows >= ${report.copySize}px`);
  const row = (label: string, s: Partial<MethodScores>) =>
    `  ${label.padEnd(20)} ${[s.colour, s.spectrum, s.gram, s.ncc, s.copied, s.nccPair, s.copiedPair, s.wrap].map((v) => (v === undefined ? '' : f(v)).padStart(7)).join(' ')}`;
  for (const t of [...report.textures, { file: 'MEAN', width: 0, height: 0, floor: report.mean.floor, ceiling: report.mean.ceiling, methods: report.mean.methods, maps: [] } as TextureEval]) {
    lines.push(`${t.file}${t.width ? ` ${t.width}x${t.height} [${t.maps.join('+')}]` : ''}`);
    lines.push(`  ${''.padEnd(20)} ${head}`);
    lines.push(row('floor (2 crops)', t.floor));
    lines.push(row('ceiling (other tex)', t.ceiling));
    for (const m of EVAL_METHODS) {
      const ok = meetsTargets(t, t.methods[m]);
      const self = m === 'vary' && t.selfCheck ? `  | own check: ${t.selfCheck.misses.map((k) => `!${k}`).join(' ') || 'ok'}` : '';
      lines.push(`${row(METHOD_LABEL[m], t.methods[m])}  ${Object.entries(ok).filter(([, v]) => !v).map(([k]) => `!${k}`).join(' ')}${self}`);
    }
    // Not a metric and no verdict: why a stripe texture's NCC stays high (stripe-share.ts).
    if (t.stripeShare !== undefined) {
      lines.push(`  stripes: ${f(t.stripeShare)} of the exemplar's luma variance is its stripe profile; a variant keeping the stripes in place has NCC vs the exemplar of about that or more`);
    }
    if (t.bands) {
      lines.push(`  bands: ${f(t.bands.share)} of the exemplar's luma variance is its ${t.bands.axis === 'rows' ? 'row' : 'column'} means; a variant keeping the bands in place has NCC vs the exemplar of about that or more`);
    }
  }
  lines.push('targets met (textures): ' + EVAL_METHODS.map((m) => {
    const counts = { tiles: 0, novel: 0, diverse: 0, faithful: 0 } as Record<string, number>;
    for (const t of report.textures) for (const [k, v] of Object.entries(meetsTargets(t, t.methods[m]))) if (v) counts[k]++;
    return `${METHOD_LABEL[m]}: ${Object.entries(counts).map(([k, v]) => `${k} ${v}/${report.textures.length}`).join(', ')}`;
  }).join('; '));
  const checked = report.textures.filter((t) => t.selfCheck);
  if (checked.length) {
    // Vary's own run-time check (self-check.ts) against the eval's verdict, per target: both miss / only the
    // eval misses (the check was silent) / only the check warns (a false alarm).
    lines.push('own check vs eval (remaster vary): ' + (['novel', 'diverse', 'faithful'] as const).map((k) => {
      let both = 0, evalOnly = 0, checkOnly = 0;
      for (const t of checked) {
        const missed = !meetsTargets(t, t.methods.vary)[k];
        const warned = t.selfCheck!.misses.includes(k);
        if (missed && warned) both++;
        else if (missed) evalOnly++;
        else if (warned) checkOnly++;
      }
      return `${k}: both ${both}, eval only ${evalOnly}, check only ${checkOnly}`;
    }).join('; '));
  }
  return lines.join('\n');
}
