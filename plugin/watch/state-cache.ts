/**
 * The project state as watch mode keeps it between jobs. Loading state.json (and replaying its journal)
 * costs time in proportion to the project, so a job reuses the state the previous one left, as long as
 * the state files on disk are still exactly as that job left them (size, mtime, ctime and inode of
 * state.json, its backup, journal and stamps; no shard files waiting to be folded in) — another
 * `remaster run` or `restore` in between changes them, and the state is then read again. A job that did
 * not end cleanly (an exception, a failed asset: an in-memory change may not have reached disk) hands
 * nothing back, so the next job reads the state from disk.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { JOURNAL_FILE } from '../state/journal';
import { listShardStates } from '../state/shard-state';
import { STAMPS_FILE } from '../state/stamps';
import { loadState, STATE_BACKUP_FILE, STATE_FILE, stateDir, type StateData } from '../state/store';

const STATE_FILES = [STATE_FILE, STATE_BACKUP_FILE, JOURNAL_FILE, STAMPS_FILE];

export class StateCache {
  private state: StateData | null = null;
  /** The state files' stamps when `state` was read or handed back. */
  private seen: string | null = null;
  /** States read from disk (tests assert a job reuses the last one). */
  loads = 0;

  constructor(private readonly root: string) {}

  /** The state: the one kept when the files are as it was left, else read (loadState). Also the pipeline's `stateSource`. */
  async load(_root?: string, onNote?: (line: string) => void): Promise<StateData> {
    const before = await this.stamp(); // taken first: a write during the read makes the next call read again
    if (this.state && before !== null && before === this.seen) return this.state;
    const state = await loadState(this.root, onNote);
    this.loads++;
    this.state = state;
    this.seen = before;
    return state;
  }

  /** End of a job, under the project lock: keeps the state if every change reached disk. */
  async release(_root: string, state: StateData, clean: boolean): Promise<void> {
    this.state = clean ? state : null;
    this.seen = clean ? await this.stamp() : null;
  }

  /** The state last loaded or handed back, if it is still kept. */
  get current(): StateData | null {
    return this.state;
  }

  /** One string for the state files' stamps; null when shard states are waiting (never reused then). */
  private async stamp(): Promise<string | null> {
    const dir = stateDir(this.root);
    if ((await listShardStates(dir).catch(() => [])).length > 0) return null;
    const parts = await Promise.all(STATE_FILES.map(async (name) => {
      const st = await fs.lstat(path.join(dir, name), { bigint: true }).catch(() => null);
      return st ? `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}` : '-';
    }));
    return parts.join('|');
  }
}
