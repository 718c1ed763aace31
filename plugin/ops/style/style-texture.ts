/**
 * `styleTexture`: give one texture the look (palette, grain, local contrast) of a reference image,
 * keeping its structure, its alpha and — with `seamless` — its tiling.
 */

import type { RawImage } from '../../types';
import { bandStatisticsTransfer } from './band-statistics-transfer';
import { gramTransfer } from './gram-transfer';
import { rgbPlanesOf, toRawImage, type ColourPlanes } from './planes';
import { seededRandom } from './random';
import { statisticsTransfer } from './statistics-transfer';

/** How the style is carried over. */
export type StyleMethod =
  /** Colour optimal transport, the input's luminance above ~2 texels kept, shifted toward the reference as far as SSIM¼ ≥ 0.7 allows (default: fast, keeps the layout). */
  | 'stats'
  /** Colour optimal transport + per-band detail matching + half the transported coarse luminance (stronger texture change, weaker layout). */
  | 'stats-bands'
  /** Gram matching of multi-scale random-filter features by gradient descent from the input (ONNX Runtime). */
  | 'gram';

export const STYLE_METHODS: readonly StyleMethod[] = ['stats', 'stats-bands', 'gram'];

export interface StyleOptions {
  /** 0 = the input unchanged, 1 = the full transfer; in between, a linear blend. Default 1. */
  strength?: number;
  /** The texture tiles: every filter wraps around so the result tiles too. Default false (edges mirror). */
  seamless?: boolean;
  /** Seed of every random choice (projections, filters); same seed, same output. Default 0. */
  seed?: number;
  /** Default `'stats'`. */
  method?: StyleMethod;
  /**
   * Set-level tone (method `stats` only): the most of the way, 0..1, a texture's brightness moves toward
   * the reference's. Default 1: each texture as far as its layout allows (SSIM¼ ≥ 0.7), which moves a
   * set's textures by different amounts; one lower value for a whole set moves them together (each by the
   * same share of its own gap, still within its layout's limit). 0: palette and grain only.
   */
  tone?: number;
  /**
   * Method `stats` only: add the reference's colour grain — its colour variation that its brightness does
   * not predict, as seeded, tiling per-band noise (chroma-grain.ts; luma untouched). Default true. It can read
   * as coloured, stroke-like variation; false keeps only the grade (palette, brightness, the grain that
   * follows the input's own luminance), at some cost of colour and Gram distance.
   */
  grain?: boolean;
  /**
   * Method `stats` only: threads in all (this one included) for a texture's independent parts; 2 runs them on
   * a second core (statistics-transfer.ts, style-threads.ts). The output is the same bytes for any value.
   * Default: 2 from 1024² texels up (1 on a single-core machine), else 1.
   */
  threads?: number;
}

/** A styled texture at full strength, from which any strength (and a flipbook) is a cheap blend. */
export interface StyledTexture {
  input: RawImage;
  full: RawImage;
  method: StyleMethod;
}

/**
 * Styles `image` after `reference`. Alpha is copied unchanged and transparent texels (alpha 0) do not
 * count in the statistics; a grey image stays grey.
 *
 * @example
 * ```ts
 * import sharp from 'sharp';
 * import { readStyleReference, styleTexture } from 'remaster';
 *
 * const wall = await readStyleReference('textures/wall.png'); // any 8-bit PNG/JPEG/WebP as RawImage
 * const painting = await readStyleReference('art/reference.png');
 * const styled = await styleTexture(wall, painting, { strength: 0.6, seamless: true, seed: 1 });
 * await sharp(styled.data, { raw: { width: styled.width, height: styled.height, channels: styled.channels } }).toFile('wall-styled.png');
 * ```
 */
export async function styleTexture(image: RawImage, reference: RawImage, options: StyleOptions = {}): Promise<RawImage> {
  const strength = checkStrength(options.strength ?? 1);
  if (strength === 0) return { ...image, data: new Uint8Array(image.data) };
  return blend(await styleFull(image, reference, options), strength);
}

/** The full-strength result, kept with its input so `blend` can make any strength of it. */
export async function styleFull(image: RawImage, reference: RawImage, options: Omit<StyleOptions, 'strength'> = {}): Promise<StyledTexture> {
  const method = options.method ?? 'stats';
  if (!STYLE_METHODS.includes(method)) throw new Error(`unknown style method "${method}" (known: ${STYLE_METHODS.join(', ')})`);
  if (options.tone !== undefined) {
    if (method !== 'stats') throw new Error(`tone applies to method "stats" only, not "${method}"`);
    if (typeof options.tone !== 'number' || !Number.isFinite(options.tone) || options.tone < 0 || options.tone > 1) throw new Error(`tone must be a number from 0 to 1, got ${options.tone}`);
  }
  if (options.grain !== undefined) {
    if (typeof options.grain !== 'boolean') throw new Error(`grain must be true or false, got ${String(options.grain)}`);
    if (!options.grain && method !== 'stats') throw new Error(`grain applies to method "stats" only, not "${method}"`);
  }
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) throw new Error(`threads must be a whole number from 1, got ${options.threads}`);
  const random = seededRandom(options.seed ?? 0);
  const input = rgbPlanesOf(image);
  const ref = rgbPlanesOf(reference);
  const mask = opaqueMask(image);
  const referenceMask = opaqueMask(reference);
  const wrap = options.seamless ?? false;
  let styled: ColourPlanes;
  if (method === 'stats') styled = statisticsTransfer(input, ref, random, { wrap, mask, referenceMask, maxShift: options.tone, chromaGrain: options.grain, threads: options.threads });
  else if (method === 'stats-bands') styled = bandStatisticsTransfer(input, ref, random, { wrap, mask, referenceMask });
  else styled = await gramTransfer(input, ref, random, { wrap, mask, referenceMask });
  return { input: image, full: toRawImage(styled, image), method };
}

/** The styled texture at `strength` (0 = the input, 1 = full), a per-texel linear blend; alpha is the input's. */
export function blend(styled: StyledTexture, strength: number): RawImage {
  const s = checkStrength(strength);
  const { input, full } = styled;
  const data = new Uint8Array(input.data);
  const ch = input.channels;
  const colour = ch >= 3 ? 3 : 1;
  for (let i = 0; i < data.length; i += ch) {
    for (let c = 0; c < colour; c++) data[i + c] = Math.round(input.data[i + c] + s * (full.data[i + c] - input.data[i + c]));
  }
  return { data, width: input.width, height: input.height, channels: ch };
}

/**
 * A flipbook for effects: `frames` images whose strength rises evenly from 0 (the input) to `strength`.
 */
export function styleFrames(styled: StyledTexture, strength: number, frames: number): RawImage[] {
  if (!Number.isInteger(frames) || frames < 2) throw new Error(`frames must be an integer of at least 2, got ${frames}`);
  return Array.from({ length: frames }, (_, i) => blend(styled, (strength * i) / (frames - 1)));
}

export function checkStrength(strength: number): number {
  if (typeof strength !== 'number' || !Number.isFinite(strength) || strength < 0 || strength > 1) {
    throw new Error(`strength must be a number from 0 to 1, got ${strength}`);
  }
  return strength;
}

/** 1 where alpha > 0 (or everywhere when the image has no alpha channel). */
function opaqueMask(image: RawImage): Uint8Array | undefined {
  if (image.channels !== 2 && image.channels !== 4) return undefined;
  const n = image.width * image.height;
  const mask = new Uint8Array(n);
  let any = 0;
  for (let i = 0; i < n; i++) any |= mask[i] = image.data[i * image.channels + image.channels - 1] > 0 ? 1 : 0;
  return any ? mask : undefined;
}

