/**
 * Which assets a run covers. Models are assets; a texture file is an asset unless a model references it
 * (now, or in the originals state remembers) — then it is processed as that model's texture, with its
 * slot's semantics, never a second time standalone. A converted texture (wall.png → wall.webp) maps back
 * to the asset it came from.
 */
import type { PlatformIO } from '@gltf-transform/core';
import { listExternalResources, parseContainer } from '../gltf/io';
import type { AssetType, DiscoveredFile } from '../discovery/walk';
import { isProjectPath, toAbsolute } from '../safety/project-paths';
import { gatedHashSync } from '../state/file-stat';
import type { StateData } from '../state/store';
import { inspectFile, readIfExists } from './file-source';

export interface PlannedAsset {
  key: string;
  type: AssetType;
  /** Why the asset cannot be processed safely (it then fails with this message, untouched). */
  blocked?: string;
  /** Files it reads or writes as far as the plan can tell (itself, its resources, its recorded files). */
  files: string[];
}

export async function planAssets(root: string, state: StateData, io: PlatformIO, files: DiscoveredFile[]): Promise<PlannedAsset[]> {
  const usedByModels = new Set<string>();
  const bufferUsers = new Map<string, string[]>();
  const resources = new Map<string, string[]>();
  for (const file of files) {
    if (file.type === 'texture') continue;
    const known = recordedBuffers(root, state, file.rel);
    if (known) {
      // Unchanged since Remaster wrote it (change gate): its buffers as recorded then. Its images need no
      // listing: its record's files (added below) hold them, and nothing else reads this map for them.
      for (const bin of known) {
        usedByModels.add(bin);
        resources.set(file.rel, [...(resources.get(file.rel) ?? []), bin]);
        bufferUsers.set(bin, [...(bufferUsers.get(bin) ?? []), file.rel]);
      }
      continue;
    }
    try {
      const bytes = await readIfExists(toAbsolute(root, file.rel));
      if (!bytes) continue;
      const json = (await parseContainer(io, bytes, file.type)).json;
      for (const r of listExternalResources(root, file.rel, json)) {
        usedByModels.add(r.rel);
        resources.set(file.rel, [...(resources.get(file.rel) ?? []), r.rel]);
        if (r.role === 'buffer') bufferUsers.set(r.rel, [...(bufferUsers.get(r.rel) ?? []), file.rel]);
      }
    } catch {
      // A broken model fails on its own when processed; here it just references nothing.
    }
  }
  // Rewriting a model re-packs its .bin with only that model's data, which would break another model
  // reading the same file: such models are left alone.
  const blocked = new Map<string, string>();
  for (const [bin, users] of bufferUsers) {
    if (users.length < 2) continue;
    for (const user of users) blocked.set(user, `${bin} is also the buffer of ${users.filter((u) => u !== user).join(', ')}; models sharing a .bin are left unchanged`);
  }
  const createdBy = new Map<string, string>();
  for (const [key, record] of Object.entries(state.assets)) {
    for (const rel of record.files) {
      if (record.type !== 'texture') usedByModels.add(rel);
      else if (state.files[rel]?.original === null) createdBy.set(rel, key);
    }
  }

  const planned = new Map<string, PlannedAsset>();
  for (const file of files) {
    if (file.type !== 'texture') {
      planned.set(file.rel, { key: file.rel, type: file.type, files: resources.get(file.rel) ?? [], ...(blocked.has(file.rel) ? { blocked: blocked.get(file.rel) } : {}) });
      continue;
    }
    if (usedByModels.has(file.rel)) continue;
    const owner = createdBy.get(file.rel);
    if (owner && (await inspectFile(root, state, file.rel)).derived) {
      planned.set(owner, { key: owner, type: 'texture', files: [] });
      continue;
    }
    planned.set(file.rel, { key: file.rel, type: 'texture', files: [] });
  }
  const assets = [...planned.values()];
  for (const asset of assets) asset.files = [...new Set([asset.key, ...asset.files, ...(state.assets[asset.key]?.files ?? [])])];
  return assets;
}

/**
 * The buffers a model file references, without reading it: recorded at its commit, used while the
 * change gate vouches the file is still that content and the state lists the model's files (its
 * images among them). Null: parse the file. Shared with watch's asset index (its startup build).
 */
export function recordedBuffers(root: string, state: StateData, rel: string): string[] | null {
  const record = state.files[rel];
  const buffers = record?.buffers;
  if (!buffers || buffers.of !== record.output || !Array.isArray(buffers.files) || !buffers.files.every(isProjectPath)) return null;
  if (!state.assets[rel]?.fingerprint) return null;
  return gatedHashSync(toAbsolute(root, rel), record) === null ? null : buffers.files;
}
