/**
 * `.remaster/` is data on disk: a project can ship one (a git checkout, an unzipped mod), a disk or a
 * user can break it. Whatever it says, Remaster touches nothing outside the project, never loses a kept
 * original, and always reads back what it wrote itself (issue 8, items 1, 3, 4, 5 and 13).
 */
import fs from 'node:fs';
import path from 'node:path';
import { cli, hashTree, makeSandbox, noisePNG, removeDir, runJSON, sha, write } from './helpers';

jest.setTimeout(120_000);

describe('a shipped or broken .remaster/', () => {
  let box: ReturnType<typeof makeSandbox>;
  beforeEach(() => {
    box = makeSandbox();
  });
  afterEach(() => removeDir(box.base));

  const stateFile = () => path.join(box.project, '.remaster', 'state.json');
  const original = (rel: string) => path.join(box.project, '.remaster', 'originals', ...rel.split('/'));

  /** A shipped state.json saying `rel` is Remaster's output `output`, whose original is `originalBytes`. */
  function shipState(rel: string, output: Uint8Array, originalBytes: Uint8Array): void {
    const state = {
      version: 1,
      files: { [rel]: { original: sha(originalBytes), output: sha(output) } },
      assets: { [rel]: { type: 'texture', files: [rel], fingerprint: 'shipped', rules: [], engines: [] } },
    };
    write(stateFile(), JSON.stringify(state));
  }

  describe('item 1: paths through symlinks', () => {
    it('restore refuses a state path that passes through a symlinked project folder (nothing outside is written)', async () => {
      const outsideFile = await noisePNG(16, 16, 1);
      const shippedOriginal = await noisePNG(16, 16, 2);
      write(path.join(box.outside, 'x.png'), outsideFile);
      fs.symlinkSync(box.outside, path.join(box.project, 'linked'));
      shipState('linked/x.png', outsideFile, shippedOriginal);
      write(original('linked/x.png'), shippedOriginal);
      const outsideBefore = hashTree(box.outside);
      const projectBefore = hashTree(box.project);
      for (const args of [['restore', box.project], ['run', box.project]]) {
        const r = cli(args);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^remaster: \.remaster\/state\.json: .*linked\/x\.png.*symlink[^\n]*\n$/);
      }
      expect(hashTree(box.outside)).toEqual(outsideBefore);
      expect(hashTree(box.project)).toEqual(projectBefore);
    });

    it('run and restore refuse originals reached through a symlinked folder under .remaster/originals (no read, no delete outside)', async () => {
      const secret = await noisePNG(16, 16, 3);
      const current = await noisePNG(32, 32, 4);
      write(path.join(box.outside, 'y.png'), secret);
      write(path.join(box.project, 'sub', 'y.png'), current);
      shipState('sub/y.png', current, secret);
      fs.mkdirSync(path.join(box.project, '.remaster', 'originals'), { recursive: true });
      fs.symlinkSync(box.outside, original('sub'));
      write(path.join(box.project, 'remaster.config.json'), JSON.stringify({ rules: [] })); // "nothing applies → put the original back"
      const outsideBefore = hashTree(box.outside);
      const projectBefore = hashTree(box.project);
      for (const args of [['run', box.project], ['restore', box.project]]) {
        const r = cli(args);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^remaster: \.remaster\/state\.json: .*sub\/y\.png.*symlink[^\n]*\n$/);
      }
      expect(hashTree(box.outside)).toEqual(outsideBefore);
      expect(hashTree(box.project)).toEqual(projectBefore);
    });
  });

  describe('item 3: corrupt state.json', () => {
    it('is recovered from state.json.bak, the last good state', async () => {
      const bytes = await noisePNG(16, 16, 5);
      write(path.join(box.project, 't.png'), bytes);
      expect(runJSON(box.project).code).toBe(0);
      fs.writeFileSync(stateFile(), '{"version": 1, "files": {'); // torn by a disk, a sync tool, an editor
      const again = runJSON(box.project);
      expect(again.code).toBe(0);
      expect(again.stderr).toMatch(/state\.json\.bak/);
      expect(again.report.skipped.map((s) => s.reason)).toEqual(['unchanged']);
      fs.writeFileSync(stateFile(), 'null');
      const r = cli(['restore', box.project]);
      expect(r.code).toBe(0);
      expect(fs.readFileSync(path.join(box.project, 't.png'))).toEqual(bytes);
    });

    it('without a backup: the message gives a safe step, and no later run or restore loses a kept original state does not account for', async () => {
      const bytes = await noisePNG(16, 16, 6);
      write(path.join(box.project, 't.png'), bytes);
      expect(runJSON(box.project).code).toBe(0);
      const remastered = fs.readFileSync(path.join(box.project, 't.png'));
      fs.rmSync(`${stateFile()}.bak`, { force: true });
      fs.writeFileSync(stateFile(), '{"version": 1, "files": {');
      const r = cli(['run', box.project]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^remaster: \.remaster\/state\.json: corrupt[^\n]*\.remaster\/originals[^\n]*\n$/);
      expect(r.stderr).not.toMatch(/or delete it/);
      // What the old message advised: delete state.json. The kept original must survive run and restore.
      fs.rmSync(stateFile());
      const run = runJSON(box.project);
      expect(fs.readFileSync(original('t.png'))).toEqual(bytes);
      expect(run.report.failed.map((f) => f.path)).toEqual(['t.png']);
      expect(run.report.failed[0].error).toMatch(/\.remaster\/originals\/t\.png/);
      expect(fs.readFileSync(path.join(box.project, 't.png'))).toEqual(remastered);
      cli(['restore', box.project]);
      expect(fs.readFileSync(original('t.png'))).toEqual(bytes);
    });

    it('state.json = null is reported with the file name', async () => {
      write(path.join(box.project, 't.png'), await noisePNG(16, 16, 7));
      write(stateFile(), 'null');
      for (const args of [['run', box.project], ['restore', box.project]]) {
        const r = cli(args);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^remaster: \.remaster\/state\.json: [^\n]*\n$/);
      }
    });
  });

  it('item 4: a legal file name with a backslash loads back from state', async () => {
    const bytes = await noisePNG(16, 16, 8);
    write(path.join(box.project, 'back\\slash.png'), bytes);
    expect(runJSON(box.project).report.processed.map((p) => p.path)).toEqual(['back\\slash.png']);
    const again = runJSON(box.project);
    expect(again.code).toBe(0);
    expect(again.report.skipped.map((s) => s.reason)).toEqual(['unchanged']);
    expect(cli(['restore', box.project]).code).toBe(0);
    expect(fs.readFileSync(path.join(box.project, 'back\\slash.png'))).toEqual(bytes);
  });

  it('item 5: restore after the user edited a remastered file keeps the edit and the original, and says where', async () => {
    const bytes = await noisePNG(16, 16, 9);
    write(path.join(box.project, 'tex', 't.png'), bytes);
    expect(runJSON(box.project).code).toBe(0);
    const edit = await noisePNG(32, 32, 10);
    fs.writeFileSync(path.join(box.project, 'tex', 't.png'), edit);
    const r = cli(['restore', box.project, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { kept: { path: string; reason: string }[] };
    expect(fs.readFileSync(path.join(box.project, 'tex', 't.png'))).toEqual(edit);
    expect(report.kept).toHaveLength(1);
    const where = /original (?:is )?(?:kept )?(?:at|in) (\S+)/.exec(report.kept[0].reason)?.[1];
    expect(where).toBeDefined();
    expect(fs.readFileSync(path.join(box.project, where!))).toEqual(bytes);
  });

  describe('item 13: restore', () => {
    it('on a missing directory or a file exits 2, like run', () => {
      write(path.join(box.project, 'file.txt'), 'x');
      for (const target of [path.join(box.project, 'missing'), path.join(box.project, 'file.txt')]) {
        expect(cli(['run', target]).code).toBe(2);
        const r = cli(['restore', target]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/not a directory/);
      }
    });

    it('with one original missing goes on with the other assets and reports the failure', async () => {
      const a = await noisePNG(16, 16, 11);
      const b = await noisePNG(16, 16, 12);
      write(path.join(box.project, 'a.png'), a);
      write(path.join(box.project, 'b.png'), b);
      expect(runJSON(box.project).report.processed).toHaveLength(2);
      fs.rmSync(original('a.png'));
      const r = cli(['restore', box.project, '--json']);
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout) as { restored: string[]; failed: { path: string; error: string }[] };
      expect(report.restored).toEqual(['b.png']);
      expect(report.failed.map((f) => f.path)).toEqual(['a.png']);
      expect(report.failed[0].error).toMatch(/missing/);
      expect(fs.readFileSync(path.join(box.project, 'b.png'))).toEqual(b);
    });
  });
});
