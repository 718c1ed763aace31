/**
 * Where `remaster serve` listens, and how a client finds it: a Unix socket in the project's own
 * folder, `.remaster/server/engine.sock`, in a folder only its owner can enter (0700).
 *
 * A client looks in the nearest folder above its working directory that has a `.remaster/` (that is the
 * project; it looks no further up). It takes the socket only when `.remaster`, `.remaster/server` and
 * the socket are what the server makes — real folders and a socket, not symlinks (a project copied from
 * elsewhere must not lead a client to a socket outside it), owned by this user, the folder closed to
 * others — and otherwise runs in its own process.
 *
 * Only node built-ins here: the client reads this before loading anything heavy.
 */
import { lstatSync, type Stats } from 'node:fs';
import path from 'node:path';

/** Remaster's folder at the project root (safety/project-paths.ts STATE_DIR; not imported, to keep the client light). */
export const STATE_FOLDER = '.remaster';
/** The server's folder, relative to the project root. */
export const SERVER_FOLDER = `${STATE_FOLDER}/server`;
/** The socket, relative to the project root. */
export const SOCKET_FILE = `${SERVER_FOLDER}/engine.sock`;

/**
 * Longest socket path a connect or bind takes: sun_path is 108 bytes on Linux (104 on macOS), NUL
 * included. Longer absolute paths are reached by a relative one from the working directory.
 */
export const MAX_SOCKET_PATH = 103;

export interface FoundServer {
  /** The project root (the folder holding `.remaster/`). */
  root: string;
  /** What to connect to: the absolute socket path, or a path relative to the working directory when that is too long. */
  connectPath: string;
}

/** Why a project's socket was not taken, for the client's debug line; null when there is no project or no socket. */
export type Lookup = FoundServer | { root: string; skipped: string } | null;

/**
 * The server socket for a command run in `cwd`, or why there is none.
 *
 * @example
 * const found = findServer(process.cwd());
 * if (found && 'connectPath' in found) net.connect(found.connectPath);
 */
export function findServer(cwd: string): Lookup {
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    const state = lstatSync(path.join(dir, STATE_FOLDER), { throwIfNoEntry: false });
    if (state?.isDirectory()) return serverOf(dir, cwd);
    if (path.dirname(dir) === dir) return null;
  }
}

function serverOf(root: string, cwd: string): Lookup {
  const folder = lstatSync(path.join(root, ...SERVER_FOLDER.split('/')), { throwIfNoEntry: false });
  if (!folder) return null;
  const problem = folderProblem(folder);
  if (problem) return { root, skipped: `${SERVER_FOLDER} ${problem}` };
  const socket = path.join(root, ...SOCKET_FILE.split('/'));
  const stat = lstatSync(socket, { throwIfNoEntry: false });
  if (!stat) return null;
  if (!stat.isSocket()) return { root, skipped: `${SOCKET_FILE} is not a socket` };
  if (!ownedByMe(stat)) return { root, skipped: `${SOCKET_FILE} belongs to another user` };
  if (Buffer.byteLength(socket) <= MAX_SOCKET_PATH) return { root, connectPath: socket };
  const relative = path.relative(cwd, socket);
  if (Buffer.byteLength(relative) <= MAX_SOCKET_PATH) return { root, connectPath: relative };
  return { root, skipped: `the socket path is too long to connect to (${Buffer.byteLength(relative)} bytes from here, at most ${MAX_SOCKET_PATH})` };
}

/** Why the server folder cannot be trusted (a symlink, another owner, open to others), or null. */
export function folderProblem(stat: Stats): string | null {
  if (stat.isSymbolicLink()) return 'is a symlink';
  if (!stat.isDirectory()) return 'is not a folder';
  if (!ownedByMe(stat)) return 'belongs to another user';
  if ((stat.mode & 0o077) !== 0) return `is open to other users (mode ${(stat.mode & 0o777).toString(8)})`;
  return null;
}

function ownedByMe(stat: Stats): boolean {
  return typeof process.getuid !== 'function' || stat.uid === process.getuid();
}
