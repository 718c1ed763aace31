/**
 * The `remaster` command line. bin/remaster.js calls main(argv) and exits with the code it returns:
 * 0 all good, 1 some asset failed (the others were still done), 2 bad usage or bad config.
 * Each subcommand lives in its own file and registers itself on the program.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/errors';
import { registerEvalCommand } from './eval';
import { registerMaterialCommand } from './material';
import { registerEvalMaterialCommand } from './eval-material';
import { registerEvalPbrCommand } from './eval-pbr';
import { registerRestoreCommand } from './restore';
import { registerRunCommand } from './run';
import { registerUpscaleCommand } from './upscale';
import { registerWatchCommand } from './watch';

/** What a command's action reports back to main (commander actions cannot return an exit code). */
export interface CommandResult {
  code: number;
}

export function buildProgram(result: CommandResult): Command {
  const program = new Command('remaster')
    .description('Remaster the textures of a game project (glTF/GLB models and images) in place, by rules.')
    .exitOverride()
    .showHelpAfterError();
  registerRunCommand(program, result);
  registerRestoreCommand(program, result);
  registerWatchCommand(program);
  registerUpscaleCommand(program);
  registerEvalCommand(program);
  registerMaterialCommand(program, result);
  registerEvalMaterialCommand(program);
  registerEvalPbrCommand(program);
  return program;
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
