/** A configuration or usage problem: the CLI reports its one-line message and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** First line of an error's message (or of a thrown non-Error), for one-line reports. */
export function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0];
}
