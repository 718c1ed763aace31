/**
 * One writer per project: `.remaster/lock` holds the pid of the run that is rewriting files, so a
 * second `remaster run` (or a run next to `remaster watch`) cannot interleave its writes and state
 * updates with the first. A lock left by a process that no longer exists is taken over.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/errors';
import { stateDir } from './store';

const LOCK_FILE = 'lock';
/** Roots locked by this process: a second concurrent run in the same process is refused too. */
const heldHere = new Set<string>();

/** Takes the project's lock; returns the function that releases it. */
export async function lockProject(root: string): Promise<() => Promise<void>> {
  const file = path.join(stateDir(root), LOCK_FILE);
  // Reserved synchronously, before any await, so two concurrent calls in this process cannot both pass.
  if (heldHere.has(file)) throw new ConfigError(`${root}: another remaster run in this process is working on this project`);
  heldHere.add(file);
  try {
    await fs.mkdir(stateDir(root), { recursive: true });
    await createLockFile(file, root);
  } catch (err) {
    heldHere.delete(file);
    throw err;
  }
  return async () => {
    heldHere.delete(file);
    await fs.rm(file, { force: true });
  };
}

async function createLockFile(file: string, root: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const pid = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new ConfigError(`${root}: another remaster process (pid ${pid}) is working on this project`);
      }
      await fs.rm(file, { force: true }); // stale: its process is gone (or it was this pid, not held here)
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
