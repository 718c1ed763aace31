/**
 * Rewriting in place keeps what the user set on a file (issue 8, items 9 and 10): its permission bits
 * (a private 0600 texture stays private, in the project and as a kept original), a read-only file is not
 * replaced behind the user's back, and the leftover-temp sweep deletes only files Remaster made.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cli, makeSandbox, noisePNG, removeDir, runJSON, write } from './helpers';

jest.setTimeout(120_000);

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe('file modes and user files', () => {
  let box: ReturnType<typeof makeSandbox>;
  beforeEach(() => {
    box = makeSandbox();
  });
  afterEach(() => removeDir(box.base));

  it('item 10: rewritten files and kept originals keep their mode; restore puts it back', async () => {
    const modes: Record<string, number> = { 'private.png': 0o600, 'group.png': 0o750, 'plain.png': 0o644 };
    for (const [name, mode] of Object.entries(modes)) {
      write(path.join(box.project, name), await noisePNG(16, 16, mode));
      fs.chmodSync(path.join(box.project, name), mode);
    }
    const r = runJSON(box.project);
    expect(r.report.processed).toHaveLength(3);
    for (const [name, mode] of Object.entries(modes)) {
      expect([name, modeOf(path.join(box.project, name))]).toEqual([name, mode]);
      expect([name, modeOf(path.join(box.project, '.remaster', 'originals', name))]).toEqual([name, mode]);
    }
    expect(cli(['restore', box.project]).code).toBe(0);
    for (const [name, mode] of Object.entries(modes)) expect([name, modeOf(path.join(box.project, name))]).toEqual([name, mode]);
  });

  it('item 10: a file made by a format change gets the mode of the file it replaces', async () => {
    write(path.join(box.project, 'wall.png'), await noisePNG(16, 16, 4));
    fs.chmodSync(path.join(box.project, 'wall.png'), 0o600);
    write(path.join(box.project, 'wall.png.remaster.json'), JSON.stringify({ rules: [{ format: 'webp' }] }));
    expect(runJSON(box.project).report.processed.map((p) => p.path)).toEqual(['wall.png']);
    expect(modeOf(path.join(box.project, 'wall.webp'))).toBe(0o600);
    expect(modeOf(path.join(box.project, '.remaster', 'originals', 'wall.png'))).toBe(0o600);
  });

  it('item 10: a read-only file is not replaced: its asset fails with a line saying so, the others go on', async () => {
    const bytes = await noisePNG(16, 16, 1);
    write(path.join(box.project, 'locked.png'), bytes);
    fs.chmodSync(path.join(box.project, 'locked.png'), 0o444);
    write(path.join(box.project, 'open.png'), await noisePNG(16, 16, 2));
    const r = runJSON(box.project);
    expect(r.code).toBe(1);
    expect(r.report.processed.map((p) => p.path)).toEqual(['open.png']);
    expect(r.report.failed.map((f) => f.path)).toEqual(['locked.png']);
    expect(r.report.failed[0].error).toMatch(/read-only/);
    expect(fs.readFileSync(path.join(box.project, 'locked.png'))).toEqual(bytes);
    expect(modeOf(path.join(box.project, 'locked.png'))).toBe(0o444);
  });

  it('item 9: the leftover-temp sweep leaves user files that merely look like temp files', async () => {
    const lookalikes = ['.notes.0123456789ab.tmp', 'sub/.scene.gltf.abcdefabcdef.tmp', '.t.png.remaster-12.tmp'];
    for (const rel of lookalikes) write(path.join(box.project, rel), `user data ${rel}`);
    write(path.join(box.project, 't.png'), await noisePNG(16, 16, 3));
    expect(runJSON(box.project).code).toBe(0);
    expect(cli(['restore', box.project]).code).toBe(0);
    for (const rel of lookalikes) expect(fs.readFileSync(path.join(box.project, rel), 'utf8')).toBe(`user data ${rel}`);
  });
});
