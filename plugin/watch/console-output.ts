/**
 * How `remaster watch` shows what it does: `--json` prints every event as one JSON line on stdout; on a
 * terminal a status line on stderr (queue, current asset, done/failed) sits under the lasting lines;
 * otherwise (piped, CI, a build tool's log) one plain line per thing that happened.
 */
import type { WatchEvent } from './types';

export interface WatchOutput {
  onEvent(event: WatchEvent): void;
  /** A line from outside the event stream (engine log, "stopping"). */
  note(line: string): void;
  /** Clears the status line. */
  stop(): void;
}

export function createWatchOutput(mode: 'json' | 'tty' | 'plain'): WatchOutput {
  if (mode === 'json') {
    return {
      onEvent: (event) => process.stdout.write(JSON.stringify(event) + '\n'),
      note: (line) => process.stderr.write(line + '\n'),
      stop() {},
    };
  }
  const status = mode === 'tty' ? new StatusLine() : null;
  // Results go to stdout (pipeable); notes (engine log, "stopping") to stderr, as `remaster run` does.
  const print = (line: string, stream: NodeJS.WriteStream = process.stdout) => {
    status?.clear();
    stream.write(line + '\n');
    status?.draw();
  };
  return {
    onEvent(event) {
      const line = describe(event);
      status?.update(event);
      if (line) print(line);
      else status?.draw();
    },
    note: (line) => print(line, process.stderr),
    stop: () => status?.clear(),
  };
}

/** The lasting line for an event, or null for the ones only the status line shows. */
export function describe(event: WatchEvent): string | null {
  switch (event.type) {
    case 'watching':
      return `watching ${event.root} (Ctrl-C to stop)`;
    case 'asset':
      if (event.outcome === 'skipped' && event.detail === 'unchanged') return null;
      return `${event.outcome} ${event.path}${event.detail ? `: ${event.detail}` : ''}`;
    case 'requeued':
      return `changed while processing, again: ${event.path}`;
    case 'problem':
      return `problem: ${event.message}`;
    case 'idle':
      return `idle: ${event.processed} processed, ${event.skipped} skipped, ${event.failed} failed so far`;
    case 'stopped':
      return 'stopped';
    case 'job':
    case 'asset-start':
    case 'ignored':
      return null;
  }
}

/** `remaster watch · queue 2 · ▸ models/hero.glb · done 5 · failed 1` on stderr, redrawn in place. */
class StatusLine {
  private queue = 0;
  /** Assets in progress, in the order they started. */
  private readonly current = new Set<string>();
  private done = 0;
  private failed = 0;

  update(event: WatchEvent): void {
    if (event.type === 'job') this.queue = event.assets.length;
    else if (event.type === 'asset-start') {
      this.current.add(event.path);
      this.queue = Math.max(0, this.queue - 1);
    } else if (event.type === 'asset' || event.type === 'requeued') {
      this.current.delete(event.path);
      if (event.type === 'asset' && event.outcome === 'failed') this.failed++;
      else if (event.type === 'asset') this.done++;
    } else if (event.type === 'idle') {
      this.queue = 0;
      this.current.clear();
    }
  }

  draw(): void {
    const parts = ['remaster watch', `queue ${this.queue}`, this.current.size ? `▸ ${[...this.current].join(', ')}` : 'waiting for changes', `done ${this.done}`, `failed ${this.failed}`];
    const width = process.stderr.columns || 100; // 0 on a pty with no size set
    process.stderr.write(`\r\x1b[2K${parts.join(' · ').slice(0, width - 1)}`);
  }

  clear(): void {
    process.stderr.write('\r\x1b[2K');
  }
}
