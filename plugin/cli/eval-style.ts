/** `remaster eval-style <dir> --reference <image>`: style methods scored on a folder of textures (see plugin/ops/style/evaluate-style.ts). */
import type { Command } from 'commander';
import { firstLine } from '../config/errors';
import { evaluateStyleFolder, readStyleReference, STYLE_METHODS, type StyleEvalReport, type StyleMethod } from '../ops/style';
import { StyleHtmlReport } from '../ops/style/style-report';
import { writeFileAtomic } from '../state/atomic-write';
import { usageError } from './command-result';
import { parseSeed, parseStrength, parseTone } from './style';

interface EvalStyleFlags {
  reference: string;
  strength: number;
  seed: number;
  methods: string;
  tone?: number;
  grain: boolean;
  json?: boolean;
  report?: string;
}

export function registerEvalStyleCommand(program: Command): void {
  program
    .command('eval-style')
    .description('score style methods on the textures in <dir> against a reference: style distance drop, structure, tiling, set consistency')
    .argument('<dir>', 'folder of textures (PNG, JPEG, WebP)')
    .requiredOption('--reference <image>', 'the style reference')
    .option('--strength <s>', 'strength to score at', parseStrength, 1)
    .option('--seed <n>', 'seed', parseSeed, 0)
    .option('--methods <list>', `comma-separated methods (${STYLE_METHODS.join(', ')})`, STYLE_METHODS.join(','))
    .option('--tone <s>', 'set-level tone for method stats (0..1; default: as far as each layout allows)', parseTone)
    .option('--no-grain', 'method stats without its colour grain (the grade only)')
    .option('--json', 'print the report as one JSON object')
    .option('--report <file.html>', 'also write an HTML page with the images side by side')
    .action(async (dir: string, flags: EvalStyleFlags) => {
      const methods = flags.methods.split(',').map((m) => m.trim()) as StyleMethod[];
      const unknown = methods.filter((m) => !STYLE_METHODS.includes(m));
      if (unknown.length || methods.length === 0) usageError(`--methods: unknown method(s) ${unknown.join(', ')} (known: ${STYLE_METHODS.join(', ')})`);
      let reference;
      try {
        reference = await readStyleReference(flags.reference);
      } catch (err) {
        usageError((err as Error).message);
      }
      const html = flags.report ? new StyleHtmlReport(reference) : undefined;
      const report = await evaluateStyleFolder(dir, {
        reference, referenceName: flags.reference, methods, strength: flags.strength, seed: flags.seed, tone: flags.tone, grain: flags.grain,
        onTexture: async (t, images) => {
          if (!flags.json) process.stderr.write(`${t.file}: ${methods.map((m) => `${m} colour -${pct(t.methods[m]?.colourDrop)} Gram -${pct(t.methods[m]?.gramDrop)} SSIM¼ ${t.methods[m]?.ssimQuarter.toFixed(3)}`).join('; ')}\n`);
          await html?.add(t, images);
        },
      });
      if (html && flags.report) {
        try {
          await writeFileAtomic(flags.report, await html.render(report));
        } catch (err) {
          throw new Error(`${flags.report}: cannot write report (${firstLine(err)})`);
        }
      }
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : formatTable(report));
    });
}

function pct(v: number | undefined): string {
  return v === undefined ? '-' : `${(v * 100).toFixed(0)}%`;
}

export function formatTable(report: StyleEvalReport): string {
  const head = ['method', 'colour drop', 'Gram drop', 'SSIM¼', 'struct¼', 'edge corr', 'wrap (>1.2)', 'wrap/in (>1.2)', 'wrap rank', 'spread c/G', 'pairwise', 's/texture', 'passing'];
  const rows = report.methods.map((m) => {
    const s = report.summary[m];
    if (!s) return [m];
    const x = s.mean;
    return [m, pct(x.colourDrop), pct(x.gramDrop), x.ssimQuarter.toFixed(3), x.structureQuarter.toFixed(3), x.edgeCorrelation.toFixed(3), `${x.wrapRatio.toFixed(2)} (${s.wrapOver.absolute})`, `${x.wrapVsInput.toFixed(2)} (${s.wrapOver.vsInput})`, x.wrapRank.toFixed(2),
      `${s.spread.colour.toFixed(3)}/${s.spread.gram.toFixed(3)}`, s.pairwiseColour.toFixed(3), x.seconds.toFixed(2), `${s.passing}/${report.textures.length}`];
  });
  rows.unshift(['input', '-', '-', '1.000', '1.000', '1.000', mean(report.textures.map((t) => t.input.wrapRatio)).toFixed(2), '-', mean(report.textures.map((t) => t.input.wrapRank)).toFixed(2),
    `${report.inputSet.spread.colour.toFixed(3)}/${report.inputSet.spread.gram.toFixed(3)}`, report.inputSet.pairwiseColour.toFixed(3), '-', '-']);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const tiling = report.textures.filter((t) => t.input.tiles).length;
  return [
    `${report.textures.length} texture(s) in ${report.dir} (${tiling} tiling), reference ${report.reference}, strength ${report.strength}, seed ${report.seed}${report.tone !== undefined ? `, stats tone ${report.tone}` : ''}${report.grain === false ? ', stats without grain' : ''}`,
    'means over the set; targets: drops ≥ 50%, SSIM¼ ≥ 0.7, wrap ≤ 1.2 for tiling inputs (count over it in brackets; wrap/in = over the input ratio where that is > 1); struct¼ = SSIM¼ structure term; wrap rank = the wrap edge among all boundaries (seam ≈ 1)',
    line(head), ...rows.map(line), '',
  ].join('\n');
}

function mean(v: number[]): number {
  return v.reduce((s, x) => s + x, 0) / v.length;
}
