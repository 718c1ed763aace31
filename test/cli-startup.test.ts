/**
 * `remaster <command>` loads that command's code only (issue 13: start-up is part of every CLI
 * call's time), while `remaster --help` still lists every command. Checked on the built CLI, in a
 * spawned process that prints which of the CLI's own modules it loaded.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');

/** Runs the built CLI's main(argv) and returns the plugin/cli modules it required, and its stdout. */
function loadedCommands(argv: string[]): { modules: string[]; stdout: string } {
  const script = `
    const main = require(${JSON.stringify(path.join(ROOT, 'dist/plugin/cli/main.js'))});
    main.main(${JSON.stringify(argv)}).then(() => {
      const cli = ${JSON.stringify(path.join(ROOT, 'dist/plugin/cli') + path.sep)};
      const mods = Object.keys(require.cache).filter((f) => f.startsWith(cli)).map((f) => f.slice(cli.length));
      process.stderr.write('MODULES ' + JSON.stringify(mods) + '\\n');
    });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  const line = r.stderr.split('\n').find((l) => l.startsWith('MODULES '));
  if (!line) throw new Error(`no module list: ${r.stderr}`);
  return { modules: JSON.parse(line.slice('MODULES '.length)), stdout: r.stdout };
}

test('remaster upscale loads the upscale command alone, not the eleven others', () => {
  const { modules, stdout } = loadedCommands(['upscale', '--help']);
  expect(stdout).toContain('Usage: remaster upscale');
  const commands = modules.filter((m) => !['main.js', 'command-result.js', 'device-option.js', 'number-option.js'].includes(m));
  expect(commands).toEqual(['upscale.js']);
});

test('remaster --help still lists every command', () => {
  const { stdout } = loadedCommands(['--help']);
  for (const name of ['run', 'restore', 'watch', 'upscale', 'eval', 'eval-pbr', 'vary', 'eval-vary', 'style', 'eval-style', 'material', 'eval-material']) {
    expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  }
});
