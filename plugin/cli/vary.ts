/**
 * `remaster vary <texture> [--with slot=file ...]`: N tileable variations of a texture set, written
 * as `<out>/<stem>-v<k>.<ext>` (maps named after the texture: `<stem>-v<k><suffix>.<ext>`). Bad input
 * is one line and exit 2, with nothing written.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../config/errors';
import { VaryInputError } from '../ops/vary/input-error';
import type { VaryMap, VaryOptions } from '../ops/vary/types';
import type { PendingFile } from '../ops/vary/encode';
import { mapSuffix } from '../ops/vary/siblings';
import type { TextureKind } from '../types';
import { parseWorkerThreads, readDecimal, readInteger } from './number-option';

interface VaryFlags {
  with: string[];
  count: string;
  seed: string;
  size?: string;
  variation: string;
  tile?: boolean;
  out?: string;
  json?: boolean;
  threads?: number;
}

/** Kind of a `--with` slot: by its name (normal, n, nrm → normal; color, albedo, basecolor, emissive → colour), else its file's suffix, else data. */
export function kindOfSlot(slot: string, file: string): TextureKind {
  if (/^(n|nrm|nor|norm|normal|normalgl|normals)$/i.test(slot)) return 'normal';
  if (/^(colou?r|albedo|diffuse|base(colou?r)?|emissive)$/i.test(slot)) return 'color';
  const byName = mapSuffix(path.basename(file).replace(/\.[^.]+$/, ''));
  return byName?.kind ?? 'data';
}

function wholeNumber(name: string, value: string): number {
  const n = readInteger(value);
  if (!Number.isSafeInteger(n)) throw new VaryInputError(`--${name} must be a whole number (got "${value}")`);
  return n;
}

/** Parses the flags into options (throws VaryInputError with one line). */
export function varyOptionsFromFlags(flags: VaryFlags): VaryOptions {
  const options: VaryOptions = { count: wholeNumber('count', flags.count), seed: wholeNumber('seed', flags.seed), tile: flags.tile ? true : undefined, threads: flags.threads };
  const variation = readDecimal(flags.variation);
  if (!(variation >= 0 && variation <= 1)) throw new VaryInputError(`--variation must be a number from 0 to 1 (got "${flags.variation}")`);
  options.variation = variation;
  if (flags.size !== undefined) {
    const m = /^(\d+)x(\d+)$/i.exec(flags.size.trim());
    if (!m) throw new VaryInputError(`--size must be WIDTHxHEIGHT, e.g. 1024x1024 (got "${flags.size}")`);
    options.width = Number(m[1]);
    options.height = Number(m[2]);
  }
  return options;
}

function collect(value: string, previous: string[]): string[] {
  return previous.concat([value]);
}

export function registerVaryCommand(program: Command): void {
  program
    .command('vary')
    .description('make N tileable variations of a texture and its maps (same layout in every map)')
    .argument('<texture>', 'the texture (PNG, JPEG or WebP, 8-bit)')
    .option('--with <slot=file>', 'another map of the set, e.g. normal=wall_n.png (repeatable)', collect, [] as string[])
    .option('--count <n>', 'number of variants', '4')
    .option('--seed <n>', 'seed: same seed, same bytes', '1')
    .option('--size <WxH>', 'output size (default: the texture\'s)')
    .option('--variation <0..1>', 'faithful (0: large copied regions) to novel (1)', '0.5')
    .option('--tile', 'make the output tile even if the texture does not')
    .option('--out <dir>', 'output folder (default: the texture\'s folder)')
    .option('--threads <n>', 'worker threads for outputs from 256x256 up; the bytes are the same for any value (default: 2, or 1 on one core)', parseWorkerThreads)
    .option('--json', 'print what was written as one JSON object')
    .action(async (texture: string, flags: VaryFlags) => {
      try {
        // The synthesis, sharp and the encoders load only when the command runs (see main.ts).
        const { MAX_EXEMPLAR_PIXELS, varyTexture } = await import('../ops/vary/vary-texture');
        const { readMapFile, variantFileName } = await import('../ops/vary/map-files');
        const { writeAllOrNothing } = await import('../ops/vary/encode');
        const started = Date.now();
        const options = varyOptionsFromFlags(flags);
        const leadKind = mapSuffix(path.basename(texture).replace(/\.[^.]+$/, ''))?.kind ?? 'color';
        const files = [{ slot: leadKind === 'color' ? 'color' : leadKind, kind: leadKind, file: texture }];
        for (const w of flags.with) {
          const eq = w.indexOf('=');
          if (eq < 1 || eq === w.length - 1) throw new VaryInputError(`--with must be slot=file (got "${w}")`);
          const slot = w.slice(0, eq);
          const file = w.slice(eq + 1);
          files.push({ slot, kind: kindOfSlot(slot, file), file });
        }
        const maps: VaryMap[] = [];
        for (const f of files) maps.push(await readMapFile(f.file, f.slot, f.kind, MAX_EXEMPLAR_PIXELS));
        // Name mismatched sizes by file, not slot.
        for (let i = 1; i < maps.length; i++) {
          const a = maps[0].image;
          const b = maps[i].image;
          if (a.width !== b.width || a.height !== b.height) throw new VaryInputError(`${files[i].file}: ${b.width}x${b.height} does not match ${texture} ${a.width}x${a.height} (all maps must be the same size)`);
        }
        const outDir = flags.out ?? path.dirname(texture);
        if (flags.out !== undefined && fs.existsSync(outDir) && !fs.statSync(outDir).isDirectory()) throw new VaryInputError(`${outDir}: --out is not a folder`);
        const result = varyTexture(maps, options);
        const leadStem = path.basename(texture).replace(/\.[^.]+$/, '');
        const pending: PendingFile[] = [];
        for (const v of result.variants) {
          v.maps.forEach((m, i) => pending.push({ file: path.join(outDir, path.basename(variantFileName(files[i].file, v.index, leadStem))), image: m.image }));
        }
        fs.mkdirSync(outDir, { recursive: true });
        await writeAllOrNothing(pending);
        const seconds = (Date.now() - started) / 1000;
        // The variants are written either way; a missed target is one line on stderr (self-check.ts).
        const { describeMisses } = await import('../ops/vary/self-check');
        const missed = result.check && describeMisses(result.check);
        const warnings = missed ? [`${texture}: ${missed}`] : [];
        for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({
            texture,
            exemplarTiles: result.exemplarTiles,
            outputTiles: result.outputTiles,
            lattice: result.lattice ?? null,
            seconds,
            check: result.check ?? null,
            warnings,
            variants: result.variants.map((v) => ({ index: v.index, files: v.maps.map((_, i) => pending[(v.index - 1) * v.maps.length + i].file) })),
          })}\n`);
        } else {
          for (const p of pending) process.stdout.write(`${p.file}\n`);
          process.stdout.write(`${result.variants.length} variant(s) of ${maps.length} map(s), ${pending[0].image.width}x${pending[0].image.height}, ` +
            `${result.outputTiles ? 'tiling' : 'not tiling'}${result.lattice ? `, lattice (${result.lattice.a.join(',')}) (${result.lattice.b.join(',')})` : ''}, in ${seconds.toFixed(2)} s\n`);
        }
      } catch (err) {
        if (err instanceof VaryInputError) throw new ConfigError(err.message);
        throw err;
      }
    });
}
