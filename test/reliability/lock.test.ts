/**
 * One writer per project, between real processes: a second `remaster run` (or a run beside
 * `remaster watch`) is refused with a clear message and writes nothing; a lock left by a SIGKILLed
 * run is taken over at once; two runs racing for a stale lock never both write.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cli, exited, makeSandbox, noisePNG, removeDir, start, write } from './helpers';

jest.setTimeout(120_000);

const LOCKED = /^remaster: .*another remaster process \(pid \d+\) is working on this project\n$/m;

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('project lock between processes', () => {
  let box: ReturnType<typeof makeSandbox>;
  let lock: string;
  beforeEach(async () => {
    box = makeSandbox();
    lock = path.join(box.project, '.remaster', 'lock');
    for (let i = 0; i < 12; i++) write(path.join(box.project, `t${i}.png`), await noisePNG(200, 200, i + 1));
  });
  afterEach(() => removeDir(box.base));

  it('a second run while the first holds the lock is refused (exit 2) and writes nothing', async () => {
    const first = start(['run', box.project, '--json']);
    let out = '';
    first.stdout!.on('data', (d) => (out += d));
    await waitFor(() => fs.existsSync(lock));
    const second = cli(['run', box.project, '--json']);
    expect(second.code).toBe(2);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(LOCKED);
    expect(second.stderr).toContain(`pid ${first.pid}`);
    expect(cli(['restore', box.project]).stderr).toMatch(LOCKED);
    expect((await exited(first)).code).toBe(0);
    expect(JSON.parse(out).processed).toHaveLength(12);
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('a lock left by a SIGKILLed run is stale at once: the next run takes it over and finishes', async () => {
    const first = start(['run', box.project]);
    await waitFor(() => fs.existsSync(lock));
    first.kill('SIGKILL');
    await exited(first);
    expect(fs.existsSync(lock)).toBe(true);
    const next = cli(['run', box.project, '--json']);
    expect(next.code).toBe(0);
    expect(JSON.parse(next.stdout).failed).toEqual([]);
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('two runs racing for a stale lock: never both write', async () => {
    const template = path.join(box.base, 'template');
    fs.cpSync(box.project, template, { recursive: true });
    for (let round = 0; round < 4; round++) {
      fs.rmSync(box.project, { recursive: true, force: true });
      fs.cpSync(template, box.project, { recursive: true }); // the same work each round
      write(lock, '999999999\n'); // a dead pid
      const a = start(['run', box.project, '--json']);
      const b = start(['run', box.project, '--json']);
      const outs = ['', ''];
      a.stdout!.on('data', (d) => (outs[0] += d));
      b.stdout!.on('data', (d) => (outs[1] += d));
      const codes = [(await exited(a)).code, (await exited(b)).code];
      const wrote = outs.map((o) => (o ? JSON.parse(o).processed.length : 0));
      // One did the work, the other was refused — or came after and found nothing left to do.
      expect(wrote.filter((n) => n > 0)).toHaveLength(1);
      expect(codes.sort()).toEqual(codes.includes(2) ? [0, 2] : [0, 0]);
    }
  });

  it('watch mode holds the lock while it works: a run beside it is refused', async () => {
    const watch = start(['watch', box.project, '--json']);
    let events = '';
    watch.stdout!.on('data', (d) => (events += d));
    await waitFor(() => fs.existsSync(lock));
    const run = cli(['run', box.project]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(LOCKED);
    expect(run.stderr).toContain(`pid ${watch.pid}`);
    await waitFor(() => /"type":"idle"/.test(events));
    watch.kill('SIGTERM');
    expect((await exited(watch)).code).toBe(0);
    expect(fs.existsSync(lock)).toBe(false);
    expect(cli(['run', box.project]).code).toBe(0);
  });
});
