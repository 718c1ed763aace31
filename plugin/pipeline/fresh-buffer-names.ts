/**
 * A .gltf and its .bin cannot be replaced together in one atomic step: killed between the two renames,
 * the old .gltf would read the new .bin (garbage geometry). So a .bin whose content changes is written
 * under a new name that only the new .gltf references (`mesh.bin` → `mesh.1a2b3c4d.bin`, from its
 * content hash), and the old file is removed only after the .gltf has switched. At every instant the
 * .gltf on disk reads the .bin it was written with.
 */
import path from 'node:path';
import type { JSONDocument } from '@gltf-transform/core';
import { resolveResourceUri } from '../safety/project-paths';
import { hashBytes } from '../state/hash';
import type { FileSource } from './file-source';

export interface RenamedBuffers {
  /** External resources to write before the model: project path → bytes (renamed buffers under their new name). */
  before: Map<string, Uint8Array>;
  /** Files to remove after the model (the old names of renamed buffers). */
  after: string[];
}

/**
 * Gives every external buffer of `out` whose bytes differ from the original at its path a fresh name,
 * updating `out.json` to match. `external` is the .gltf's external resources by URI.
 *
 * Decided from the original, not from what is on disk now: a run killed after the .gltf switched and
 * the old .bin was removed leaves no file at the old name, and the next run (redoing the model from its
 * original .gltf) must name the new .bin as an unkilled run does, or the outputs depend on where a kill
 * landed (test/reliability/model-buffer-commit.test.ts).
 */
export function renameChangedBuffers(root: string, modelRel: string, out: JSONDocument, external: Record<string, Uint8Array>, sources: FileSource[]): RenamedBuffers {
  const result: RenamedBuffers = { before: new Map(), after: [] };
  const bufferUris = new Set((out.json.buffers ?? []).map((b) => b.uri).filter((uri): uri is string => typeof uri === 'string'));
  for (const [uri, bytes] of Object.entries(external)) {
    const rel = resolveResourceUri(root, modelRel, uri);
    const original = sources.find((s) => s.rel === rel)?.originalHash ?? null;
    const hash = hashBytes(bytes);
    if (!bufferUris.has(uri) || original === null || original === hash) {
      result.before.set(rel, bytes);
      continue;
    }
    const ext = path.posix.extname(uri);
    const freshUri = `${uri.slice(0, uri.length - ext.length)}.${hash.slice(0, 8)}${ext}`;
    for (const buffer of out.json.buffers ?? []) if (buffer.uri === uri) buffer.uri = freshUri;
    result.before.set(resolveResourceUri(root, modelRel, freshUri), bytes);
    result.after.push(rel);
  }
  return result;
}
