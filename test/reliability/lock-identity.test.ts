/**
 * The project lock across PID namespaces and machines (issue 8, item 2): two containers sharing a
 * volume both run node as PID 1, so a pid alone cannot say who holds the lock. "Same pid, not me" is
 * someone else; a holder whose liveness cannot be checked from here is held.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lockProject } from '../../plugin/state/lock';
import { makeSandbox, removeDir, write } from './helpers';

describe('project lock identity', () => {
  let box: ReturnType<typeof makeSandbox>;
  let lock: string;
  beforeEach(() => {
    box = makeSandbox();
    lock = path.join(box.project, '.remaster', 'lock');
  });
  afterEach(() => removeDir(box.base));

  const linux = process.platform === 'linux';
  const bootId = linux ? fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : null;
  const pidNs = linux ? fs.readlinkSync('/proc/self/ns/pid') : null;

  it('a lock holding this very pid, written by another process (another container), is held', async () => {
    write(lock, `${process.pid}\n`); // what another container's PID-1 run wrote, old format
    await expect(lockProject(box.project)).rejects.toThrow(/another remaster process \(pid \d+/);
    expect(fs.readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('a lock from another PID namespace or machine is held, whatever its pid, and the message says how to clear it', async () => {
    const others = [
      { pid: process.pid, host: os.hostname(), bootId, pidNs: 'pid:[1]', startTime: '1', token: 'a' }, // another container, same kernel
      { pid: 999999999, host: 'build-agent-7', bootId: 'another-machine', pidNs: 'pid:[2]', startTime: '1', token: 'b' },
    ];
    for (const owner of others) {
      write(lock, JSON.stringify(owner) + '\n');
      await expect(lockProject(box.project)).rejects.toThrow(/another remaster process \(pid \d+.*delete .*lock/);
      expect(JSON.parse(fs.readFileSync(lock, 'utf8'))).toEqual(owner);
    }
  });

  it('a lock of a dead process in this namespace is still taken over at once (pid gone, or reused by another process)', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const owners = [
      { pid: Number(dead.stdout), host: os.hostname(), bootId, pidNs, startTime: '1', token: 'c' },
      { pid: process.pid, host: os.hostname(), bootId, pidNs, startTime: 'not-mine', token: 'd' }, // my pid, another start: its holder is gone
      { pid: process.pid, host: os.hostname(), bootId: 'before-a-reboot', pidNs, startTime: '1', token: 'e' }, // this machine, before a reboot
    ];
    for (const owner of owners) {
      write(lock, JSON.stringify(owner) + '\n');
      const unlock = await lockProject(box.project);
      expect(JSON.parse(fs.readFileSync(lock, 'utf8')).pid).toBe(process.pid);
      await unlock();
      expect(fs.existsSync(lock)).toBe(false);
    }
  });

  describe('a takeover guard left by a run killed while taking over a stale lock', () => {
    const deadOwner = () => {
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      return { pid: Number(dead.stdout), host: os.hostname(), bootId, pidNs, startTime: '1', token: 'k' };
    };

    it('names a maker that is gone: the next run clears it and takes the lock at once', async () => {
      write(lock, JSON.stringify(deadOwner()) + '\n');
      fs.mkdirSync(`${lock}.takeover`);
      write(path.join(`${lock}.takeover`, 'owner'), JSON.stringify(deadOwner()));
      const t0 = Date.now();
      const unlock = await lockProject(box.project);
      expect(Date.now() - t0).toBeLessThan(5_000); // not the 10 s wait for an unnamed guard
      expect(JSON.parse(fs.readFileSync(lock, 'utf8')).pid).toBe(process.pid);
      expect(fs.existsSync(`${lock}.takeover`)).toBe(false);
      await unlock();
    });

    it('names no one (killed before writing it): waited out, not a "cannot take the project lock" failure', async () => {
      write(lock, JSON.stringify(deadOwner()) + '\n');
      fs.mkdirSync(`${lock}.takeover`);
      const eightSecondsAgo = new Date(Date.now() - 8_000);
      fs.utimesSync(`${lock}.takeover`, eightSecondsAgo, eightSecondsAgo);
      const unlock = await lockProject(box.project);
      expect(JSON.parse(fs.readFileSync(lock, 'utf8')).pid).toBe(process.pid);
      await unlock();
    });
  });
});
