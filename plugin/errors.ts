/**
 * Remaster's errors, told apart by `code` (never by message text), each keeping its `cause`. Messages
 * are one line, naming the file and the problem.
 *
 * @example
 * try {
 *   await remasterProject('assets');
 * } catch (err) {
 *   if (err instanceof RemasterError && err.code === 'PROJECT_LOCKED') retryLater();
 * }
 */

export type ErrorCode =
  /** Bad configuration or usage: the CLI exits 2. */
  | 'CONFIG'
  /** Another run (this process or another) holds the project's lock; a config error too (exit 2). */
  | 'PROJECT_LOCKED'
  /** An input changed between reading and writing: nothing was written; the next pass takes the new content. */
  | 'STALE_INPUT';

export class RemasterError extends Error {
  override name = 'RemasterError';
  constructor(readonly code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A configuration or usage problem: the CLI reports its one-line message and exits 2. */
export class ConfigError extends RemasterError {
  override name = 'ConfigError';
  constructor(message: string, options?: { cause?: unknown; code?: 'CONFIG' | 'PROJECT_LOCKED' }) {
    super(options?.code ?? 'CONFIG', message, options);
  }
}

/** Another remaster run holds the project's lock (plugin/state/lock.ts). */
export class ProjectLockedError extends ConfigError {
  override name = 'ProjectLockedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: 'PROJECT_LOCKED' });
  }
}

/** An asset's input changed while it was processed; nothing was written (plugin/pipeline/commit.ts). */
export class StaleInputError extends RemasterError {
  override name = 'StaleInputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('STALE_INPUT', message, options);
  }
}

/** The error's code, if it is one of Remaster's. */
export function errorCode(err: unknown): ErrorCode | undefined {
  return err instanceof RemasterError ? err.code : undefined;
}

/** First line of an error's message (or of a thrown non-Error), for one-line reports. */
export function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0];
}

/**
 * A file name as it may appear inside a one-line message: control characters (a newline is legal in a
 * Linux file name) are shown escaped, `\n`, so a name can never split or cut the line it is in.
 */
export function showName(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f]/g, (c) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
