/**
 * Power-loss order of a group commit (plugin/pipeline/commit.ts). A SIGKILL cannot test it: the page
 * cache survives a killed process, so every rename is "durable" to the next run whatever was fsync'd.
 * What a power loss keeps is what was fsync'd, so this test watches the run's renames and fsyncs and
 * checks the rule the crash guarantees rest on: a rename (an output, a kept original) is durable — its
 * folder fsync'd after it — before any state file (journal record, snapshot) is opened to be written.
 * Else a done record (fingerprint, change-gate stamp) or an intent could reach the disk ahead of the
 * files it describes, and after a power loss vouch for a file that went back to its old content, or
 * name an original that is not there.
 *
 * The group no longer waits for its renames' folder fsyncs: the state's next write does
 * (saveState's `after`). The project folders' fsyncs are slowed here so that, without that wait, the
 * next group's intent record (or the closing flush) is written while they are still pending.
 */
import fs from 'node:fs';
import path from 'node:path';
import { remasterProject } from '../../plugin/pipeline/project';
import { makeSandbox, removeDir } from './helpers';
import { buildFaultProject } from './kill-harness';

jest.setTimeout(120_000);

/** Whether a project-relative path is a state file (state.json, its backup, journal, stamps) or one of their temp files. */
const isStateFile = (rel: string) => /^\.remaster\/\.?state\./.test(rel);

describe('power-loss order of a group commit', () => {
  let box: ReturnType<typeof makeSandbox>;
  afterAll(() => removeDir(box.base));

  it('every rename is fsync-durable before the next state write starts', async () => {
    box = makeSandbox();
    const root = box.project;
    await buildFaultProject(root, 12);
    const rel = (file: string) => path.relative(root, path.resolve(String(file))).split(path.sep).join('/');
    const inside = (file: string) => !rel(file).startsWith('..');

    /** Renames done and not yet covered by a folder fsync that started after them: target → folder. */
    const notDurable = new Map<string, string>();
    const violations: string[] = [];
    let renames = 0;
    let stateWrites = 0;

    const handlePaths = new WeakMap<object, string>();
    const realOpen = fs.promises.open;
    const open = jest.spyOn(fs.promises, 'open').mockImplementation(async (file, ...rest) => {
      if (inside(String(file)) && isStateFile(rel(String(file))) && String(rest[0] ?? 'r') !== 'r') {
        stateWrites++;
        for (const [target] of notDurable) violations.push(`${rel(String(file))} opened for writing while the rename to ${rel(target)} was not yet fsync'd`);
      }
      const handle = await realOpen(file, ...(rest as [fs.OpenMode?, fs.Mode?]));
      handlePaths.set(handle, path.resolve(String(file)));
      return handle;
    });
    const realRename = fs.promises.rename;
    const rename = jest.spyOn(fs.promises, 'rename').mockImplementation(async (from, to) => {
      await realRename(from, to);
      const target = path.resolve(String(to));
      if (inside(target) && !isStateFile(rel(target))) {
        renames++;
        notDurable.set(target, path.dirname(target));
      }
    });
    const probe = await realOpen(__filename, 'r');
    const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const realSync = proto.sync;
    proto.sync = async function (this: object) {
      const file = handlePaths.get(this);
      const isFolder = file !== undefined && Boolean(fs.statSync(file, { throwIfNoEntry: false })?.isDirectory());
      // What this fsync covers: the renames into the folder done before it starts.
      const covers = isFolder ? [...notDurable].filter(([, dir]) => dir === file).map(([target]) => target) : [];
      // Project folders' fsyncs slow (as on a busy disk), the rest quick, so that the next group's
      // intent record, or the closing flush, would overtake them if it did not wait for them.
      await new Promise((resolve) => setTimeout(resolve, isFolder && !rel(file).startsWith('.remaster/') ? 60 : 2));
      await realSync.call(this);
      for (const target of covers) notDurable.delete(target);
    };
    try {
      const report = await remasterProject(root, { concurrency: 4 });
      expect(report.failed).toEqual([]);
      expect(report.processed.length).toBeGreaterThan(10);
    } finally {
      proto.sync = realSync;
      open.mockRestore();
      rename.mockRestore();
    }
    expect(violations).toEqual([]);
    expect(renames).toBeGreaterThan(20); // outputs and kept originals
    expect(stateWrites).toBeGreaterThan(2); // intent records, the closing flush, the snapshot
    expect(notDurable.size).toBe(0); // the run ends with every rename durable
  });
});
