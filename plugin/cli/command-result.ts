/** What a command's action reports back to main (commander actions cannot return an exit code), and where it writes. */
import { CommanderError } from 'commander';
import type { Engine, EngineOptions } from '../engine';

export interface CommandResult {
  code: number;
}

/**
 * Where a command's output goes and where its engine comes from. In a `remaster` process this is the
 * process itself ({@link processIo}); in `remaster serve` it is one client's connection, with the
 * server's warm engines and its project-root checks (plugin/server/). A command that supports the
 * server writes only through this, so both ways run the same code and print the same lines.
 */
export interface CommandIo {
  /** Text for stdout (whole lines, with their newline). */
  stdout(text: string): void;
  /** Text for stderr (whole lines, with their newline). */
  stderr(text: string): void;
  /**
   * An engine for one command with these options and `model`; `release` when done with it (once or
   * more: only the first counts). In a process: a new engine, closed by `release`. In the server: a warm
   * one, kept; `log` receives the lines the engine logged when it was made (device, model) as a new
   * engine would log them now, then any new ones.
   */
  engine(options: Omit<EngineOptions, 'log'>, model: string, log: (line: string) => void): EngineLease;
  /** Set in `remaster serve` only: the checks and notices a job run for a client needs. */
  server?: ServerJobHooks;
}

export interface EngineLease {
  engine: Engine;
  release(): Promise<void>;
}

export interface ServerJobHooks {
  /**
   * Throws a {@link ServerRefusal} when the job names a path the server must not touch (outside its
   * project, or inside .remaster/). Called before the command writes anything.
   */
  admit(paths: { read: string[]; write: string[]; model?: string }): void;
  /**
   * Called just before the command replaces `file` (the last step before its summary line): the client
   * learns that a server dying from here on may have written it. Throws when the client has gone, so
   * nothing is written for a job nobody waits for.
   */
  beforeCommit(file: string): void;
}

/** The server will not run this job (a path outside its project): the client runs it in its own process. */
export class ServerRefusal extends Error {
  override name = 'ServerRefusal';
}

/** The process's own stdout and stderr, and a new engine per command (closed on release). */
export function processIo(): CommandIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    engine(options, _model, log) {
      // Required here, not imported at the top: `remaster --help` and the commands without a model do not load the engine.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createEngine } = require('../engine') as typeof import('../engine');
      const engine = createEngine({ ...options, log });
      return { engine, release: () => engine.close() };
    },
  };
}

/**
 * Bad input (a file, a model, a flag combination): one line on stderr and exit 2, before anything is
 * written. `write` is the command's stderr (default: the process's).
 */
export function usageError(message: string, write: (text: string) => void = (text) => void process.stderr.write(text)): never {
  write(`remaster: ${message}\n`);
  throw new CommanderError(2, 'remaster.badInput', message);
}
