/** How `remaster run` shows progress: a bar on a terminal, one plain line per asset otherwise. */
import { SingleBar } from 'cli-progress';
import type { RunEvent } from '../pipeline/report';

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
        if (event.type === 'asset') process.stdout.write(`[${event.done}/${event.total}] ${verb(event.outcome)} ${event.path}${event.detail ? `: ${event.detail}` : ''}\n`);
      },
      stop() {},
    };
  }
  const bar = new SingleBar({ format: 'remaster [{bar}] {value}/{total} {asset}', stream: process.stderr, hideCursor: true, clearOnComplete: true });
  return {
    onEvent(event) {
      if (event.type === 'start') bar.start(event.total, 0, { asset: '' });
      else bar.update(event.done, { asset: `${verb(event.outcome)} ${event.path}` });
    },
    stop: () => bar.stop(),
  };
}
