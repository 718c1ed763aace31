/**
 * One writer per project: `.remaster/lock` names the run that is rewriting files, so a second
 * `remaster run` (or a run next to `remaster watch`) cannot interleave its writes and state updates with
 * the first. A pid alone does not name a process: two containers sharing a volume both run node as
 * PID 1. The lock therefore records who holds it (pid, host, boot id, PID namespace, process start time
 * and a random token), and a lock is taken over only when its holder is provably gone; one whose
 * liveness cannot be checked from here (another machine or container) is held.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, ProjectLockedError } from '../errors';
import { stateDir } from './store';

const LOCK_FILE = 'lock';
/** A takeover guard this old whose maker cannot be checked was left by a crash. */
const GUARD_STALE_MS = 10_000;
/** Roots locked by this process: a second concurrent run in the same process is refused too. */
const heldHere = new Set<string>();

/** Who holds a lock. Fields that cannot be read on this platform are null. */
export interface LockOwner {
  pid: number;
  host: string;
  /** Kernel boot id (Linux): a different one is another machine, or this one before a reboot. */
  bootId: string | null;
  /** PID namespace (Linux `pid:[inode]`): pids are only comparable inside one. */
  pidNs: string | null;
  /** Process start time in clock ticks since boot (Linux): tells a reused pid from the holder. */
  startTime: string | null;
  /** Random per process: "same pid, not me" is told apart by it. */
  token: string;
}

let self: LockOwner | undefined;

/** This process as a lock owner (computed once). */
export function currentOwner(): LockOwner {
  self ??= {
    pid: process.pid,
    host: os.hostname(),
    bootId: readOrNull(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()),
    pidNs: readOrNull(() => readlinkSync('/proc/self/ns/pid')),
    startTime: startTimeOf(process.pid),
    token: randomBytes(8).toString('hex'),
  };
  return self;
}

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
 * sees an empty lock. A lock whose holder is gone is removed under a takeover guard (an exclusive
 * mkdir) after re-reading it there: two runs that both saw the same dead holder cannot both take over
 * (the reliability suite caught exactly that: both wrote).
 */
async function createLockFile(file: string, root: string): Promise<void> {
  // Long enough for a guard left by a killed run (maker unknown) to age out: a delay, not a failure.
  for (const until = Date.now() + GUARD_STALE_MS + 5_000; Date.now() < until; ) {
    if (await linkNewLock(file)) return;
    const raw = await readLock(file);
    if (raw === null) continue; // released between our attempt and the read: try again
    const owner = parseOwner(raw);
    const status = owner ? holderStatus(owner) : 'gone'; // an unreadable lock names no one
    if (status === 'alive') throw new ProjectLockedError(`${root}: another remaster process (pid ${owner!.pid}) is working on this project`);
    if (status === 'unknown') {
      throw new ProjectLockedError(`${root}: another remaster process (pid ${owner!.pid} on ${owner!.host || 'an unknown host'}, in another container or on another machine) holds the project lock; if no run is going on there, delete ${file}`);
    }
    await takeOver(file, raw);
  }
  throw new ConfigError(`${root}: cannot take the project lock ${file}`);
}

/** Puts a lock naming this process in place; false when one exists already. */
async function linkNewLock(file: string): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await fs.writeFile(tmp, `${JSON.stringify(currentOwner())}\n`);
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

/** The lock's text, or null when there is no lock. */
async function readLock(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The owner a lock names: JSON, or a bare pid (older versions, which wrote only that); null if neither. */
function parseOwner(raw: string): LockOwner | null {
  const text = raw.trim();
  if (/^\d+$/.test(text)) return { pid: Number(text), host: '', bootId: null, pidNs: null, startTime: null, token: '' };
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (!owner || typeof owner.pid !== 'number' || typeof owner.token !== 'string') return null;
    return { pid: owner.pid, host: String(owner.host ?? ''), bootId: owner.bootId ?? null, pidNs: owner.pidNs ?? null, startTime: owner.startTime ?? null, token: owner.token };
  } catch {
    return null;
  }
}

/**
 * Whether the lock's holder still runs: 'alive', 'gone' (provably: this namespace, no such process, or
 * this machine before a reboot), or 'unknown' (another machine or PID namespace: held).
 */
export function holderStatus(owner: LockOwner): 'alive' | 'gone' | 'unknown' {
  const me = currentOwner();
  if (owner.token && owner.token === me.token) return 'gone'; // our own lock, no longer held here (a failed release)
  if (!owner.token) {
    // Old format, a bare pid: our own pid there was written by someone else (another container's PID 1).
    return owner.pid === me.pid ? 'unknown' : isAlive(owner.pid) ? 'alive' : 'gone';
  }
  if (owner.bootId && me.bootId && owner.bootId !== me.bootId) {
    return owner.host === me.host ? 'gone' : 'unknown'; // this machine before a reboot, or another machine
  }
  if (owner.host !== me.host && !(owner.bootId && owner.bootId === me.bootId)) return 'unknown';
  if (owner.pidNs !== me.pidNs) return 'unknown'; // another container on this kernel: its pids are not ours
  // Same machine, same PID namespace: pids are unique here. Our own pid with another token is a process
  // that is gone (its pid now ours); another pid is alive only if it is the same process (start time).
  if (owner.pid === me.pid) return 'gone';
  if (!isAlive(owner.pid)) return 'gone';
  const started = startTimeOf(owner.pid);
  return owner.startTime && started && owner.startTime !== started ? 'gone' : 'alive';
}

/**
 * Removes the stale lock whose text is `staleText` unless another process has replaced it meanwhile.
 * The guard is a folder naming its maker (`owner` inside), so one left by a run killed inside this
 * section is cleared as soon as that run is provably gone, not only once it is 10 s old.
 */
async function takeOver(file: string, staleText: string): Promise<void> {
  const guard = `${file}.takeover`;
  try {
    await fs.mkdir(guard);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another process is taking over: let it finish, unless it is gone.
    if (await guardIsStale(guard)) await fs.rm(guard, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 10));
    return;
  }
  try {
    await fs.writeFile(path.join(guard, 'owner'), JSON.stringify(currentOwner()));
    if ((await readLock(file)) === staleText) await fs.rm(file, { force: true });
  } finally {
    await fs.rm(guard, { recursive: true, force: true });
  }
}

/** A takeover guard whose maker is provably gone, or (maker not yet written or not checkable) older than 10 s. */
async function guardIsStale(guard: string): Promise<boolean> {
  const owner = parseOwner(await fs.readFile(path.join(guard, 'owner'), 'utf8').catch(() => ''));
  if (owner && holderStatus(owner) === 'gone') return true;
  const since = (await fs.stat(guard).catch(() => null))?.mtimeMs;
  return since !== undefined && Date.now() - since > GUARD_STALE_MS;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat (start time since boot); null off Linux or when the process is gone. */
function startTimeOf(pid: number): string | null {
  return readOrNull(() => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null; // after "(comm) ": field 3 is index 0
  });
}

function readOrNull(read: () => string | null): string | null {
  try {
    return read();
  } catch {
    return null;
  }
}
