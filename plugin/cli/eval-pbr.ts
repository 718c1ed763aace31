/** `remaster eval-pbr <dir>`: colour → PBR estimators scored against known normal/roughness/height maps. */
import { InvalidArgumentError, type Command } from 'commander';
import type { PbrEvalReport } from '../ops/pbr/evaluate';
import { EVAL_METHODS, type EvalMethod } from '../ops/pbr/types';
import { numberOption } from './number-option';

interface EvalPbrFlags {
  method: EvalMethod[];
  model?: string;
  strength?: number;
  falloff?: number;
  json?: boolean;
}

function parseMethods(value: string): EvalMethod[] {
  const list = value.split(',').map((s) => s.trim()) as EvalMethod[];
  for (const m of list) if (!EVAL_METHODS.includes(m)) throw new InvalidArgumentError(`unknown method "${m}" (use ${EVAL_METHODS.join(', ')})`);
  return list;
}

const parsePositive = numberOption({ min: 0, aboveMin: true, max: 1000, message: 'must be a number above 0 and up to 1000' });

export function registerEvalPbrCommand(program: Command): void {
  program
    .command('eval-pbr')
    .description('score colour -> normal/roughness/height estimation (flat baseline, heuristic, CNN) on <dir>/<name>_color.png with <name>_normal.png [_roughness.png, _height.png]')
    .argument('<dir>', 'folder of <name>_color.png and their known maps')
    .option('--method <list>', `comma-separated methods (${EVAL_METHODS.join(', ')})`, parseMethods, [...EVAL_METHODS])
    .option('--model <file.onnx>', 'PBR network for the cnn method (default: the shipped models/pbr/remaster-pbr.onnx)')
    .option('--strength <n>', 'heuristic normal strength', parsePositive)
    .option('--falloff <n>', 'heuristic pyramid weight ratio between levels', parsePositive)
    .option('--json', 'print the report as one JSON object')
    .action(async (dir: string, flags: EvalPbrFlags) => {
      // Loaded here, not at startup: onnxruntime and sharp cost every other command (see main.ts).
      const { loadPbrModel } = await import('../ops/pbr/cnn');
      const { evaluatePbrFolder } = await import('../ops/pbr/evaluate');
      const model = flags.method.includes('cnn') ? await loadPbrModel({ file: flags.model, device: 'cpu' }) : undefined;
      try {
        const heuristic = { ...(flags.strength ? { strength: flags.strength } : {}), ...(flags.falloff ? { falloff: flags.falloff } : {}) };
        const report = await evaluatePbrFolder(dir, {
          methods: flags.method, model, heuristic,
          onImage: (r) => {
            if (!flags.json) process.stderr.write(`${r.name}: ${flags.method.map((m) => `${m} ${r.scores[m]!.normalAngle.toFixed(2)}°`).join(', ')}\n`);
          },
        });
        process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : formatTable(report));
      } finally {
        await model?.release();
      }
    });
}

function formatTable(report: PbrEvalReport): string {
  const lines = [`${report.dir}: ${report.images.length} image(s); normal mean angular error (deg), roughness RMSE, height correlation`];
  lines.push(`${'method'.padEnd(22)} ${'normal°'.padStart(8)} ${'rough RMSE (n)'.padStart(16)} ${'height r (n)'.padStart(14)}`);
  for (const m of report.methods) {
    const s = report.summary[m]!;
    const r = s.roughnessRmse === null ? '–' : `${s.roughnessRmse.toFixed(4)} (${s.roughnessImages})`;
    const h = s.heightCorrelation === null ? '–' : `${s.heightCorrelation.toFixed(3)} (${s.heightImages})`;
    lines.push(`${(report.engines[m] ?? m).padEnd(22)} ${s.normalAngle.toFixed(2).padStart(8)} ${r.padStart(16)} ${h.padStart(14)}`);
  }
  return `${lines.join('\n')}\n`;
}
