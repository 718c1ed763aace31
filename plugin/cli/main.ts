/**
 * The `remaster` command line. bin/remaster.js calls main(argv) and exits with the code it returns:
 * 0 all good, 1 some asset failed (the others were still done), 2 bad usage or bad config.
 * Each subcommand lives in its own file and registers itself on the program, in one line below.
 * Registration only declares options: a command imports what it runs (engine, pipeline, sharp,
 * onnxruntime) inside its action with `await import(...)`, so `remaster --help` and every other
 * command do not pay for loading all of them (0.4-0.6 s before, measured).
 * The command files themselves are required only when registered, and `remaster <command> ...`
 * registers that command alone: some register functions' modules import their operation's code at
 * the top, and loading all twelve cost `remaster upscale` 0.1-0.3 s of its start-up (issue 13).
 */
import { Command, CommanderError } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/errors';

import { processIo, ServerRefusal, type CommandIo, type CommandResult } from './command-result';

/** Kept for commands written against main.ts; new ones import it from './command-result' (no cycle). */
export type { CommandResult } from './command-result';

/** `io`: where the command writes and gets its engine (the process, or a `remaster serve` client's connection). */
type Register = (program: Command, result: CommandResult, io: CommandIo) => void;

/**
 * Every subcommand: its name and how to load its register function (required on demand, see above).
 * A command added here is listed by `remaster --help`, in this order.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: ReadonlyArray<readonly [name: string, load: () => Register]> = [
  ['run', () => (require('./run') as typeof import('./run')).registerRunCommand],
  ['restore', () => (require('./restore') as typeof import('./restore')).registerRestoreCommand],
  ['watch', () => (require('./watch') as typeof import('./watch')).registerWatchCommand],
  ['upscale', () => (require('./upscale') as typeof import('./upscale')).registerUpscaleCommand],
  ['eval', () => (require('./eval') as typeof import('./eval')).registerEvalCommand],
  ['eval-pbr', () => (require('./eval-pbr') as typeof import('./eval-pbr')).registerEvalPbrCommand],
  ['vary', () => (require('./vary') as typeof import('./vary')).registerVaryCommand],
  ['eval-vary', () => (require('./eval-vary') as typeof import('./eval-vary')).registerEvalVaryCommand],
  ['style', () => (require('./style') as typeof import('./style')).registerStyleCommand],
  ['eval-style', () => (require('./eval-style') as typeof import('./eval-style')).registerEvalStyleCommand],
  ['material', () => (require('./material') as typeof import('./material')).registerMaterialCommand],
  ['eval-material', () => (require('./eval-material') as typeof import('./eval-material')).registerEvalMaterialCommand],
  ['serve', () => (require('./serve') as typeof import('./serve')).registerServeCommand],
];
/* eslint-enable @typescript-eslint/no-require-imports */

/** Names of every subcommand, in help order. */
export const commandNames = (): string[] => COMMANDS.map(([name]) => name);

/**
 * The program with every command, or with `only` that one (when it names a command: the rest are
 * not loaded). Anything else (`--help`, a typo commander suggests a fix for) gets them all.
 */
export function buildProgram(result: CommandResult, only?: string, io: CommandIo = processIo()): Command {
  const program = new Command('remaster')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .description('Remaster the textures of a game project (glTF/GLB models and images) in place, by rules.')
    .version(packageVersion(), '-V, --version', 'print the version of remaster')
    // A usage error is one line (commander's "error: …"), like every other bad input; no usage page.
    .exitOverride();
  const chosen = COMMANDS.filter(([name]) => name === only);
  for (const [, load] of chosen.length ? chosen : COMMANDS) load()(program, result, io);
  return program;
}

/** The `version` of the package.json above this file (sources under jest, or dist/ when built). */
function packageVersion(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (pkg.name === 'remaster') return String(pkg.version);
  }
  return 'unknown';
}

/**
 * Runs one command line and returns its exit code. `io` (default: this process) is where it writes:
 * `remaster serve` runs a client's `upscale` through here too, so a job gets the same parsing, checks,
 * messages and exit codes in the server as in the client's own process.
 */
export async function main(argv: string[], io: CommandIo = processIo()): Promise<number> {
  const result: CommandResult = { code: 0 };
  const program = buildProgram(result, argv[0], io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; commander has already printed the usage error otherwise.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof ServerRefusal) throw err; // not this job's failure: the client runs it itself
    io.stderr(`remaster: ${(err as Error).message ?? String(err)}\n`);
    return err instanceof ConfigError ? 2 : 1;
  }
}
