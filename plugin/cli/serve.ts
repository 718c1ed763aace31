/** `remaster serve [dir]`: a resident engine for the project's `remaster upscale` calls (plugin/server/). */
import type { Command } from 'commander';
import type { CommandResult } from './command-result';
import { integerOption } from './number-option';

interface ServeFlags {
  idleTimeout?: number;
}

export function registerServeCommand(program: Command, result: CommandResult): void {
  program
    .command('serve')
    .description('keep the engine warm for this project: `remaster upscale` run inside it hands its job to this process (foreground; Ctrl-C stops it)')
    .argument('[dir]', 'project directory (default: the current one); the socket is <dir>/.remaster/server/engine.sock')
    .option('--idle-timeout <s>', 'stop after this many seconds without a job; 0: never (default 1800)', parseIdle)
    .action(async (dir: string | undefined, flags: ServeFlags) => {
      const { serveProject } = await import('../server/serve-project');
      const log = (line: string) => void process.stdout.write(`remaster serve: ${line}\n`);
      const server = await serveProject(dir ?? '.', { idleTimeoutSeconds: flags.idleTimeout, log });
      // The first signal stops taking jobs and finishes the running one; a second one stops at once
      // (the socket is already gone, so clients run their jobs themselves).
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        if (++signals > 1) process.exit(signal === 'SIGINT' ? 130 : 143);
        void server.stop(signal);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        await server.stopped;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      result.code = 0;
    });
}

/** Up to ~23 days: a timer longer than 2^31-1 ms would fire at once (Node clamps it to 1 ms). */
const parseIdle = integerOption({ min: 0, max: 2_000_000, message: 'must be a whole number of seconds from 0 to 2000000' });
