/** `remaster eval-vary <dir>`: the Texture Multiplier vs shuffled tiles and Heitz-Neyret blending, CNN-free statistics. */
import type { Command } from 'commander';
import { ConfigError, firstLine } from '../config/errors';
import { readDecimal, readInteger } from './number-option';

interface EvalVaryFlags {
  count: string;
  variation: string;
  seed: string;
  copySize: string;
  json?: boolean;
  report?: string;
}

export function registerEvalVaryCommand(program: Command): void {
  program
    .command('eval-vary')
    .description('score texture variations (fidelity, novelty, diversity, tiling) against two baselines on a folder of texture sets')
    .argument('<dir>', 'folder of textures (maps beside them by kind suffix: wall.png + wall_norm.png)')
    .option('--count <n>', 'variants per texture and method (at least 2)', '2')
    .option('--variation <0..1>', 'variation passed to remaster vary', '0.5')
    .option('--seed <n>', 'seed', '1')
    .option('--copy-size <px>', 'smallest verbatim copied square counted', '32')
    .option('--json', 'print the report as one JSON object')
    .option('--report <file.html>', 'also write an HTML page: exemplar, variants and their 2x2 tilings')
    .action(async (dir: string, flags: EvalVaryFlags) => {
      const count = readInteger(flags.count);
      const variation = readDecimal(flags.variation);
      const seed = readInteger(flags.seed);
      const copySize = readInteger(flags.copySize);
      if (!Number.isInteger(count) || count < 2 || count > 16) throw new ConfigError('--count must be a whole number from 2 to 16');
      if (!(variation >= 0 && variation <= 1)) throw new ConfigError('--variation must be from 0 to 1');
      if (!Number.isInteger(seed)) throw new ConfigError('--seed must be a whole number');
      if (!Number.isInteger(copySize) || copySize < 4) throw new ConfigError('--copy-size must be a whole number from 4 up');
      // Loaded only when the command runs (see main.ts).
      const { evaluateVary, formatVaryTable } = await import('../ops/vary/evaluate');
      const { VaryHtmlReport } = await import('../ops/vary/html-report');
      const { writeFileAtomic } = await import('../state/atomic-write');
      const html = flags.report ? new VaryHtmlReport() : undefined;
      let report;
      try {
        report = await evaluateVary(dir, {
          count, variation, seed, copySize,
          log: (line) => process.stderr.write(`${line}\n`),
          onTexture: html ? (r, ex, v) => html.add(r, ex, v) : undefined,
        });
      } catch (err) {
        throw new ConfigError(firstLine(err));
      }
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${formatVaryTable(report)}\n`);
      if (html && flags.report) await writeFileAtomic(flags.report, html.render(report));
    });
}
