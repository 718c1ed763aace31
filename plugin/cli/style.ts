/**
 * `remaster style <in> <out> --reference <image>`: one texture given the look of a reference image;
 * with `--frames N`, a flipbook of N images whose strength rises from 0 to `--strength`.
 * Every input is checked before any work, so bad input writes nothing (exit 2, one line).
 */

import path from 'node:path';
import { Option, type Command } from 'commander';
import { usageError } from './command-result';
import { integerOption, numberOption, parseWorkerThreads } from './number-option';
import { readImageFile, writeImageFile } from '../engine';
import { blend, readStyleReference, STYLE_METHODS, styleFrames, styleFull, type StyleMethod } from '../ops/style';

interface StyleFlags {
  reference: string;
  strength: number;
  seamless?: boolean;
  seed: number;
  frames?: number;
  method: StyleMethod;
  tone?: number;
  /** false with --no-grain. */
  grain: boolean;
  threads?: number;
}

const OUTPUT_EXT = new Set(['.png', '.jpg', '.jpeg', '.webp']);

export const parseStrength = numberOption({ min: 0, max: 1, message: 'strength must be a number from 0 to 1' });
export const parseSeed = integerOption({ min: 0, max: 0xffffffff, message: 'seed must be an integer from 0 to 4294967295' });
export const parseTone = numberOption({ min: 0, max: 1, message: 'tone must be a number from 0 to 1' });
const parseFrames = integerOption({ min: 2, max: 256, message: 'frames must be an integer from 2 to 256' });

/** `wall.png`, frame 3 of 12 -> `wall-03.png`. */
export function frameFile(out: string, index: number, frames: number): string {
  const ext = path.extname(out);
  return `${out.slice(0, out.length - ext.length)}-${String(index).padStart(String(frames - 1).length, '0')}${ext}`;
}

export function registerStyleCommand(program: Command): void {
  program
    .command('style')
    .description('give one texture the look (palette, grain, contrast) of a reference image')
    .argument('<in>', 'input texture (PNG, JPEG or WebP)')
    .argument('<out>', 'output image (format from its extension; may be the input); with --frames, <out> gets -0, -1, ... before the extension')
    .requiredOption('--reference <image>', 'the style reference (8-bit PNG, JPEG or WebP, at most 4096x4096)')
    .option('--strength <s>', 'how much of the style: 0 (unchanged) to 1', parseStrength, 1)
    .option('--seamless', 'the texture tiles: keep it tiling (wrap-around filters)')
    .option('--seed <n>', 'seed of the random projections/filters (same seed, same output)', parseSeed, 0)
    .option('--frames <n>', 'write a flipbook of N images, strength 0 -> --strength', parseFrames)
    .option('--tone <s>', 'method stats: the most of the way (0..1) brightness moves toward the reference\'s (default: as far as the layout allows; one value for a set moves it together)', parseTone)
    .option('--no-grain', 'method stats: leave out the reference\'s colour grain (its colour variation that brightness does not predict): the grade only')
    .option('--threads <n>', 'method stats: threads for textures from 1024x1024 up; the bytes are the same for any value (default: 2, or 1 on one core)', parseWorkerThreads)
    .addOption(new Option('--method <m>', 'stats: palette and grain, layout kept (fast); stats-bands: stronger texture, weaker layout (fast); gram: random-filter Gram optimisation (slow)').choices([...STYLE_METHODS]).default('stats'))
    .action(async (input: string, output: string, flags: StyleFlags) => {
      if (flags.tone !== undefined && flags.method !== 'stats') usageError(`--tone applies to --method stats only, not ${flags.method}`);
      if (!flags.grain && flags.method !== 'stats') usageError(`--no-grain applies to --method stats only, not ${flags.method}`);
      if (flags.threads !== undefined && flags.method !== 'stats') usageError(`--threads applies to --method stats only, not ${flags.method}`);
      if (!OUTPUT_EXT.has(path.extname(output).toLowerCase())) usageError(`${output}: unsupported output format "${path.extname(output)}" (use .png, .jpg or .webp)`);
      let reference;
      let image;
      try {
        reference = await readStyleReference(flags.reference);
        image = await readImageFile(input);
      } catch (err) {
        usageError((err as Error).message);
      }
      const started = Date.now();
      const styled = await styleFull(image, reference, { method: flags.method, seamless: flags.seamless, seed: flags.seed, tone: flags.tone, threads: flags.threads, ...(flags.grain ? {} : { grain: false }) });
      const seconds = (Date.now() - started) / 1000;
      const note = `(${flags.method}${flags.tone !== undefined ? `, tone ${flags.tone}` : ''}${flags.seamless ? ', seamless' : ''}${flags.grain ? '' : ', no grain'}${flags.threads !== undefined ? `, ${flags.threads} thread${flags.threads === 1 ? '' : 's'}` : ''}, seed ${flags.seed}) in ${seconds.toFixed(2)} s`;
      if (flags.frames) {
        const frames = styleFrames(styled, flags.strength, flags.frames);
        for (let i = 0; i < frames.length; i++) await writeImageFile(frameFile(output, i, frames.length), frames[i]);
        process.stdout.write(`${input} -> ${frameFile(output, 0, frames.length)} .. ${frameFile(output, frames.length - 1, frames.length)}: ${frames.length} frames, strength 0 -> ${flags.strength} ${note}\n`);
      } else {
        await writeImageFile(output, blend(styled, flags.strength));
        process.stdout.write(`${input} ${image.width}x${image.height} -> ${output} styled after ${flags.reference} at strength ${flags.strength} ${note}\n`);
      }
    });
}
