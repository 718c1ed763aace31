/**
 * The one folder walker: discovery, the temp-file sweep, watch mode (a new folder's files) and `eval`
 * all list files through it, so they agree on what they skip. Symlinked folders are never entered and
 * symlinks are never listed (they could lead out of the project); entries are visited sorted by name,
 * so the order is reproducible.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface WalkOptions {
  /** Whether to descend into a folder (POSIX path relative to the walk's root). Default: `!isSkippedFolder`. */
  enter?: (rel: string) => boolean;
  /** Whether to list a regular file. Default: every one. */
  include?: (rel: string) => boolean;
  /** A folder that cannot be listed (the root's `rel` is ''): throw to stop the walk. Default: skipped. */
  onUnreadable?: (rel: string, err: unknown) => void;
}

/** Folders no walk enters by default: dot-folders (.git, .remaster) and node_modules. */
export function isSkippedFolder(rel: string): boolean {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  return name.startsWith('.') || name === 'node_modules';
}

/** Regular files under `root`, as POSIX paths relative to it, folder by folder in name order. */
export async function walkFiles(root: string, options: WalkOptions = {}): Promise<string[]> {
  const enter = options.enter ?? ((rel: string) => !isSkippedFolder(rel));
  const found: string[] = [];
  async function walk(dirRel: string): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(path.join(root, ...dirRel.split('/').filter(Boolean)), { withFileTypes: true });
    } catch (err) {
      options.onUnreadable?.(dirRel, err);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (enter(rel)) await walk(rel);
      } else if (entry.isFile() && (options.include?.(rel) ?? true)) {
        found.push(rel);
      }
    }
  }
  await walk('');
  return found;
}
