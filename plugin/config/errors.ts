/** A configuration or usage problem: the CLI reports its one-line message and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
