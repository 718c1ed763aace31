/**
 * Group commit (plugin/pipeline/commit-groups.ts): several assets share one intent record and their
 * folders' fsyncs. A run SIGKILLed in the middle of a group's output writes (some of its assets'
 * files replaced, others not yet, all of them with only their intent on disk) must leave every file
 * old or new, a .gltf with the .bin it was written with, the originals kept, and the next run must
 * end exactly like an unkilled one.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadState } from '../../plugin/state/store';
import { exited, makeSandbox, REPO, removeDir } from './helpers';
import { buildFaultProject, checkAfterKill, checkCompletes, projectFiles, referenceRun } from './kill-harness';

jest.setTimeout(240_000);

/**
 * Runs the project in a child at concurrency 4 with every fsync slowed by 25 ms (so assets pile up
 * behind a commit and groups form), killed just before its `killAt`-th rename of a project file.
 */
async function runKilledAt(dir: string, killAt: number): Promise<NodeJS.Signals | null> {
  const script = `
    const fs = require('node:fs');
    const root = ${JSON.stringify(dir)} + '/';
    let renames = 0;
    const rename = fs.promises.rename;
    fs.promises.rename = async (from, to) => {
      if (String(to).startsWith(root) && !String(to).startsWith(root + '.remaster/') && ++renames === ${killAt}) process.kill(process.pid, 'SIGKILL');
      return rename(from, to);
    };
    (async () => {
      const handle = await fs.promises.open(${JSON.stringify(__filename)}, 'r');
      const proto = Object.getPrototypeOf(handle);
      await handle.close();
      const sync = proto.sync;
      proto.sync = async function () { await new Promise((r) => setTimeout(r, 25)); return sync.call(this); };
      const { remasterProject } = require(${JSON.stringify(path.join(REPO, 'dist/plugin/pipeline/project.js'))});
      await remasterProject(root, { concurrency: 4 });
    })().catch((err) => { console.error(err); process.exit(2); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const { code, signal } = await exited(child);
  if (code) throw new Error(`killed run failed before its kill (${code}): ${stderr}`);
  return signal;
}

describe('SIGKILL in the middle of a commit group', () => {
  let box: ReturnType<typeof makeSandbox>;
  afterAll(() => removeDir(box.base));

  it('every file old or new, originals kept, the next run completes like an unkilled one', async () => {
    box = makeSandbox();
    const template = path.join(box.base, 'template');
    await buildFaultProject(template);
    const ref = await referenceRun(template, path.join(box.base, 'reference'));
    const problems: string[] = [];
    let midGroup = 0;
    for (const killAt of [2, 4, 6, 9, 12]) {
      const work = path.join(box.base, `killed-${killAt}`);
      fs.cpSync(template, work, { recursive: true });
      expect(await runKilledAt(work, killAt)).toBe('SIGKILL');
      problems.push(...checkAfterKill(work, ref).map((p) => `kill at rename ${killAt}: ${p}`));

      // Mid-group: assets whose intent is on disk without their done record, some already replaced, some not.
      const state = await loadState(work);
      const now = projectFiles(work);
      const intentOnly = Object.keys(state.assets).filter((key) => state.assets[key].fingerprint === '');
      const replaced = intentOnly.filter((key) => now[key] !== ref.original[key]);
      if (replaced.length > 0 && replaced.length < intentOnly.length) midGroup++;

      problems.push(...checkCompletes(work, ref).map((p) => `after the kill at rename ${killAt}: ${p}`));
      removeDir(work);
    }
    expect(problems).toEqual([]);
    expect(midGroup).toBeGreaterThan(0); // the kills did land inside groups
  });
});
