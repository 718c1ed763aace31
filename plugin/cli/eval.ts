/** `remaster eval <dir>`: PSNR/SSIM/HFEN of a model against bicubic and Lanczos on a folder of images. */
import type { Command } from 'commander';
import { deviceOption, threadsOption } from './device-option';
import type { EvalReport, Method } from '../metrics/evaluate';
import type { DeviceChoice } from '../types';
import { checkModelForCli, parseScale, parseTile } from './upscale';
import { firstLine } from '../config/errors';
import { integerOption } from './number-option';

interface EvalFlags {
  scale: 2 | 4;
  model?: string;
  json?: boolean;
  report?: string;
  border: number;
  device: DeviceChoice;
  threads?: number;
  tile?: number;
}

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('score a model against bicubic and Lanczos on the high-resolution images in <dir> (PSNR, SSIM, HFEN)')
    .argument('<dir>', 'folder of high-resolution images (PNG, JPEG, WebP)')
    .option('--scale <n>', 'upscale factor: 2 or 4', parseScale, 2 as 2 | 4)
    .option('--model <name|path>', 'model to score (default: the shipped fast model for the scale)')
    .option('--json', 'print the report as one JSON object')
    .option('--report <file.html>', 'also write an HTML page with side-by-side crops')
    .option('--border <n>', 'texels to ignore at each edge when scoring (literature: the scale)', parseBorder, 0)
    .addOption(deviceOption())
    .addOption(threadsOption())
    .option('--tile <n>', 'tile size in input texels for neural models', parseTile)
    .action(async (dir: string, flags: EvalFlags) => {
      const [{ createEngine, defaultModel }, { evaluateFolder, METHODS }, { HtmlReport }] = await Promise.all([
        import('../engine'), import('../metrics/evaluate'), import('../metrics/html-report'),
      ]);
      const model = flags.model ?? defaultModel(flags.scale);
      const engine = createEngine({ device: flags.device, threads: flags.threads, tileSize: flags.tile, log: (line) => process.stderr.write(`${line}\n`) });
      const html = flags.report ? new HtmlReport() : undefined;
      try {
        await checkModelForCli(engine, model);
        const report = await evaluateFolder(dir, engine, {
          scale: flags.scale, model, border: flags.border,
          onImage: async (result, images) => {
            if (!flags.json) process.stderr.write(`${result.file}: ${METHODS.map((m) => `${m} ${result.scores[m].psnr.toFixed(2)} dB`).join(', ')}\n`);
            await html?.add(result, images);
          },
        });
        if (html && flags.report) await writeAtomic(flags.report, html.render(report));
        process.stdout.write(flags.json ? `${JSON.stringify(report, jsonNumbers)}\n` : formatTable(report, METHODS));
      } finally {
        await engine.close();
      }
    });
}

/** JSON has no Infinity: identical images (infinite PSNR) are written as null. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

const parseBorder = integerOption({ min: 0, max: 64, message: 'border must be an integer from 0 to 64' });

function formatTable(report: EvalReport, METHODS: readonly Method[]): string {
  const lines = [
    `x${report.scale}, model ${report.engine}, ${report.images.length} image(s)` +
      `${report.skippedFlat.length ? ` (${report.skippedFlat.length} flat skipped)` : ''}, border ${report.border}; PSNR dB (RGB) / SSIM (Y) / HFEN (Y)`,
  ];
  const cell = (s: { psnr: number; ssim: number; hfen: number }) => `${s.psnr.toFixed(2).padStart(6)} ${s.ssim.toFixed(4)} ${s.hfen.toFixed(4)}`;
  const width = Math.max(5, ...report.images.map((i) => i.file.length));
  lines.push(`${'image'.padEnd(width)}  ${METHODS.map((m) => m.padEnd(20)).join('  ')}`);
  for (const i of report.images) lines.push(`${i.file.padEnd(width)}  ${METHODS.map((m) => cell(i.scores[m])).join('  ')}`);
  lines.push(`${'mean'.padEnd(width)}  ${METHODS.map((m) => cell(report.mean[m])).join('  ')}`);
  const gain = report.mean.model.psnr - report.mean.bicubic.psnr;
  lines.push(`model vs bicubic: ${gain >= 0 ? '+' : ''}${gain.toFixed(2)} dB PSNR, HFEN ${report.mean.model.hfen.toFixed(4)} vs ${report.mean.bicubic.hfen.toFixed(4)}`);
  return lines.join('\n') + '\n';
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const { writeFileAtomic } = await import('../state/atomic-write');
  try {
    await writeFileAtomic(file, text);
  } catch (err) {
    throw new Error(`${file}: cannot write report (${firstLine(err)})`, { cause: err });
  }
}
