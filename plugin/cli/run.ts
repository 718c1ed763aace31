/** `remaster run <dir>`: the whole pipeline over a project directory. */
import type { Command } from 'commander';
import { showName } from '../config/errors';
import { deviceOption, threadsOption } from './device-option';
import { DEFAULT_CONCURRENCY } from '../pipeline/defaults';
import type { RunReport } from '../pipeline/report';
import type { DeviceChoice } from '../types';
import type { CommandResult } from './command-result';
import { numberOption } from './number-option';
import { parseJobs } from './output';

interface RunFlags {
  config?: string;
  dryRun?: boolean;
  json?: boolean;
  device: DeviceChoice;
  threads?: number;
  jobs: number;
  shard?: string;
  cache?: string;
  cacheMaxMb?: number;
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
    .addOption(threadsOption())
    .option('--jobs <n>', 'assets processed at once (their tiles share the --threads inference threads: up to --jobs inference workers)', parseJobs, DEFAULT_CONCURRENCY)
    .option('--cache <dir>', 'result cache folder shared by projects and CI machines (outside the project is fine): a hit skips the engine')
    .option('--cache-max-mb <n>', 'size cap of the result cache in MiB (default 10240); least recently used entries go first', parseCacheMb)
    .option('--shard <i/n>', 'only shard i of n (CI matrix jobs; assets sharing a file stay together; merge by copying the trees)')
    .action(async (dir: string, flags: RunFlags) => {
      // Loaded when the command runs, not when the program is built: `remaster --help` stays fast.
      const [{ remasterProject }, { createProgressOutput }] = await Promise.all([import('../pipeline/project'), import('./output')]);
      const started = Date.now();
      const progress = flags.json ? undefined : createProgressOutput(Boolean(flags.dryRun));
      let report: RunReport;
      try {
        report = await remasterProject(dir, {
          config: flags.config, dryRun: flags.dryRun, device: flags.device, threads: flags.threads, concurrency: flags.jobs, shard: flags.shard, cache: flags.cache, cacheMaxBytes: flags.cacheMaxMb === undefined ? undefined : flags.cacheMaxMb * 1024 * 1024,
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
  const out: string[] = (report.warnings ?? []).map((w) => `warning: ${showName(w)}`);
  for (const asset of [...report.processed, ...report.skipped]) {
    for (const warning of asset.warnings ?? []) out.push(`warning: ${showName(asset.path)}: ${showName(warning)}`);
  }
  for (const failure of report.failed) out.push(`failed: ${showName(failure.path)}: ${showName(failure.error)}`);
  const textures = report.processed.reduce((n, a) => n + a.textures.length, 0);
  out.push(
    `${dryRun ? 'dry run: would process' : 'processed'} ${report.processed.length} asset(s) (${textures} texture(s)), ` +
      `skipped ${report.skipped.length}, failed ${report.failed.length} in ${(ms / 1000).toFixed(1)} s`,
  );
  process.stdout.write(out.join('\n') + '\n');
}

const parseCacheMb = numberOption({ min: 0, aboveMin: true, message: 'must be a positive number of MiB' });
