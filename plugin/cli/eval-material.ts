/** `remaster eval-material [data-dir]`: the two-shot capture benchmark on held-out game material sets. */
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { integerOption } from './number-option';
import { evaluateScenes, formatReport } from '../ops/material/evaluate';
import { SCENE_SPLITS, type SceneSplit } from '../ops/material/scenes';

interface EvalMaterialFlags {
  json?: boolean;
  split: SceneSplit;
  limit?: number;
  size?: { width: number; height: number };
  period?: number;
  threads?: number;
}

const parseLimit = integerOption({ min: 1, message: 'limit must be a whole number from 1 up' });
const parsePeriod = integerOption({ min: 8, max: 1024, message: 'period must be a whole number of texels from 8 to 1024' });
const parseThreads = integerOption({ min: 1, max: 64, message: 'threads must be an integer from 1 to 64' });

function parseSize(value: string): { width: number; height: number } {
  const m = /^\s*(\d+)x(\d+)\s*$/i.exec(value);
  const [width, height] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!(width >= 64 && height >= 64 && width <= 4096 && height <= 4096)) throw new InvalidArgumentError('size must be WIDTHxHEIGHT, each from 64 to 4096 (e.g. 768x576)');
  return { width, height };
}

function parseSplit(value: string): SceneSplit {
  if (!SCENE_SPLITS.includes(value as SceneSplit)) throw new InvalidArgumentError(`unknown split "${value}" (use ${SCENE_SPLITS.join(' or ')})`);
  return value as SceneSplit;
}

export function registerEvalMaterialCommand(program: Command): void {
  program
    .command('eval-material')
    .description('score the two-shot material capture on synthetic renders of game material sets never trained on (colour + _norm + _gloss) against two baselines')
    .argument('[data-dir]', 'folder with material sets, e.g. the unpacked Debian nexuiz-textures', path.join(os.homedir(), '.cache', 'remaster-data', 'nexuiz-textures'))
    .option('--json', 'print the report as one JSON object')
    .option('--split <name>', 'heldout (the development split) or test2 (sets never tuned on: run only to report, never to choose anything)', parseSplit, 'heldout')
    .option('--limit <n>', 'score only the first n scenes of the split', parseLimit)
    .option('--size <WxH>', 'frame size (default 768x576)', parseSize)
    .option('--period <n>', 'pattern period in texels (default 96)', parsePeriod)
    .option('--threads <n>', 'worker threads for the fit', parseThreads)
    .action(async (dir: string, flags: EvalMaterialFlags) => {
      const split = flags.split;
      const { width, height } = flags.size ?? { width: 768, height: 576 };
      const report = await evaluateScenes(dir, {
        split, width, height, period: flags.period, limit: flags.limit, threads: flags.threads,
        onScene: (s) => { if (!flags.json) process.stderr.write(`${s.scene}: ${s.seconds.toFixed(1)} s\n`); },
      });
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    });
}
