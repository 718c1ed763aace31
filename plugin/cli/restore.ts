/** `remaster restore <dir> [paths...]`: puts the kept originals back. */
import type { Command } from 'commander';
import { restoreProject } from '../pipeline/restore';
import type { CommandResult } from './main';

export function registerRestoreCommand(program: Command, result: CommandResult): void {
  program
    .command('restore')
    .description('put the originals kept in <dir>/.remaster/ back (all assets, or only [paths...])')
    .argument('<dir>', 'project directory')
    .argument('[paths...]', 'assets or folders, relative to <dir>')
    .option('--json', 'print one JSON object {restored, kept, failed}')
    .action(async (dir: string, paths: string[], flags: { json?: boolean }) => {
      const report = await restoreProject(dir, { paths: paths.length ? paths : undefined, log: (line) => process.stderr.write(`${line}\n`) });
      if (flags.json) {
        process.stdout.write(JSON.stringify(report) + '\n');
      } else {
        const lines = [
          ...report.restored.map((p) => `restored ${p}`),
          ...report.kept.map((k) => `kept ${k.path}: ${k.reason}`),
          ...report.failed.map((f) => `failed ${f.path}: ${f.error}`),
          `restored ${report.restored.length} asset(s)`,
        ];
        process.stdout.write(lines.join('\n') + '\n');
      }
      result.code = report.failed.length ? 1 : 0;
    });
}
