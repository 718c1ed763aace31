/**
 * glTF Transform reads only the extensions registered with it and drops every other one on write,
 * with a log line that names no model. A model using an extension Remaster cannot carry over is
 * therefore left unchanged (and the report says which extension), never silently stripped.
 */
import type { JSONDocument } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';

const KNOWN = new Set<string>(ALL_EXTENSIONS.map((e) => e.EXTENSION_NAME));

/** Names of the extensions a model declares or uses anywhere that createIO() cannot read and write back. */
export function unknownExtensions(json: JSONDocument['json']): string[] {
  const names = new Set<string>([...(json.extensionsUsed ?? []), ...(json.extensionsRequired ?? [])]);
  // Extension objects on any property, declared or not (iterative: a model's JSON can be deep).
  const stack: unknown[] = [json];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      stack.push(...value);
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === 'extensions' && child && typeof child === 'object' && !Array.isArray(child)) Object.keys(child).forEach((n) => names.add(n));
      if (key !== 'extras') stack.push(child);
    }
  }
  return [...names].filter((name) => !KNOWN.has(name)).sort();
}
