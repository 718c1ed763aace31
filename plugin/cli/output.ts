/** How `remaster run` shows progress: a bar on a terminal, one plain line per asset otherwise. */
import { SingleBar } from 'cli-progress';
import { showName } from '../config/errors';
import type { RunEvent } from '../pipeline/report';
import { integerOption } from './number-option';

export interface ProgressOutput {
  onEvent(event: RunEvent): void;
  stop(): void;
}

/** Lines go to stdout so they can be piped; the bar goes to stderr (it is only for eyes). */
export function createProgressOutput(dryRun: boolean): ProgressOutput {
  const verb = (outcome: string) => (dryRun && outcome === 'processed' ? 'would process' : outcome);
  if (!process.stderr.isTTY) {
    return {
      onEvent(event) {
        if (event.type === 'asset') process.stdout.write(`[${event.done}/${event.total}] ${verb(event.outcome)} ${showName(event.path)}${event.detail ? `: ${showName(event.detail)}` : ''}\n`);
      },
      stop() {},
    };
  }
  const bar = new SingleBar({ format: 'remaster [{bar}] {value}/{total} {asset}', stream: process.stderr, hideCursor: true, clearOnComplete: true });
  // The assets in progress (several with --jobs > 1), else the last one finished.
  const current = new Set<string>();
  return {
    onEvent(event) {
      if (event.type === 'start') return bar.start(event.total, 0, { asset: '' });
      if (event.type === 'begin') current.add(event.path);
      else current.delete(event.path);
      const asset = current.size ? `▸ ${[...current].join(', ')}` : event.type === 'asset' ? `${verb(event.outcome)} ${event.path}` : '';
      if (event.type === 'asset') bar.update(event.done, { asset });
      else bar.update({ asset });
    },
    stop: () => bar.stop(),
  };
}

/** `--jobs N` of `run` and `watch`: a whole number from 1 up. */
export const parseJobs = integerOption({ min: 1, message: 'must be a whole number from 1 up' });
