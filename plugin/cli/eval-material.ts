/** `remaster eval-material [data-dir]`: the two-shot capture benchmark on held-out game material sets. */
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { evaluateScenes, formatReport } from '../ops/material/evaluate';
import { SCENE_SPLITS, type SceneSplit } from '../ops/material/scenes';

interface EvalMaterialFlags {
  json?: boolean;
  split: SceneSplit;
  limit?: string;
  size?: string;
  period?: string;
  threads?: string;
}

function parseSplit(value: string): SceneSplit {
  if (!SCENE_SPLITS.includes(value as SceneSplit)) throw new InvalidArgumentError(`unknown split "${value}" (use ${SCENE_SPLITS.join(' or ')})`);
  return value as SceneSplit;
}

export function registerEvalMaterialCommand(program: Command): void {
  program
    .command('eval-material')
    .showHelpAfterError(false) // bad input is one line (exit 2), not a usage page
    .description('score the two-shot material capture on synthetic renders of game material sets never trained on (colour + _norm + _gloss) against two baselines')
    .argument('[data-dir]', 'folder with material sets, e.g. the unpacked Debian nexuiz-textures', path.join(os.homedir(), '.cache', 'remaster-data', 'nexuiz-textures'))
    .option('--json', 'print the report as one JSON object')
    .option('--split <name>', 'heldout (the development split) or test2 (sets never tuned on: run only to report, never to choose anything)', parseSplit, 'heldout')
    .option('--limit <n>', 'score only the first n scenes of the split')
    .option('--size <WxH>', 'frame size (default 768x576)')
    .option('--period <n>', 'pattern period in texels (default 96)')
    .option('--threads <n>', 'worker threads for the fit')
    .action(async (dir: string, flags: EvalMaterialFlags) => {
      const split = flags.split;
      const [width, height] = (flags.size ?? '768x576').split('x').map(Number);
      const report = await evaluateScenes(dir, {
        split, width, height, period: flags.period ? Number(flags.period) : undefined,
        limit: flags.limit ? Number(flags.limit) : undefined, threads: flags.threads ? Number(flags.threads) : undefined,
        onScene: (s) => { if (!flags.json) process.stderr.write(`${s.scene}: ${s.seconds.toFixed(1)} s\n`); },
      });
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    });
}
