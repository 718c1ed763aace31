/**
 * Configs are data from disk (a cloned repository, a mod): their size, nesting and globs are bounded
 * before anything works on them, so no config can hang a run, overflow the stack or exhaust memory.
 * Every refusal is one `file: key: problem` line (exit 2).
 */
import { ConfigError } from './errors';

/** A config or sidecar larger than this is refused before it is parsed (real ones are a few KiB). */
export const MAX_CONFIG_BYTES = 1 << 20;

/** Deepest nesting of objects and arrays (a valid config needs 4: rules[0].upscale.model). */
export const MAX_CONFIG_DEPTH = 16;

/** Longest `match` glob. */
export const MAX_GLOB_LENGTH = 1024;

/**
 * picomatch turns every `*` (and `*(..)`, `+(..)`) into a lazy repetition; k of them in one path
 * segment backtrack as O(name length ^ k) on a name that almost matches: 3 take seconds on a 200-byte
 * name, 30 take forever. 2 stay under ~0.1 s on a 255-byte name; `**` across folders likewise.
 */
export const MAX_STARS_PER_SEGMENT = 2;
export const MAX_GLOBSTARS = 3;

/** Throws ConfigError naming the first key nested deeper than MAX_CONFIG_DEPTH (iterative: no recursion to overflow). */
export function assertDepth(data: unknown, file: string): void {
  const stack: { value: unknown; path: string[] }[] = [{ value: data, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_CONFIG_DEPTH) {
      throw new ConfigError(`${file}: ${path.slice(0, 4).join('.')}${path.length > 4 ? '...' : ''}: nested deeper than ${MAX_CONFIG_DEPTH} levels`);
    }
    for (const [key, child] of Object.entries(value)) stack.push({ value: child, path: [...path, key] });
  }
}

/** The problem with a `match` glob, or null when it is safe to compile and match. */
export function globProblem(glob: string): string | null {
  if (glob.length > MAX_GLOB_LENGTH) return `pattern longer than ${MAX_GLOB_LENGTH} characters`;
  const segments = glob.split('/');
  const globstars = segments.filter((s) => s === '**').length;
  if (globstars > MAX_GLOBSTARS) return `more than ${MAX_GLOBSTARS} "**" in one pattern (matching it could take minutes)`;
  for (const segment of segments) {
    if (segment === '**') continue;
    // Escaped stars are literals; `**` inside a segment acts as `*`.
    const stars = (segment.replace(/\\./g, '').match(/\*+/g) ?? []).length + (segment.match(/\+\(/g) ?? []).length;
    if (stars > MAX_STARS_PER_SEGMENT) {
      return `more than ${MAX_STARS_PER_SEGMENT} "*" in one path segment ("${segment.length > 40 ? `${segment.slice(0, 40)}...` : segment}"; matching it could take minutes)`;
    }
  }
  return null;
}
