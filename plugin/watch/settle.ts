/**
 * Waits for files to be completely written before anyone reads them. A file is settled once no file
 * event came for it and its size, mtime and inode stayed the same for `stabilityMs`. Events alone are
 * not enough: chokidar drops a change that follows another within 50 ms, and an exporter may pause
 * between chunks; stat() catches both. A rename-save shows up as a new inode.
 */
import { promises as fs } from 'node:fs';

type FileStamp = string | null; // "size:mtimeMs:ino", null = missing

interface PendingFile {
  /** Last stamp seen; undefined until the first poll. */
  stamp: FileStamp | undefined;
  /** When the file last changed (event or stamp change), in ms. */
  changedAt: number;
}

export class SettleTracker {
  private readonly pending = new Map<string, PendingFile>();

  constructor(private readonly stabilityMs: number, private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.pending.size;
  }

  has(file: string): boolean {
    return this.pending.has(file);
  }

  /** A file event: (re)start the file's quiet period. */
  touch(file: string): void {
    const entry = this.pending.get(file);
    if (entry) entry.changedAt = this.now();
    else this.pending.set(file, { stamp: undefined, changedAt: this.now() });
  }

  /** stat()s every pending file; one that changed since the last poll starts its quiet period again. */
  async poll(): Promise<void> {
    await Promise.all([...this.pending].map(async ([file, entry]) => {
      const stamp = await stampOf(file);
      if (entry.stamp !== undefined && entry.stamp !== stamp) entry.changedAt = this.now();
      entry.stamp = stamp;
    }));
  }

  /**
   * Removes and returns the files to process now: all of them once every pending file has settled (so
   * files arriving together are one batch), or the settled ones when a settled file has already waited
   * `maxWaitMs` for another that keeps changing.
   */
  takeBatch(maxWaitMs: number): string[] {
    const now = this.now();
    const settledSince = (e: PendingFile) => (e.stamp === undefined ? Infinity : e.changedAt + this.stabilityMs);
    const settled = [...this.pending].filter(([, e]) => settledSince(e) <= now);
    if (settled.length === 0) return [];
    const longestWait = Math.max(...settled.map(([, e]) => now - settledSince(e)));
    if (settled.length < this.pending.size && longestWait < maxWaitMs) return [];
    for (const [file] of settled) this.pending.delete(file);
    return settled.map(([file]) => file);
  }

  clear(): void {
    this.pending.clear();
  }
}

async function stampOf(file: string): Promise<FileStamp> {
  try {
    const s = await fs.stat(file);
    return `${s.size}:${s.mtimeMs}:${s.ino}`;
  } catch {
    return null;
  }
}
