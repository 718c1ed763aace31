/**
 * `remaster eval`: how much a model beats the classical baselines on a folder of high-resolution
 * images. Each image (alpha dropped, cropped to a multiple of the scale) is bicubic-downscaled to
 * make the low-resolution input, as in the SR literature, then upscaled back by bicubic, Lanczos
 * and the model, and each result is scored against the original. Same protocol as the model cards
 * (models/training/evaluate.py): no border shaved unless asked, and flat images (luma standard
 * deviation < 3, where HFEN's relative error is undefined) are skipped and listed.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { Engine } from '../engine';
import { readImageFile } from '../engine';
import { resizeClassical } from '../engine/classical';
import { pickChannels } from '../engine/pixels';
import { crop } from '../engine/wrap';
import { walkFiles } from '../discovery/walk-files';
import { formatOfExtension } from '../image-formats';
import type { RawImage } from '../types';
import { compareImages, luma, type QualityScores } from './index';

export type Method = 'bicubic' | 'lanczos' | 'model';
export const METHODS: Method[] = ['bicubic', 'lanczos', 'model'];

export interface ImageEval {
  file: string;
  width: number;
  height: number;
  scores: Record<Method, QualityScores>;
  /** Seconds the model took on this image. */
  modelSeconds: number;
}

export interface EvalReport {
  dir: string;
  scale: 2 | 4;
  /** Texels ignored at each edge when scoring. */
  border: number;
  /** Flat images left out (relative paths). */
  skippedFlat: string[];
  model: string;
  /** Engine id that ran the model, e.g. remaster-x2-fast@cpu. */
  engine: string;
  images: ImageEval[];
  mean: Record<Method, QualityScores>;
}

/** The images of one evaluated file, for the HTML report. */
export interface EvalImages {
  original: RawImage;
  results: Record<Method, RawImage>;
}


/** Image files under dir (recursively, dot-folders skipped), sorted for stable reports. */
export async function listImages(dir: string): Promise<string[]> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`${dir}: not a directory`);
  const files = await walkFiles(dir, { include: (rel) => formatOfExtension(path.posix.extname(rel)) !== undefined });
  return files.map((rel) => path.join(dir, ...rel.split('/'))).sort();
}

/** Luma standard deviation below which an image counts as flat. */
const FLAT_STD = 3;

export interface EvalOptions {
  scale: 2 | 4;
  model: string;
  border?: number;
  onImage?: (result: ImageEval, images: EvalImages) => void | Promise<void>;
}

export async function evaluateFolder(dir: string, engine: Engine, options: EvalOptions): Promise<EvalReport> {
  const { scale, model, onImage } = options;
  const border = options.border ?? 0;
  const files = await listImages(dir);
  if (files.length === 0) throw new Error(`${dir}: no PNG, JPEG or WebP images to evaluate`);
  const images: ImageEval[] = [];
  const skippedFlat: string[] = [];
  let engineId = model;
  for (const file of files) {
    const hr = await loadHighRes(file, scale);
    if (lumaStd(hr) < FLAT_STD) {
      skippedFlat.push(path.relative(dir, file));
      continue;
    }
    // Pillow-exact antialiased bicubic, as the model cards' evaluation makes its inputs.
    const lr = await resizeClassical(hr, hr.width / scale, hr.height / scale, 'color', { kernel: 'cubic', exact: true });
    const bicubic = await resizeClassical(lr, hr.width, hr.height, 'color', { kernel: 'cubic' });
    const lanczos = (await engine.upscale(lr, { scale, model: 'lanczos', kind: 'color' })).image;
    const started = process.hrtime.bigint();
    const upscaled = await engine.upscale(lr, { scale, model, kind: 'color' });
    const modelSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    engineId = upscaled.engine;
    const results = { bicubic, lanczos, model: upscaled.image };
    const scores = Object.fromEntries(METHODS.map((m) => [m, compareImages(hr, results[m], border)])) as Record<Method, QualityScores>;
    const result: ImageEval = { file: path.relative(dir, file), width: hr.width, height: hr.height, scores, modelSeconds };
    images.push(result);
    await onImage?.(result, { original: hr, results });
  }
  if (images.length === 0) throw new Error(`${dir}: every image is flat (luma std < ${FLAT_STD}); nothing to score`);
  return { dir, scale, border, skippedFlat, model, engine: engineId, images, mean: meanScores(images) };
}

function lumaStd(image: RawImage): number {
  const y = luma(image).data;
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  return Math.sqrt(y.reduce((a, v) => a + (v - mean) ** 2, 0) / y.length);
}

/** The file as RGB (or grey), cropped to a multiple of the scale and at least 16 low-res texels. */
async function loadHighRes(file: string, scale: number): Promise<RawImage> {
  let image = await readImageFile(file);
  if (image.channels === 4) image = pickChannels(image, [0, 1, 2]);
  if (image.channels === 2) image = pickChannels(image, [0]);
  const w = image.width - (image.width % scale);
  const h = image.height - (image.height % scale);
  if (w < 8 * scale || h < 8 * scale) throw new Error(`${file}: too small to evaluate at x${scale} (${image.width}x${image.height})`);
  return w === image.width && h === image.height ? image : crop(image, 0, 0, w, h);
}

function meanScores(images: ImageEval[]): Record<Method, QualityScores> {
  const mean = (m: Method, key: keyof QualityScores) => images.reduce((s, i) => s + i.scores[m][key], 0) / images.length;
  return Object.fromEntries(
    METHODS.map((m) => [m, { psnr: mean(m, 'psnr'), psnrY: mean(m, 'psnrY'), ssim: mean(m, 'ssim'), hfen: mean(m, 'hfen') }]),
  ) as Record<Method, QualityScores>;
}
