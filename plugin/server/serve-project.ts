/**
 * `remaster serve`: a resident engine process for one project. It keeps engines warm (model loaded,
 * inference worker started; engine-pool.ts) and runs the `remaster upscale` jobs that clients in the
 * project hand it over a Unix socket (protocol.ts), through the very code a `remaster` process runs
 * (cli/main.ts with the client's arguments), writing the client's stdout and stderr back to it.
 *
 * Jobs run one at a time, in the client's working directory (the server changes to it for the job:
 * sharp, the model paths and the messages then see the paths as the client gave them). A job naming a
 * file outside the project, or in .remaster/, is refused before anything is done: the server acts for
 * the project only; the client then runs it in its own process, as it would with no server.
 */
import { chmodSync, lstatSync, mkdirSync, realpathSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ConfigError } from '../config/errors';
import { ServerRefusal, type CommandIo } from '../cli/command-result';
import { looksLikePath } from '../engine/model-source';
import { assertInsideRoot, STATE_DIR, toProjectPath } from '../safety/project-paths';
import { assertStateDirSafe } from '../safety/state-dir';
import { BuildFingerprint, clientIdentity, sameBuild, type BuildIdentity } from './build-identity';
import { EnginePool, type PooledLease } from './engine-pool';
import { fileIdentity, frameLine, frameReader, type ClientFrame, type ServerFrame } from './protocol';
import { folderProblem, SERVER_FOLDER, SOCKET_FILE } from './socket-location';

export interface ServeOptions {
  /** Seconds without a job before the server stops by itself (default {@link DEFAULT_IDLE_TIMEOUT_S}); 0: never. */
  idleTimeoutSeconds?: number;
  /** One line per event (listening, each job, stopping). Default: silent. */
  log?: (line: string) => void;
  /** Engines kept warm at most (default 3). */
  maxEngines?: number;
}

/** 30 minutes: a working session of an editor or a CI job's build steps, not a machine's whole day. */
export const DEFAULT_IDLE_TIMEOUT_S = 1800;

/** A client that connects must say hello within this long, or is let go. */
const HELLO_TIMEOUT_MS = 10_000;

export interface RunningServer {
  /** The project root (real path). */
  root: string;
  /** The socket's absolute path. */
  socket: string;
  /** Resolves when the server has stopped (signal, idle timeout, stop()): socket removed, engines closed. */
  stopped: Promise<void>;
  /** Stops taking jobs, lets the running and queued ones finish, then closes. */
  stop(reason: string): Promise<void>;
}

/**
 * Starts serving `dir`. Throws a ConfigError (exit 2) when the project's .remaster/ is not a real
 * folder, when the server folder or socket is something else, or when a server already runs there.
 *
 * @example
 * const server = await serveProject('game', { log: console.log });
 * process.once('SIGTERM', () => void server.stop('SIGTERM'));
 * await server.stopped;
 */
export async function serveProject(dir: string, options: ServeOptions = {}): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  let root: string;
  try {
    root = realpathSync(path.resolve(dir));
  } catch {
    throw new ConfigError(`${dir}: no such folder`);
  }
  if (!lstatSync(root).isDirectory()) throw new ConfigError(`${dir}: not a folder`);
  const identity = clientIdentity();
  const build = new BuildFingerprint();
  // The server's own directory is the root: the socket is bound and probed by its short relative path
  // (no length limit on the project's location), and every job changes back here when it ends.
  process.chdir(root);
  const { socket, madeStateDir } = await prepareSocketPath(root);
  const pool = new EnginePool({ max: options.maxEngines, onCreate: (what) => log(`loading ${what}`) });
  const idleMs = (options.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_S) * 1000;
  const listener = net.createServer();
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(SOCKET_FILE, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  chmodSync(socket, 0o600);
  const socketIno = lstatSync(socket).ino;

  let queue: Promise<void> = Promise.resolve();
  let pending = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  let stopping: Promise<void> | undefined;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  const armIdle = () => {
    clearTimeout(idleTimer);
    if (idleMs > 0 && pending === 0 && !stopping) idleTimer = setTimeout(() => void stop(`idle for ${idleMs / 1000} s`), idleMs);
  };

  const stop = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      clearTimeout(idleTimer);
      log(`stopping (${reason})${pending ? `; finishing ${pending} job(s) first` : ''}`);
      listener.close();
      removeSocket(socket, socketIno);
      await queue;
      await pool.close();
      build.close();
      // Its folder, and .remaster/ when this server made it, go if empty (else something else put files there).
      for (const made of madeStateDir ? [SERVER_FOLDER, STATE_DIR] : [SERVER_FOLDER]) {
        try {
          rmdirSync(path.join(root, ...made.split('/')));
        } catch {
          // not empty, or gone: left as it is
        }
      }
      log('stopped');
      resolveStopped();
    })();
    return stopping;
  };

  listener.on('connection', (conn) => {
    const send = (frame: ServerFrame) => {
      if (!conn.destroyed) conn.write(frameLine(frame));
    };
    let welcomed = false;
    const helloTimer = setTimeout(() => conn.destroy(), HELLO_TIMEOUT_MS);
    conn.on('error', () => undefined); // a client gone mid-write: its job ends at beforeCommit
    conn.on('close', () => clearTimeout(helloTimer));
    conn.on('data', frameReader<ClientFrame>((frame) => {
      if (frame.t === 'hello' && !welcomed) {
        clearTimeout(helloTimer);
        if (stopping) {
          send({ t: 'refused', reason: 'the server is stopping' });
          return void conn.end();
        }
        const rebuilt = build.changed();
        if (rebuilt || !sameBuild(identity, frame)) {
          send({ t: 'refused', reason: rebuilt ? 'the server runs another build (it was rebuilt since the server started)' : `the server runs another build (server ${describe(identity)}, client ${describe(frame)})` });
          conn.end();
          // A rebuild since this server started: it can serve no client of the new build, so it goes.
          if (rebuilt || !sameBuild(identity, clientIdentity())) void stop('the build changed since it started');
          return;
        }
        welcomed = true;
        send({ t: 'welcome', ...identity });
      } else if (frame.t === 'job' && welcomed && !stopping) {
        welcomed = false; // one job per connection
        pending++;
        clearTimeout(idleTimer);
        queue = queue.then(() => runJob(frame, conn, send)).finally(() => {
          pending--;
          armIdle();
        });
      } else {
        conn.destroy();
      }
    }, () => conn.destroy()));
  });

  async function runJob(job: Extract<ClientFrame, { t: 'job' }>, conn: net.Socket, send: (frame: ServerFrame) => void): Promise<void> {
    if (conn.destroyed) return; // the client gave up while queued: it runs the job itself
    const started = performance.now();
    const leases: PooledLease[] = [];
    let code = 1;
    try {
      code = await runInDirectory(job, send, leases, conn);
    } catch (err) {
      if (err instanceof ServerRefusal) {
        log(`refused ${describeJob(job)}: ${err.message}`);
        send({ t: 'refused', reason: err.message });
        conn.end();
        return;
      }
      // main() reports every error of a command itself; this is the server's own (a bug): the job fails.
      send({ t: 'err', text: `remaster: ${(err as Error).message}\n` });
    } finally {
      process.chdir(root);
      // An engine a job failed on is not reused: a crashed worker, a model that would not load (its failure is
      // kept by the engine). A job that failed on its input (exit 2) leaves a sound engine, and so does a
      // client that went away (the job stopped before writing).
      const clientGone = conn.destroyed;
      for (const lease of leases) {
        await lease.release();
        if (code !== 0 && !clientGone && (code !== 2 || !(await lease.healthy()))) lease.retire();
      }
    }
    log(`${describeJob(job)}: exit ${code} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    send({ t: 'exit', code });
    conn.end();
  }

  async function runInDirectory(job: Extract<ClientFrame, { t: 'job' }>, send: (frame: ServerFrame) => void, leases: PooledLease[], conn: net.Socket): Promise<number> {
    if (!Array.isArray(job.argv) || job.argv[0] !== 'upscale' || !job.argv.every((a) => typeof a === 'string')) throw new ServerRefusal('only `remaster upscale` jobs are served');
    const cwd = realDirectory(String(job.cwd));
    if (!inside(root, cwd)) throw new ServerRefusal(`${job.cwd} is not inside the project ${root}`);
    const { main } = await import('../cli/main');
    const io: CommandIo = {
      stdout: (text) => send({ t: 'out', text }),
      stderr: (text) => send({ t: 'err', text }),
      engine: (engineOptions, model, engineLog) => {
        const lease = pool.lease(engineOptions, model, engineLog);
        leases.push(lease);
        return lease;
      },
      server: {
        admit: (paths) => admit(root, paths),
        beforeCommit(file) {
          if (conn.destroyed) throw new Error('the client has gone; nothing written');
          const abs = path.resolve(file);
          send({ t: 'commit', file: abs, before: fileIdentity(lstatSync(abs, { throwIfNoEntry: false })) });
        },
      },
    };
    process.chdir(cwd);
    return main(job.argv, io);
  }

  log(`serving ${root} on ${SOCKET_FILE}; ${idleMs > 0 ? `stops after ${idleMs / 1000} s without a job` : 'no idle timeout'}`);
  pending++;
  queue = queue.then(() => prewarm(pool, log)).finally(() => {
    pending--;
    armIdle();
  });

  return {
    root,
    socket,
    stopped,
    stop,
  };
}

/** Loads the model a plain `remaster upscale in out` uses, so the first job finds it warm too. */
async function prewarm(pool: EnginePool, log: (line: string) => void): Promise<void> {
  const { defaultModel } = await import('../engine');
  const model = defaultModel(2);
  const lease = pool.lease({ device: 'auto' }, model, (line) => log(line));
  try {
    await lease.engine.checkModel(model);
  } catch (err) {
    log(`could not load ${model} ahead of the first job: ${(err as Error).message}`);
    lease.retire();
  } finally {
    await lease.release();
  }
}

/**
 * Makes `.remaster/server/` (0700) and clears a stale socket: throws when .remaster or the folder is a
 * symlink or not the user's, when the socket path holds something else, or when a server answers on it.
 */
async function prepareSocketPath(root: string): Promise<{ socket: string; madeStateDir: boolean }> {
  assertStateDirSafe(root);
  const folder = path.join(root, ...SERVER_FOLDER.split('/'));
  const madeStateDir = mkdirSync(path.join(root, STATE_DIR), { recursive: true }) !== undefined;
  try {
    mkdirSync(folder, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  let stat = lstatSync(folder);
  if (!stat.isSymbolicLink() && stat.isDirectory() && (stat.mode & 0o077) !== 0 && stat.uid === process.getuid?.()) {
    chmodSync(folder, 0o700); // made by an older server under another umask, say: closed now
    stat = lstatSync(folder);
  }
  const problem = folderProblem(stat);
  if (problem) throw new ConfigError(`${SERVER_FOLDER}: ${problem}; remove it and start again`);
  const socket = path.join(root, ...SOCKET_FILE.split('/'));
  const existing = lstatSync(socket, { throwIfNoEntry: false });
  if (existing && !existing.isSocket()) throw new ConfigError(`${SOCKET_FILE}: exists and is not a socket; remove it and start again`);
  if (existing) {
    if (await answers()) throw new ConfigError(`a server already runs for ${root} (${SOCKET_FILE})`);
    unlinkSync(socket); // a server killed without its shutdown (kill -9, power loss)
  }
  return { socket, madeStateDir };
}

/** Whether something accepts connections on the socket (by its path from the root, the current directory). */
function answers(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(SOCKET_FILE);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** Removes the socket if it is still the one this server bound (by inode). */
function removeSocket(socket: string, ino: number): void {
  try {
    if (lstatSync(socket).ino === ino) unlinkSync(socket);
  } catch {
    // already gone
  }
}

/** Refuses a job that would read or write outside the project, or in .remaster/ (relative paths: the job's directory). */
function admit(root: string, paths: { read: string[]; write: string[]; model?: string }): void {
  const files = [...paths.read, ...paths.write];
  if (paths.model !== undefined && looksLikePath(paths.model)) files.push(paths.model);
  for (const file of files) {
    let rel: string;
    try {
      rel = toProjectPath(root, path.resolve(file));
    } catch {
      rel = '';
    }
    if (rel === '') throw new ServerRefusal(`${file}: outside the project ${root}`); // '' is the root itself
    if (rel === STATE_DIR || rel.startsWith(`${STATE_DIR}/`)) throw new ServerRefusal(`${file}: inside ${STATE_DIR}/, which the server does not touch`);
    try {
      assertInsideRoot(root, rel);
    } catch (err) {
      throw new ServerRefusal((err as Error).message);
    }
  }
  // A FIFO or device as the input would hold the server, and every job queued behind it, for good.
  for (const file of paths.read) {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (stat && !stat.isFile()) throw new ServerRefusal(`${file}: not a regular file`);
  }
}

function realDirectory(dir: string): string {
  try {
    const real = realpathSync(dir);
    if (lstatSync(real).isDirectory()) return real;
  } catch {
    // below
  }
  throw new ServerRefusal(`${dir}: the client's directory cannot be entered`);
}

function inside(root: string, dir: string): boolean {
  return dir === root || dir.startsWith(root + path.sep);
}

/** Version and protocol; the build strings (paths and mtimes) are too long for a line, and only differ. */
function describe(id: Partial<BuildIdentity>): string {
  return `${id.version ?? '?'} protocol ${id.protocol ?? '?'}`;
}

function describeJob(job: { argv: unknown }): string {
  return Array.isArray(job.argv) ? job.argv.map(String).join(' ') : 'a malformed job';
}
