/**
 * A process killed mid-write (SIGKILL, power loss) leaves the temp file of writeFileAtomic beside its
 * target: never a half-written asset, but clutter in the user's folders (as big as a texture). The
 * next run, holding the project lock (so no other writer owns them), removes them.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { STATE_DIR } from '../discovery/walk';
import { isSkippedFolder, walkFiles } from '../discovery/walk-files';
import { isAtomicTempName } from '../state/atomic-write';

/** Removes leftover temp files anywhere in the project (and .remaster/); returns their relative paths. */
export async function removeOrphanTempFiles(root: string): Promise<string[]> {
  const temps = await walkFiles(root, {
    // Same folders as discovery, plus Remaster's own (originals and state are written atomically too).
    enter: (rel) => rel === STATE_DIR || !isSkippedFolder(rel),
    include: (rel) => isAtomicTempName(path.posix.basename(rel)),
  });
  for (const rel of temps) await fs.rm(path.join(root, ...rel.split('/')), { force: true });
  return temps;
}
