/** `remaster run <dir>`: the whole pipeline over a project directory. */
import type { Command } from 'commander';
import { deviceOption } from './device-option';
import { DEFAULT_CONCURRENCY, remasterProject } from '../pipeline/project';
import type { RunReport } from '../pipeline/report';
import type { DeviceChoice } from '../types';
import type { CommandResult } from './main';
import { createProgressOutput, parseJobs } from './output';

interface RunFlags {
  config?: string;
  dryRun?: boolean;
  json?: boolean;
  device: DeviceChoice;
  jobs: number;
}

export function registerRunCommand(program: Command, result: CommandResult): void {
  program
    .command('run')
    .description('remaster every model and texture under <dir> in place (originals kept in <dir>/.remaster/)')
    .argument('<dir>', 'project directory')
    .option('--config <file>', 'rules file (default: <dir>/remaster.config.json, else the built-in default)')
    .option('--dry-run', 'show what would be done; change nothing')
    .option('--json', 'print one JSON object {processed, skipped, failed} instead of text')
    .addOption(deviceOption())
    .option('--jobs <n>', 'assets processed at once (inference itself runs one at a time)', parseJobs, DEFAULT_CONCURRENCY)
    .action(async (dir: string, flags: RunFlags) => {
      const started = Date.now();
      const progress = flags.json ? undefined : createProgressOutput(Boolean(flags.dryRun));
      let report: RunReport;
      try {
        report = await remasterProject(dir, {
          config: flags.config, dryRun: flags.dryRun, device: flags.device, concurrency: flags.jobs,
          onEvent: progress?.onEvent, log: flags.json ? undefined : (line) => process.stderr.write(`${line}\n`), warn: (line) => process.stderr.write(`${line}\n`),
        });
      } finally {
        progress?.stop();
      }
      if (flags.json) process.stdout.write(JSON.stringify(report) + '\n');
      else printSummary(report, Boolean(flags.dryRun), Date.now() - started);
      result.code = report.failed.length > 0 ? 1 : 0;
    });
}

function printSummary(report: RunReport, dryRun: boolean, ms: number): void {
  const out: string[] = [];
  for (const asset of [...report.processed, ...report.skipped]) {
    for (const warning of asset.warnings ?? []) out.push(`warning: ${asset.path}: ${warning}`);
  }
  for (const failure of report.failed) out.push(`failed: ${failure.path}: ${failure.error}`);
  const textures = report.processed.reduce((n, a) => n + a.textures.length, 0);
  out.push(
    `${dryRun ? 'dry run: would process' : 'processed'} ${report.processed.length} asset(s) (${textures} texture(s)), ` +
      `skipped ${report.skipped.length}, failed ${report.failed.length} in ${(ms / 1000).toFixed(1)} s`,
  );
  process.stdout.write(out.join('\n') + '\n');
}
