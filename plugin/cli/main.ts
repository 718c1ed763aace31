/**
 * The `remaster` command line. bin/remaster.js calls main(argv) and exits with the code it returns:
 * 0 all good, 1 some asset failed (the others were still done), 2 bad usage or bad config.
 * Each subcommand lives in its own file and registers itself on the program, in one line below.
 * Registration only declares options: a command imports what it runs (engine, pipeline, sharp,
 * onnxruntime) inside its action with `await import(...)`, so `remaster --help` and every other
 * command do not pay for loading all of them (0.4-0.6 s before, measured).
 */
import { Command, CommanderError } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/errors';
import { registerEvalCommand } from './eval';
import { registerEvalPbrCommand } from './eval-pbr';
import { registerEvalStyleCommand } from './eval-style';
import { registerMaterialCommand } from './material';
import { registerEvalMaterialCommand } from './eval-material';
import { registerRestoreCommand } from './restore';
import { registerRunCommand } from './run';
import { registerStyleCommand } from './style';
import { registerUpscaleCommand } from './upscale';
import { registerVaryCommand } from './vary';
import { registerEvalVaryCommand } from './eval-vary';
import { registerWatchCommand } from './watch';

import type { CommandResult } from './command-result';

/** Kept for commands written against main.ts; new ones import it from './command-result' (no cycle). */
export type { CommandResult } from './command-result';

export function buildProgram(result: CommandResult): Command {
  const program = new Command('remaster')
    .description('Remaster the textures of a game project (glTF/GLB models and images) in place, by rules.')
    .version(packageVersion(), '-V, --version', 'print the version of remaster')
    .exitOverride()
    .showHelpAfterError();
  registerRunCommand(program, result);
  registerRestoreCommand(program, result);
  registerWatchCommand(program);
  registerUpscaleCommand(program);
  registerEvalCommand(program);
  registerEvalPbrCommand(program);
  registerVaryCommand(program);
  registerEvalVaryCommand(program);
  registerStyleCommand(program);
  registerEvalStyleCommand(program);
  registerMaterialCommand(program, result);
  registerEvalMaterialCommand(program);
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

export async function main(argv: string[]): Promise<number> {
  const result: CommandResult = { code: 0 };
  const program = buildProgram(result);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; commander has already printed the usage error otherwise.
      return err.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`remaster: ${(err as Error).message ?? String(err)}\n`);
    return err instanceof ConfigError ? 2 : 1;
  }
}
