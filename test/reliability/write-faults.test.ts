/**
 * Writes that fail for real: a full disk (a tiny tmpfs; skipped with the reason where mounting is not
 * permitted), a file that cannot be replaced (chattr +i: tests run as root, and root ignores chmod, but
 * not the immutable flag; skipped where the filesystem has no such flag), and a folder in the way of
 * an original's copy. Each time: the asset keeps its old bytes, the error names it, its state is not
 * recorded as done, no temp file is left, the other assets are done, and a later run finishes it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { hashTree, makeSandbox, noisePNG, removeDir, runJSON, sha, write } from './helpers';

jest.setTimeout(60_000);

function stateOf(dir: string): { assets: Record<string, { fingerprint: string }> } {
  return JSON.parse(fs.readFileSync(path.join(dir, '.remaster', 'state.json'), 'utf8'));
}

function tempFiles(dir: string): string[] {
  return Object.keys(hashTree(dir)).filter((rel) => /[.-][0-9a-f]{12}\.tmp$/.test(rel));
}

describe('write faults', () => {
  let box: ReturnType<typeof makeSandbox>;
  beforeEach(() => {
    box = makeSandbox();
  });
  afterEach(() => removeDir(box.base));

  /** The three-asset project: a.png and z.png small, big.png whose output is the one that fails. */
  async function populate(dir: string): Promise<string> {
    write(path.join(dir, 'a.png'), await noisePNG(8, 8, 1));
    write(path.join(dir, 'z.png'), await noisePNG(8, 8, 2));
    const big = await noisePNG(400, 400, 3);
    write(path.join(dir, 'big.png'), big);
    return sha(big);
  }

  function expectOnlyBigFailed(dir: string, bigHash: string, error: RegExp): void {
    const r = runJSON(dir);
    expect(r.code).toBe(1);
    expect(r.report.failed).toEqual([{ path: 'big.png', error: expect.stringMatching(error) }]);
    expect(r.report.processed.map((a) => a.path)).toEqual(['a.png', 'z.png']);
    expect(sha(fs.readFileSync(path.join(dir, 'big.png')))).toBe(bigHash);
    expect(stateOf(dir).assets['big.png']?.fingerprint ?? '').toBe('');
    expect(stateOf(dir).assets['a.png'].fingerprint).not.toBe('');
    expect(tempFiles(dir)).toEqual([]);
  }

  it('disk full (ENOSPC on a 1 MiB tmpfs): the texture keeps its old version', async () => {
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', box.project], { encoding: 'utf8' });
    if (mount.status !== 0) {
      console.warn(`skipped: cannot mount a tmpfs here (${(mount.stderr || mount.error?.message || '').trim()})`);
      return;
    }
    try {
      const bigHash = await populate(box.project);
      expectOnlyBigFailed(box.project, bigHash, /ENOSPC|no space/i);
      execFileSync('mount', ['-o', 'remount,size=8m', box.project]);
      const again = runJSON(box.project);
      expect(again.code).toBe(0);
      expect(again.report.processed.map((a) => a.path)).toEqual(['big.png']);
    } finally {
      spawnSync('umount', [box.project]);
    }
  });

  it('permission denied (immutable file, which stops root too): the texture keeps its old version', async () => {
    const bigHash = await populate(box.project);
    const big = path.join(box.project, 'big.png');
    const chattr = spawnSync('chattr', ['+i', big], { encoding: 'utf8' });
    if (chattr.status !== 0) {
      console.warn(`skipped: chattr +i not available here (${(chattr.stderr || chattr.error?.message || '').trim()})`);
      return;
    }
    try {
      expectOnlyBigFailed(box.project, bigHash, /EPERM|not permitted/i);
    } finally {
      spawnSync('chattr', ['-i', big]);
    }
    const again = runJSON(box.project);
    expect(again.code).toBe(0);
    expect(again.report.processed.map((a) => a.path)).toEqual(['big.png']);
  });

  it('a file where the originals folder should be: the asset fails before anything is overwritten', async () => {
    const bigHash = await populate(box.project);
    write(path.join(box.project, '.remaster', 'originals', 'big.png', 'x'), 'a folder in the way of the copy');
    expectOnlyBigFailed(box.project, bigHash, /EISDIR|directory/i);
  });
});
