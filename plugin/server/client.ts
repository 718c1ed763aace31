/**
 * The client side of `remaster serve`, run by bin/remaster.js for `remaster upscale` before anything
 * heavy is loaded (no commander, sharp or onnxruntime: node built-ins and the small server modules).
 *
 * It hands the job to the project's server when one answers with this very build, streams its output
 * and returns its exit code; otherwise it returns undefined and the command runs in this process as it
 * always did. Undefined — run it here — for: `--no-server` or REMASTER_NO_SERVER, help, no project or
 * no socket, a socket it does not trust (socket-location.ts), a refused connection (a stale socket
 * left by a killed server), no welcome within {@link WELCOME_TIMEOUT_MS}, another build, a refused job
 * (a path outside the project), and a server that goes before the job's end without having begun to
 * write its output. A server that goes after it began (`commit`) may have written it: if the file is
 * not the one there before, the job is done (a rename is all or nothing) and is not run twice — twice
 * would upscale an output that replaced its input a second time.
 *
 * With REMASTER_DEBUG set, one line on stderr says which way the job went and why.
 */
import { lstatSync } from 'node:fs';
import type { Socket } from 'node:net';
import { clientIdentity, sameBuild } from './build-identity';
import { fileIdentity, frameLine, frameReader, type FileIdentity, type ServerFrame } from './protocol';
import { findServer } from './socket-location';

/** How long a server may take to answer a hello (it is answered between jobs' awaits, so at once unless the machine is swamped). */
export const WELCOME_TIMEOUT_MS = 5000;

export interface ClientContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
}

const processContext = (): ClientContext => ({
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
});

/**
 * Runs `remaster <argv>` on the project's server: its exit code, or undefined to run it in this process.
 *
 * @example
 * const code = await runOnServer(['upscale', 'in.png', 'out.png']);
 * if (code === undefined) code = await main(argv); // in this process
 */
export async function runOnServer(argv: string[], context: ClientContext = processContext()): Promise<number | undefined> {
  const debug = (line: string) => {
    if (context.env.REMASTER_DEBUG) context.stderr(`remaster: debug: ${line}\n`);
  };
  const off = context.env.REMASTER_NO_SERVER;
  if ((off !== undefined && off !== '' && off !== '0') || argv.includes('--no-server')) return undefined;
  if (argv[0] !== 'upscale' || argv.some((a) => a === '--help' || a === '-h')) return undefined;
  let found;
  try {
    found = findServer(context.cwd);
  } catch (err) {
    debug(`no engine server (${(err as Error).message}); running here`);
    return undefined;
  }
  if (!found) return undefined;
  if (!('connectPath' in found)) {
    debug(`engine server of ${found.root} not used: ${found.skipped}; running here`);
    return undefined;
  }
  const outcome = await talk(found.connectPath, argv, context);
  if (outcome.code === undefined) debug(`engine server of ${found.root} not used: ${outcome.why}; running here`);
  else debug(`ran on the engine server of ${found.root}`);
  return outcome.code;
}

type Outcome = { code: number; why?: undefined } | { code: undefined; why: string };

function talk(connectPath: string, argv: string[], context: ClientContext): Promise<Outcome> {
  const me = clientIdentity();
  return new Promise((resolve) => {
    let settled = false;
    let jobSent = false;
    let commit: { file: string; before: FileIdentity | null } | undefined;
    // node:net only once there is a socket to talk to: ~2.5 ms that a call with no server (most) does not pay.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const conn: Socket = (require('node:net') as typeof import('node:net')).connect(connectPath);
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(welcomeTimer);
      conn.destroy();
      resolve(outcome);
    };
    const welcomeTimer = setTimeout(() => finish({ code: undefined, why: `no answer within ${WELCOME_TIMEOUT_MS} ms` }), WELCOME_TIMEOUT_MS);
    conn.on('connect', () => conn.write(frameLine({ t: 'hello', ...me })));
    conn.on('data', frameReader<ServerFrame>((frame) => {
      if (settled) return;
      switch (frame.t) {
        case 'welcome':
          if (jobSent) return finish({ code: undefined, why: 'a second welcome' });
          if (!sameBuild(me, frame)) return finish({ code: undefined, why: 'it runs another build' });
          clearTimeout(welcomeTimer); // the job may take minutes: from here the server's end is what ends it
          jobSent = true;
          conn.write(frameLine({ t: 'job', argv, cwd: context.cwd }));
          return;
        case 'refused':
          return finish({ code: undefined, why: `refused: ${frame.reason}` });
        case 'out':
          return context.stdout(String(frame.text));
        case 'err':
          return context.stderr(String(frame.text));
        case 'commit':
          commit = { file: String(frame.file), before: frame.before };
          return;
        case 'exit':
          return finish({ code: Number(frame.code) });
      }
    }, () => finish({ code: undefined, why: 'it does not speak this protocol' })));
    conn.on('error', (err) => settled || finish(ended(commit, context, `connection failed (${(err as NodeJS.ErrnoException).code ?? err.message})`)));
    conn.on('close', () => settled || finish(ended(commit, context, jobSent ? 'it stopped during the job' : 'it closed the connection')));
  });
}

/**
 * The server went before `exit` (`why`): the job is done (exit 0) if the server had begun to write its output
 * (`commit`) and the file there is not the one it saw before, else undefined: it runs here.
 */
export function ended(commit: { file: string; before: FileIdentity | null } | undefined, context: ClientContext, why: string): Outcome {
  if (!commit) return { code: undefined, why };
  let now: FileIdentity | null;
  try {
    now = fileIdentity(lstatSync(commit.file, { throwIfNoEntry: false }));
  } catch (err) {
    // Cannot look (its folder gone or closed to us): the job here will say what is wrong with the path.
    return { code: undefined, why: `${why}; ${commit.file}: ${(err as Error).message}` };
  }
  const replaced = now !== null && (commit.before === null || now.ino !== commit.before.ino || now.mtimeMs !== commit.before.mtimeMs || now.size !== commit.before.size);
  if (!replaced) return { code: undefined, why: `${why}, before writing ${commit.file}` };
  context.stderr(`remaster: the engine server stopped after writing ${commit.file}; it is complete (written whole, then renamed into place)\n`);
  return { code: 0 };
}
