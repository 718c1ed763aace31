/** Finds the assets of a project: glTF/GLB models and standalone texture images. */
import path from 'node:path';
import { isSidecar } from '../config/load';
import { IMAGE_EXTENSIONS } from '../image-formats';
import { walkFiles } from './walk-files';

export type AssetType = 'gltf' | 'glb' | 'texture';

export interface DiscoveredFile {
  /** POSIX path relative to the project root. */
  rel: string;
  type: AssetType;
}

/** Image containers read and written as standalone textures (and as glTF images). */
export const TEXTURE_EXTENSIONS = IMAGE_EXTENSIONS;

/** Remaster's own folder at the project root (originals and state). */
export const STATE_DIR = '.remaster';

/** A folder that could not be listed: its assets are unknown, the rest of the project is not. */
export interface UnreadableFolder {
  rel: string;
  error: string;
}

/**
 * Walks `root` (sorted, so runs are reproducible). Skips node_modules, every dot-folder (which includes
 * .remaster/ and .git/) and symlinked folders (they could lead out of the project). A sub-folder that
 * cannot be listed (permissions) is reported in `unreadable` and the walk goes on; the root must be readable.
 */
export async function discoverFiles(root: string, unreadable?: UnreadableFolder[]): Promise<DiscoveredFile[]> {
  const files = await walkFiles(root, {
    include: (rel) => assetTypeOf(rel) !== null,
    onUnreadable: (rel, err) => {
      if (!rel || !unreadable) throw err;
      unreadable.push({ rel, error: `cannot read folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
    },
  });
  return files.map((rel) => ({ rel, type: assetTypeOf(rel)! }));
}

export function assetTypeOf(rel: string): AssetType | null {
  if (isSidecar(rel)) return null;
  const ext = path.posix.extname(rel).toLowerCase();
  if (ext === '.gltf') return 'gltf';
  if (ext === '.glb') return 'glb';
  if (TEXTURE_EXTENSIONS.includes(ext)) return 'texture';
  return null;
}
