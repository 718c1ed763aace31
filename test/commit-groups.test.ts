/**
 * Group commit: commitAssets (one intent record for a group, a failing asset leaves the others going
 * on, assets sharing a file never in one group), CommitGroups (what waits is committed together, in
 * order) and the scheduler's freeSlot (a waiting asset lets another start, yet counts as unfinished).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { commitAssets, type AssetOutputs, type WrittenFiles } from '../plugin/pipeline/commit';
import { CommitGroups } from '../plugin/pipeline/commit-groups';
import { inspectFile } from '../plugin/pipeline/file-source';
import { runScheduled, Serial } from '../plugin/pipeline/schedule';
import { compactState, emptyState, flushState, loadState, type StateData } from '../plugin/state/store';
import { hashBytes } from '../plugin/state/hash';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'remaster-groups-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** A project with these files, its state journaled (a snapshot written, so saves append records). */
async function project(files: Record<string, string>): Promise<StateData> {
  for (const [rel, text] of Object.entries(files)) fs.writeFileSync(path.join(root, rel), text);
  fs.mkdirSync(path.join(root, '.remaster'));
  await compactState(root, emptyState());
  return loadState(root);
}

const journalRecords = () => {
  const file = path.join(root, '.remaster', 'state.journal');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').length - 1 : 0;
};

/** A texture asset rewriting `rel` (and writing `extra` beside it) with new content. */
async function texture(state: StateData, rel: string, extra: Record<string, string> = {}): Promise<AssetOutputs> {
  const outputs = new Map<string, Uint8Array | null>([[rel, Buffer.from(`new ${rel}`)], ...Object.entries(extra).map(([r, t]) => [r, Buffer.from(t)] as [string, Uint8Array])]);
  return { key: rel, type: 'texture', sources: [await inspectFile(root, state, rel)], outputs, fingerprint: `fp ${rel}`, rules: [], engines: ['test'] };
}

const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');

describe('commitAssets', () => {
  it('commits a group with one intent record; a read-only asset fails alone, untouched', async () => {
    const state = await project({ 'a.png': 'old a', 'b.png': 'old b', 'c.png': 'old c' });
    fs.chmodSync(path.join(root, 'b.png'), 0o444);
    const written: WrittenFiles = new Map();
    const results = await commitAssets(root, state, written, [await texture(state, 'a.png'), await texture(state, 'b.png'), await texture(state, 'c.png')]);

    expect(results[0]).toEqual({ files: ['a.png'] });
    expect(String((results[1] as { error: Error }).error.message)).toMatch(/b\.png is read-only/);
    expect(results[2]).toEqual({ files: ['c.png'] });
    expect([read('a.png'), read('b.png'), read('c.png')]).toEqual(['new a.png', 'old b', 'new c.png']);
    expect(fs.readdirSync(path.join(root, '.remaster', 'originals')).sort()).toEqual(['a.png', 'c.png']);
    expect(journalRecords()).toBe(1); // one intent record for both; their done records deferred

    // On disk now: both intents (the done records wait for the next save or the closing flush).
    const killedHere = await loadState(root);
    expect(killedHere.files['a.png'].pending).toBe(hashBytes(Buffer.from('new a.png')));
    expect(killedHere.assets['c.png'].fingerprint).toBe('');
    await flushState(root, state);
    const flushed = await loadState(root);
    expect(flushed.assets['a.png'].fingerprint).toBe('fp a.png');
    expect(flushed.assets['c.png'].fingerprint).toBe('fp c.png');
    expect(flushed.assets['b.png']).toBeUndefined();
    expect(flushed.files['a.png']).toMatchObject({ original: hashBytes(Buffer.from('old a')), output: hashBytes(Buffer.from('new a.png')) });
  });

  it('an asset sharing a file with an earlier one goes in the next group, and sees what that one wrote', async () => {
    const state = await project({ 'a.png': 'old a', 'b.png': 'old b' });
    const written: WrittenFiles = new Map();
    // Both make shared.png (same content, so no clash): as one at a time, b finds it as a's work.
    const a = await texture(state, 'a.png', { 'shared.png': 'made' });
    const b = await texture(state, 'b.png', { 'shared.png': 'made' });
    const results = await commitAssets(root, state, written, [a, b]);
    expect(results).toEqual([{ files: ['a.png', 'shared.png'] }, { files: ['b.png'] }]);
    expect(journalRecords()).toBe(2); // two groups
    expect(read('shared.png')).toBe('made');
  });
});

describe('CommitGroups', () => {
  it('assets that wait while the serial section is busy are committed as one group; each gets its own result', async () => {
    const state = await project({ 'a.png': 'old a', 'b.png': 'old b', 'c.png': 'old c', 'd.png': 'old d' });
    const serial = new Serial();
    let release!: () => void;
    const busy = serial.run(() => new Promise<void>((resolve) => (release = resolve))); // e.g. a group committing
    const groups = new CommitGroups(root, state, new Map(), serial, { assets: 32, bytes: 1 << 20 });
    const assets = await Promise.all(['a.png', 'b.png', 'c.png', 'd.png'].map((rel) => texture(state, rel)));
    fs.chmodSync(path.join(root, 'c.png'), 0o444);
    const submitted = assets.map((asset) => groups.submit(asset));
    expect(submitted.map((s) => s.mayFreeSlot)).toEqual([true, true, true, true]);
    await sleep(20);
    expect(read('a.png')).toBe('old a'); // nothing commits while the section is busy
    release();
    await busy;
    const settled = await Promise.allSettled(submitted.map((s) => s.done));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(journalRecords()).toBe(1); // one group, one intent record
    expect([read('a.png'), read('b.png'), read('c.png'), read('d.png')]).toEqual(['new a.png', 'new b.png', 'old c', 'new d.png']);
  });

  it('a group takes at most `assets` of those waiting; the rest form the next', async () => {
    const state = await project({ 'a.png': 'old a', 'b.png': 'old b', 'c.png': 'old c' });
    const serial = new Serial();
    let release!: () => void;
    void serial.run(() => new Promise<void>((resolve) => (release = resolve)));
    const groups = new CommitGroups(root, state, new Map(), serial, { assets: 2, bytes: 1 << 20 });
    const assets = await Promise.all(['a.png', 'b.png', 'c.png'].map((rel) => texture(state, rel)));
    const submitted = assets.map((asset) => groups.submit(asset));
    expect(submitted.map((s) => s.mayFreeSlot)).toEqual([true, true, false]); // two wait without a slot at most
    release();
    await Promise.all(submitted.map((s) => s.done));
    expect(journalRecords()).toBe(2);
  });

  it('an asset over the byte cap keeps its slot', async () => {
    const state = await project({ 'a.png': 'old a', 'b.png': 'old b' });
    const groups = new CommitGroups(root, state, new Map(), new Serial(), { assets: 32, bytes: 20 });
    const small = groups.submit(await texture(state, 'a.png'));
    const big = groups.submit(await texture(state, 'b.png', { 'big.png': 'x'.repeat(100) }));
    expect([small.mayFreeSlot, big.mayFreeSlot]).toEqual([true, false]);
    await Promise.all([small.done, big.done]);
  });
});

describe('runScheduled freeSlot', () => {
  it('a freed slot lets the next item start; items sharing a file still wait; the schedule ends when all are done', async () => {
    const log: string[] = [];
    const items = [{ name: 'a', uses: 'x' }, { name: 'b', uses: 'y' }, { name: 'c', uses: 'x' }];
    let ended = false;
    const finished = runScheduled(items, {
      limit: 1,
      uses: (item) => [item.uses],
      run: async (item, _i, freeSlot) => {
        log.push(`${item.name}+`);
        if (item.name === 'a') {
          freeSlot();
          await sleep(40);
        }
        log.push(`${item.name}-`);
        return item.name;
      },
      done: (item) => log.push(`done ${item.name}`),
    }).then(() => (ended = true));
    await sleep(10);
    expect(log).toEqual(['a+', 'b+', 'b-']); // b ran in a's freed slot; c waits for a (both use x)
    expect(ended).toBe(false);
    await finished;
    expect(log).toEqual(['a+', 'b+', 'b-', 'a-', 'done a', 'done b', 'c+', 'c-', 'done c']);
  });
});
