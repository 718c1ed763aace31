/**
 * `remaster material <flash> <guide> --out DIR`: PBR maps from a flash + guide photo pair (two-shot).
 * `remaster material <photo> --out DIR`: the one-photo estimate (the pbr operation's estimator).
 */
import type { Command } from 'commander';
import { captureMaterialFiles, materialFromOnePhoto } from '../ops/material';
import { CaptureInputError } from '../ops/material/read-photo';
import { NoPatternError } from '../ops/material/period';
import type { CommandResult } from './command-result';
import { integerOption, numberOption } from './number-option';

interface MaterialFlags {
  out: string;
  fov?: number;
  tile?: boolean;
  json?: boolean;
  threads?: number;
  anisotropy: boolean;
}

const parseFov = numberOption({ min: 5, max: 150, message: 'fov must be a number of degrees from 5 to 150' });
const parseThreads = integerOption({ min: 1, max: 64, message: 'threads must be an integer from 1 to 64' });

export function registerMaterialCommand(program: Command, result: CommandResult): void {
  program
    .command('material')
    .description('PBR maps (base colour, normal, roughness, specular, anisotropy, height, occlusion, material.glb) from a flash photo and a no-flash guide photo of a flat, repeating material; with one photo, an estimate of base colour, normal, roughness, height and occlusion')
    .argument('<flash>', 'photo with the flash on (camera facing the sample); or the one photo')
    .argument('[guide]', 'same framing, flash off (room light); omit for the one-photo estimate')
    .requiredOption('--out <dir>', 'output folder (written all-or-nothing)')
    .option('--fov <deg>', 'horizontal field of view of the camera in degrees (default: from EXIF FocalLengthIn35mmFilm, else 65)', parseFov)
    .option('--tile', 'also write one period of the pattern as tileable maps (tile-*.png)')
    .option('--json', 'print the files, the fit residuals and warnings as one JSON object')
    .option('--threads <n>', 'worker threads for the fit (default: CPU count, at most 8)', parseThreads)
    .option('--no-anisotropy', 'fit isotropic highlights only (faster)')
    .action(async (flash: string, guide: string | undefined, flags: MaterialFlags) => {
      try {
        if (guide === undefined) {
          const one = await materialFromOnePhoto(flash, flags.out);
          process.stdout.write(flags.json ? `${JSON.stringify(one)}\n` : `${one.files.length} files in ${flags.out} (${one.width}x${one.height}); one-photo estimate (${one.engine})\n`);
          return;
        }
        const report = await captureMaterialFiles(flash, guide, flags.out, { fovDeg: flags.fov, tile: flags.tile, threads: flags.threads, anisotropy: flags.anisotropy });
        for (const w of report.warnings) process.stderr.write(`remaster: warning: ${w}\n`);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(report)}\n`);
        } else {
          process.stdout.write(`${report.files.length} files in ${flags.out} (${report.width}x${report.height}); period ${fmt(report.period.a)} ${fmt(report.period.b)}; ` +
            `flash fit RMS residual ${report.residual.rms.toFixed(4)} (linear), ${report.residual.samplesPerPoint.toFixed(0)} samples/point; ${report.seconds.total.toFixed(1)} s\n` +
            `note: ${report.albedoNote}\n`);
        }
      } catch (err) {
        if (err instanceof CaptureInputError || err instanceof NoPatternError) {
          process.stderr.write(`remaster: ${err.message}\n`);
          result.code = 2;
          return;
        }
        throw err;
      }
    });
}

function fmt(v: [number, number]): string {
  return `(${v.map((x) => Number(x.toFixed(2))).join(', ')})`;
}
