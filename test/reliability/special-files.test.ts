/**
 * Special files (issue 8, item 8): only regular files are read. A FIFO (no writer: a read blocks for
 * ever) or a character device (/dev/zero: a read never ends) in the project, as a sidecar, a config,
 * an image or a .bin, is refused with a line naming it; `run` finishes and releases the lock; `watch`
 * keeps working and still stops on SIGTERM.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, gltfJSON, makeSandbox, noisePNG, removeDir, write } from './helpers';

const CONFIG = JSON.stringify({ rules: [{ upscale: { scale: 2, model: 'lanczos' } }] });

function mkfifo(file: string): void {
  const r = spawnSync('mkfifo', [file]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
}

/** `remaster run` with a hard deadline: a hang is a failure, not a stuck test run. */
function runWithin(args: string[], ms = 30_000): { code: number | null; out: string; timedOut: boolean } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: ms, killSignal: 'SIGKILL' });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, timedOut: r.error !== undefined || r.signal === 'SIGKILL' };
}

const isRoot = process.getuid?.() === 0;

describe('special files are never read', () => {
  let box: ReturnType<typeof makeSandbox>;
  beforeEach(async () => {
    box = makeSandbox();
    write(path.join(box.project, 'remaster.config.json'), CONFIG);
    write(path.join(box.project, 'good.png'), await noisePNG(8, 8));
  });
  afterEach(() => removeDir(box.base));

  const lockGone = () => expect(fs.existsSync(path.join(box.project, '.remaster', 'lock'))).toBe(false);

  it('a FIFO as the project config: exit 2 naming it, no hang', () => {
    fs.rmSync(path.join(box.project, 'remaster.config.json'));
    mkfifo(path.join(box.project, 'remaster.config.json'));
    const r = runWithin(['run', box.project]);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/remaster\.config\.json: not a regular file \(a FIFO\)/);
    lockGone();
  });

  it('a FIFO as a sidecar: exit 2 naming it, no hang, nothing written', () => {
    mkfifo(path.join(box.project, 'good.png.remaster.json'));
    const before = fs.readFileSync(path.join(box.project, 'good.png'));
    const r = runWithin(['run', box.project]);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/good\.png\.remaster\.json: not a regular file \(a FIFO\)/);
    expect(fs.readFileSync(path.join(box.project, 'good.png')).equals(before)).toBe(true);
    lockGone();
  });

  it('a FIFO as .remaster/state.json: exit 2 naming it, no hang, nothing written', () => {
    fs.mkdirSync(path.join(box.project, '.remaster'));
    mkfifo(path.join(box.project, '.remaster', 'state.json'));
    const before = fs.readFileSync(path.join(box.project, 'good.png'));
    const r = runWithin(['run', box.project]);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/state\.json: not a regular file \(a FIFO\)/);
    expect(fs.readFileSync(path.join(box.project, 'good.png')).equals(before)).toBe(true);
  });

  it.each([
    ['image', 'tex.png', undefined],
    ['.bin', 'model.bin', 'model.bin'],
  ])('a FIFO as a model\'s %s: that model fails with a line, the rest is done, the lock is released', async (_what, fifo, bufferUri) => {
    const { json, bin } = await gltfJSON({ uri: bufferUri ? 'img.png' : 'tex.png' }, bufferUri);
    write(path.join(box.project, 'model.gltf'), JSON.stringify(json));
    if (bufferUri) write(path.join(box.project, 'img.png'), await noisePNG(8, 8));
    else write(path.join(box.project, 'model.bin'), bin);
    mkfifo(path.join(box.project, fifo));
    const r = runWithin(['run', box.project, '--json']);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out.split('\n')[0]);
    expect(report.failed).toEqual([{ path: 'model.gltf', error: expect.stringMatching(new RegExp(`${fifo.replace('.', '\\.')}: not a regular file \\(a FIFO\\)`)) }]);
    expect(report.processed.map((a: { path: string }) => a.path)).toEqual(['good.png']);
    lockGone();
  });

  (isRoot ? it : it.skip)('a character device named img.png (as a model image): refused at once, memory stays small', async () => {
    const { json } = await gltfJSON({ uri: 'img.png' });
    write(path.join(box.project, 'model.gltf'), JSON.stringify(json));
    const made = spawnSync('mknod', [path.join(box.project, 'img.png'), 'c', '1', '5']); // /dev/zero
    expect(made.status).toBe(0);
    const r = runWithin(['run', box.project, '--json']);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out.split('\n')[0]).failed).toEqual([{ path: 'model.gltf', error: expect.stringMatching(/img\.png: not a regular file \(a character device\)/) }]);
    lockGone();
  });

  it('watch: a FIFO appearing in the project does not freeze it; later files are processed; SIGTERM still stops it', async () => {
    const child = spawn(process.execPath, [BIN, 'watch', box.project, '--json', '--stability', '100'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const waitFor = async (text: string, ms = 20_000) => {
      for (const t0 = Date.now(); !stdout.includes(text); await new Promise((resolve) => setTimeout(resolve, 50))) {
        if (Date.now() - t0 > ms) throw new Error(`no "${text}" within ${ms} ms: ${stdout}${stderr}`);
      }
    };
    try {
      await waitFor('"type":"idle"');
      // Five FIFOs: more than libuv's four I/O threads, which blocked reads would all hold.
      for (const name of ['a.png', 'b.png', 'c.gltf', 'd.glb', 'e.png']) mkfifo(path.join(box.project, name));
      mkfifo(path.join(box.project, 'good.png.remaster.json'));
      await new Promise((resolve) => setTimeout(resolve, 600));
      write(path.join(box.project, 'later.png'), await noisePNG(8, 8, 2));
      await waitFor('"path":"later.png","outcome":"processed"');
    } finally {
      child.kill('SIGTERM');
    }
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 15_000))]);
    if (code === 'still running') child.kill('SIGKILL');
    expect(code).toBe(0);
  }, 60_000);
});
