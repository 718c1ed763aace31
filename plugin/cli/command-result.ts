/** What a command's action reports back to main (commander actions cannot return an exit code). */
import { CommanderError } from 'commander';

export interface CommandResult {
  code: number;
}

/** Bad input (a file, a model, a flag combination): one line on stderr and exit 2, before anything is written. */
export function usageError(message: string): never {
  process.stderr.write(`remaster: ${message}\n`);
  throw new CommanderError(2, 'remaster.badInput', message);
}
