/**
 * The frames between `remaster upscale` (client) and `remaster serve`: one JSON object per line over
 * the Unix socket.
 *
 *   client → server  { t: 'hello', ...BuildIdentity }
 *   server → client  { t: 'welcome', ...BuildIdentity } | { t: 'refused', reason }
 *   client → server  { t: 'job', argv, cwd }
 *   server → client  { t: 'out' | 'err', text }*  (the command's stdout and stderr, as written)
 *                    { t: 'commit', file, before }  (just before the output is renamed into place)
 *                    { t: 'exit', code } | { t: 'refused', reason }  (refused: before anything was written)
 *
 * The client sends the job only after a welcome from the same build, and runs it in its own process on
 * a refusal or when the server goes before its `exit` (see client.ts for what `commit` changes).
 */
import { StringDecoder } from 'node:string_decoder';
import type { BuildIdentity } from './build-identity';

/** Identity of a file the job may replace, as lstat saw it before: a rename puts a new inode there. */
export interface FileIdentity {
  ino: number;
  size: number;
  mtimeMs: number;
}

export type ClientFrame =
  | ({ t: 'hello' } & BuildIdentity)
  | { t: 'job'; argv: string[]; cwd: string };

export type ServerFrame =
  | ({ t: 'welcome' } & BuildIdentity)
  | { t: 'refused'; reason: string }
  | { t: 'out'; text: string }
  | { t: 'err'; text: string }
  | { t: 'commit'; file: string; before: FileIdentity | null }
  | { t: 'exit'; code: number };

/** One frame as its line. */
export function frameLine(frame: ClientFrame | ServerFrame): string {
  return `${JSON.stringify(frame)}\n`;
}

/**
 * Splits a byte stream into frames: feed it chunks, it calls `onFrame` per complete line. A line that is
 * not a JSON object ends the stream for the caller (`onBad`): the peer is not a Remaster of this protocol.
 */
export function frameReader<F>(onFrame: (frame: F) => void, onBad: (line: string) => void): (chunk: Buffer) => void {
  let pending = '';
  // A chunk may end inside a multi-byte character (a non-ASCII path, message): the decoder holds its start for the next.
  const decoder = new StringDecoder('utf8');
  return (chunk) => {
    pending += decoder.write(chunk);
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      let frame: unknown;
      try {
        frame = JSON.parse(line);
      } catch {
        frame = undefined;
      }
      if (frame && typeof frame === 'object' && typeof (frame as { t?: unknown }).t === 'string') onFrame(frame as F);
      else return onBad(line);
    }
  };
}

/** The identity of `file` now, or null when there is none. */
export function fileIdentity(stat: { ino: number; size: number; mtimeMs: number } | undefined): FileIdentity | null {
  return stat ? { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs } : null;
}
