/**
 * A process killed mid-write (SIGKILL, power loss) leaves the temp file of writeFileAtomic beside its
 * target: never a half-written asset, but clutter in the user's folders (as big as a texture). The
 * next run, holding the project lock (so no other writer owns them), removes them.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { STATE_DIR } from '../discovery/walk';
import { isAtomicTempName } from '../state/atomic-write';

/** Removes leftover temp files anywhere in the project (and .remaster/); returns their relative paths. */
export async function removeOrphanTempFiles(root: string): Promise<string[]> {
  const removed: string[] = [];
  async function sweep(dirRel: string): Promise<void> {
    const entries = await fs.readdir(path.join(root, dirRel), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        // Same folders as discovery, plus Remaster's own (originals and state are written atomically too).
        if (entry.name === 'node_modules' || (entry.name.startsWith('.') && rel !== STATE_DIR)) continue;
        await sweep(rel);
      } else if (entry.isFile() && isAtomicTempName(entry.name)) {
        await fs.rm(path.join(root, rel), { force: true });
        removed.push(rel);
      }
    }
  }
  await sweep('');
  return removed;
}
