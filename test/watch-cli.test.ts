/**
 * `remaster watch` as a process (the built bin/remaster.js): SIGTERM in the middle of a job stops it
 * cleanly — the assets in progress (two, the default --jobs) finish, the next is not started, every
 * file is either its old or its new content with state.json agreeing, and the exit code is 0.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { encodePNG, gradientRGBA, imageSize, makeProject, removeProject, writeJSON } from './helpers/project';

const BIN = path.join(__dirname, '..', 'bin', 'remaster.js');
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('remaster watch (CLI)', () => {
  let dir: string;
  afterEach(() => removeProject(dir));

  it('SIGTERM mid-job finishes the assets in progress, starts no other, leaves every file old or new, exits 0', async () => {
    dir = makeProject();
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: '**/*', upscale: { scale: 4, model: 'lanczos' } }] });
    const originals: Record<string, string> = {};
    for (const name of ['a.png', 'b.png', 'c.png']) {
      const bytes = await encodePNG(gradientRGBA(768, 768)); // x4 lanczos + PNG encode: a second or more
      fs.writeFileSync(path.join(dir, name), bytes);
      originals[name] = sha(bytes);
    }

    const child = spawn(process.execPath, [BIN, 'watch', dir, '--json', '--stability', '100'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        if (stdout.includes('"type":"asset-start","path":"b.png"')) resolve();
      });
      child.on('exit', () => reject(new Error(`exited early: ${stdout}${stderr}`)));
    });
    await new Promise((resolve) => setTimeout(resolve, 200)); // well inside a.png's and b.png's upscale
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const events = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(events.map((e) => e.type)).toEqual(['watching', 'job', 'asset-start', 'asset-start', 'asset', 'asset', 'stopped']);
    expect(events.slice(2, 4).map((e) => e.path)).toEqual(['a.png', 'b.png']);
    expect(events[4]).toMatchObject({ path: 'a.png', outcome: 'processed' });
    expect(events[5]).toMatchObject({ path: 'b.png', outcome: 'processed' });
    expect(stderr).toContain('stopping: finishing the current asset');

    const state = JSON.parse(fs.readFileSync(path.join(dir, '.remaster/state.json'), 'utf8'));
    expect(Object.keys(state.assets)).toEqual(['a.png', 'b.png']);
    for (const name of ['a.png', 'b.png', 'c.png']) {
      const now = sha(fs.readFileSync(path.join(dir, name)));
      if (state.files[name]) {
        expect(now).toBe(state.files[name].output); // new, and recorded as such
        expect(sha(fs.readFileSync(path.join(dir, '.remaster/originals', name)))).toBe(originals[name]);
      } else {
        expect(now).toBe(originals[name]); // old, and nothing recorded
      }
    }
    expect(await imageSize(path.join(dir, 'a.png'))).toEqual([3072, 3072]);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60000);

  it('prints plain lines when not on a terminal; Ctrl-C (SIGINT) when idle exits 0', async () => {
    dir = makeProject({ 'wall.png': 'textures/alpha-blend-128.png' });
    const child = spawn(process.execPath, [BIN, 'watch', dir, '--stability', '100'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('idle:')) resolve();
    }));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([
      `watching ${dir} (Ctrl-C to stop)`,
      'processed wall.png: [color] 128x128→256x256 (remaster-x2-fast@cpu)',
      'idle: 1 processed, 0 skipped, 0 failed so far',
      'stopped',
    ]);
  }, 30000);

  it('refuses an invalid config at startup with one line naming the file, exit 2', async () => {
    dir = makeProject();
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ upscale: { scale: 3 } }] });
    const child = spawn(process.execPath, [BIN, 'watch', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^remaster: remaster\.config\.json: rules\.0\.upscale\.scale: /)]);
  }, 30000);
});
