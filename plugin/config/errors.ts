/** A configuration or usage problem: the CLI reports its one-line message and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
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
