/**
 * One bad entry never stops the run (issue 8, item 12): an unreadable folder, or a file name too long
 * to take a sidecar's suffix, fails on its own; every other asset is done and the report (also
 * --json) is printed, exit 1.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, makeSandbox, noisePNG, removeDir, write } from './helpers';

const CONFIG = JSON.stringify({ rules: [{ upscale: { scale: 2, model: 'lanczos' } }] });
const asRoot = process.getuid?.() === 0;

/** root reads any folder: run the CLI as `nobody` then, so permissions mean what they mean for users. */
function runAsUser(args: string[], owned: string): { code: number | null; stdout: string; stderr: string } {
  const user = asRoot ? { uid: 65534, gid: 65534 } : {};
  if (asRoot) spawnSync('chown', ['-R', '65534:65534', owned]);
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, ...user });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('one bad entry fails alone', () => {
  let box: ReturnType<typeof makeSandbox>;
  beforeEach(async () => {
    box = makeSandbox();
    write(path.join(box.project, 'remaster.config.json'), CONFIG);
    write(path.join(box.project, 'good.png'), await noisePNG(8, 8));
  });
  afterEach(() => {
    fs.chmodSync(path.join(box.project), 0o755);
    if (fs.existsSync(path.join(box.project, 'locked'))) fs.chmodSync(path.join(box.project, 'locked'), 0o755);
    removeDir(box.base);
  });

  it('an unreadable folder: reported as failed, the rest processed, JSON printed, exit 1', async () => {
    write(path.join(box.project, 'locked', 'hidden.png'), await noisePNG(8, 8));
    write(path.join(box.project, 'z', 'after.png'), await noisePNG(8, 8, 3));
    fs.chmodSync(path.join(box.project, 'locked'), 0o000);
    fs.chmodSync(box.base, 0o755);
    const r = runAsUser(['run', box.project, '--json'], box.base);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.failed).toEqual([{ path: 'locked', error: expect.stringMatching(/^cannot read folder \(EACCES\)/) }]);
    expect(report.processed.map((a: { path: string }) => a.path).sort()).toEqual(['good.png', 'z/after.png']);
  });

  it('the text report also lists it', async () => {
    write(path.join(box.project, 'locked', 'hidden.png'), await noisePNG(8, 8));
    fs.chmodSync(path.join(box.project, 'locked'), 0o000);
    fs.chmodSync(box.base, 0o755);
    const r = runAsUser(['run', box.project], box.base);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^failed: locked: cannot read folder \(EACCES\)$/m);
    expect(r.stdout).toMatch(/processed 1 asset/);
  });

  it('a file name over 240 bytes (its sidecar name is too long): the other assets are done, JSON printed', async () => {
    const long = `${'x'.repeat(246)}.png`; // 250 bytes: legal, but + ".remaster.json" is not
    write(path.join(box.project, long), await noisePNG(8, 8, 4));
    const r = spawnSync(process.execPath, [BIN, 'run', box.project, '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).not.toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.processed.map((a: { path: string }) => a.path)).toContain('good.png');
    // Its temp file's name is shortened to fit, so the asset itself is remastered like any other.
    expect(report.processed.map((a: { path: string }) => a.path)).toContain(long);
    expect(report.failed).toEqual([]);
    expect(r.status).toBe(0);
    expect(fs.readdirSync(box.project).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
