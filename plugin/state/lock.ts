/**
 * One writer per project: `.remaster/lock` holds the pid of the run that is rewriting files, so a
 * second `remaster run` (or a run next to `remaster watch`) cannot interleave its writes and state
 * updates with the first. A lock left by a process that no longer exists is taken over.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError, ProjectLockedError } from '../errors';
import { stateDir } from './store';

const LOCK_FILE = 'lock';
/** Roots locked by this process: a second concurrent run in the same process is refused too. */
const heldHere = new Set<string>();

/** Takes the project's lock; returns the function that releases it. */
export async function lockProject(root: string): Promise<() => Promise<void>> {
  const file = path.join(stateDir(root), LOCK_FILE);
  // Reserved synchronously, before any await, so two concurrent calls in this process cannot both pass.
  if (heldHere.has(file)) throw new ProjectLockedError(`${root}: another remaster run in this process is working on this project`);
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

/**
 * Creates the lock with its content in one step (a temp file hard-linked into place), so a reader never
 * sees an empty lock. A lock whose process is gone is removed under a takeover guard (an exclusive
 * mkdir) after re-reading it there: two runs that both saw the same dead pid cannot both take over
 * (the reliability suite caught exactly that: both wrote).
 */
async function createLockFile(file: string, root: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await linkNewLock(file)) return;
    const pid = await readPid(file);
    if (pid === null) continue; // released between our attempt and the read: try again
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new ProjectLockedError(`${root}: another remaster process (pid ${pid}) is working on this project`);
    }
    await takeOver(file, pid); // stale: its process is gone (or it was this pid, not held here)
  }
  throw new ConfigError(`${root}: cannot take the project lock ${file}`);
}

/** Puts a lock holding this pid in place; false when one exists already. */
async function linkNewLock(file: string): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await fs.writeFile(tmp, `${process.pid}\n`);
  try {
    await fs.link(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return false;
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** The pid in the lock (0 if unreadable), or null when there is no lock. */
async function readPid(file: string): Promise<number | null> {
  try {
    return Number((await fs.readFile(file, 'utf8')).trim()) || 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Removes the stale lock of `stalePid` unless another process has replaced it meanwhile. */
async function takeOver(file: string, stalePid: number): Promise<void> {
  const guard = `${file}.takeover`;
  try {
    await fs.mkdir(guard);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another process is taking over: let it finish. A guard older than 10 s was left by a crash.
    const since = (await fs.stat(guard).catch(() => null))?.mtimeMs;
    if (since !== undefined && Date.now() - since > 10_000) await fs.rmdir(guard).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 10));
    return;
  }
  try {
    if ((await readPid(file)) === stalePid) await fs.rm(file, { force: true });
  } finally {
    await fs.rmdir(guard).catch(() => undefined);
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
