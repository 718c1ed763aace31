/**
 * Originals kept as a second name of the file being replaced (plugin/state/originals.ts keepByLink):
 * the kept original must stay the user's bytes whatever is done to the project afterwards. A file with
 * another name outside the project (a hard link from a shared asset store) is copied instead: editing it
 * in place there must not change what Remaster keeps.
 */
import fs from 'node:fs';
import path from 'node:path';
import { remasterProject } from '../../plugin/pipeline/project';
import { makeSandbox, noisePNG, removeDir, sha, write } from './helpers';

jest.setTimeout(60_000);

describe('originals kept by link', () => {
  let box: ReturnType<typeof makeSandbox>;
  beforeEach(() => {
    box = makeSandbox();
  });
  afterEach(() => removeDir(box.base));

  const kept = (rel: string) => path.join(box.project, '.remaster', 'originals', rel);

  it('a kept original shares no inode with the project, and keeps the bytes and mode after the project file is edited in place', async () => {
    const bytes = await noisePNG(16, 16, 1);
    write(path.join(box.project, 'tex', 'a.png'), bytes);
    fs.chmodSync(path.join(box.project, 'tex', 'a.png'), 0o600);
    write(path.join(box.project, 'tex', 'b.png'), await noisePNG(16, 16, 2));
    const inode = fs.statSync(path.join(box.project, 'tex', 'a.png')).ino;
    const report = await remasterProject(box.project);
    expect(report.processed.map((p) => p.path).sort()).toEqual(['tex/a.png', 'tex/b.png']);
    const st = fs.statSync(kept('tex/a.png'));
    expect(st.ino).toBe(inode); // the file itself, not a copy
    expect(st.nlink).toBe(1); // only originals/ names it
    expect(st.mode & 0o777).toBe(0o600);
    expect(sha(fs.readFileSync(kept('tex/a.png')))).toBe(sha(bytes));
    // An in-place write to the project file (an editor that truncates and rewrites).
    fs.writeFileSync(path.join(box.project, 'tex', 'a.png'), Buffer.from('edited in place'));
    expect(sha(fs.readFileSync(kept('tex/a.png')))).toBe(sha(bytes));
    expect(fs.readdirSync(path.join(box.project, '.remaster', 'originals', 'tex')).sort()).toEqual(['a.png', 'b.png']); // no temp names left
  });

  it('a project file also linked from outside the project is kept as a copy: an edit through the outside name leaves the kept original alone', async () => {
    const bytes = await noisePNG(16, 16, 3);
    const outside = path.join(box.outside, 'store.png');
    write(outside, bytes);
    fs.mkdirSync(path.join(box.project, 'tex'), { recursive: true });
    fs.linkSync(outside, path.join(box.project, 'tex', 'shared.png'));
    const report = await remasterProject(box.project);
    expect(report.processed.map((p) => p.path)).toEqual(['tex/shared.png']);
    expect(sha(fs.readFileSync(kept('tex/shared.png')))).toBe(sha(bytes));
    fs.writeFileSync(outside, Buffer.from('edited through the other name')); // in place: same inode
    expect(sha(fs.readFileSync(kept('tex/shared.png')))).toBe(sha(bytes));
  });
});
