/** `remaster watch <dir>`: remaster assets as they are imported or edited, until Ctrl-C / SIGTERM. */
import type { Command } from 'commander';
import { deviceOption, threadsOption } from './device-option';
import { DEFAULT_CONCURRENCY } from '../pipeline/defaults';
import { parseJobs } from './output';
import type { DeviceChoice } from '../types';
import { integerOption } from './number-option';

interface WatchFlags {
  config?: string;
  json?: boolean;
  device: DeviceChoice;
  threads?: number;
  stability: number;
  jobs: number;
}

export function registerWatchCommand(program: Command): void {
  program
    .command('watch')
    .description('remaster what is pending under <dir>, then every model, texture, config or sidecar change as it lands, until Ctrl-C')
    .argument('<dir>', 'project directory')
    .option('--config <file>', 'rules file (default: <dir>/remaster.config.json, else the built-in default)')
    .option('--json', 'print one JSON event per line')
    .addOption(deviceOption())
    .option('--stability <ms>', 'read a changed file once it has not changed for this long', parseMs, 500)
    .addOption(threadsOption())
    .option('--jobs <n>', 'assets processed at once (inference itself runs one tile at a time, on --threads cores)', parseJobs, DEFAULT_CONCURRENCY)
    .action(async (dir: string, flags: WatchFlags) => {
      const [{ createWatchOutput }, { watchProject }] = await Promise.all([import('../watch/console-output'), import('../watch/watch-project')]);
      const out = createWatchOutput(flags.json ? 'json' : process.stderr.isTTY ? 'tty' : 'plain');
      const watcher = watchProject(dir, { config: flags.config, device: flags.device, threads: flags.threads, stabilityMs: flags.stability, concurrency: flags.jobs, log: (line) => out.note(line) });
      watcher.on('event', out.onEvent);
      const stopped = new Promise<void>((resolve) => watcher.on('event', (e) => e.type === 'stopped' && resolve()));
      // First signal: stop taking jobs and let the current asset finish (its files are written
      // atomically and its state entry last), then exit 0.
      const stop = () => {
        out.note('stopping: finishing the current asset…');
        void watcher.close();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      try {
        await watcher.ready;
        await stopped;
      } catch (err) {
        await watcher.close();
        throw err; // bad directory or config: main reports it (exit 2)
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        out.stop();
      }
    });
}

const parseMs = integerOption({ min: 0, message: 'must be a whole number of milliseconds' });
