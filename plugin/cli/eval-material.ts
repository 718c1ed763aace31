/** `remaster eval-material [data-dir]`: the two-shot capture benchmark on held-out game material sets. */
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { evaluateScenes, formatReport } from '../ops/material/evaluate';

interface EvalMaterialFlags {
  json?: boolean;
  limit?: string;
  size?: string;
  period?: string;
  threads?: string;
}

export function registerEvalMaterialCommand(program: Command): void {
  program
    .command('eval-material')
    .description('score the two-shot material capture on synthetic renders of held-out game material sets (colour + _norm + _gloss) against two baselines')
    .argument('[data-dir]', 'folder with material sets, e.g. the unpacked Debian nexuiz-textures', path.join(os.homedir(), '.cache', 'remaster-data', 'nexuiz-textures'))
    .option('--json', 'print the report as one JSON object')
    .option('--limit <n>', 'score only the first n held-out scenes')
    .option('--size <WxH>', 'frame size (default 768x576)')
    .option('--period <n>', 'pattern period in texels (default 96)')
    .option('--threads <n>', 'worker threads for the fit')
    .action(async (dir: string, flags: EvalMaterialFlags) => {
      const [width, height] = (flags.size ?? '768x576').split('x').map(Number);
      const report = await evaluateScenes(dir, {
        width, height, period: flags.period ? Number(flags.period) : undefined,
        limit: flags.limit ? Number(flags.limit) : undefined, threads: flags.threads ? Number(flags.threads) : undefined,
        onScene: (s) => { if (!flags.json) process.stderr.write(`${s.scene}: ${s.seconds.toFixed(1)} s\n`); },
      });
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    });
}
