import { createHash, type Hash } from 'node:crypto';

/** Content hash used for every state comparison (never mtimes). */
export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Hash of a text (UTF-8), e.g. a value already written out by stableStringify; after `prefix` (a hash
 * already fed a common beginning, which is copied, not consumed) when given.
 */
export function hashText(text: string, prefix?: Hash): string {
  return (prefix ? prefix.copy() : createHash('sha256')).update(text).digest('hex');
}

/** Hash of a JSON-able value with sorted keys, so equal settings always hash equal. */
export function hashValue(value: unknown): string {
  return hashBytes(Buffer.from(stableStringify(value)));
}

/** JSON with sorted keys and undefined members left out (what hashValue hashes). */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj).sort().filter((k) => obj[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
