/**
 * The state journal (plugin/state/journal.ts): saves append records that a later load replays; a torn
 * last record (kill mid-append) is dropped and cut off before the next append; a kill mid-compaction
 * leaves a snapshot that ignores the stale journal; a version-1 state.json is read and migrated.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JOURNAL_FILE } from '../plugin/state/journal';
import { compactIfJournaled, compactState, loadState, saveState, type StateData } from '../plugin/state/store';

let root: string;
const dir = () => path.join(root, '.remaster');
const read = (name: string) => fs.readFileSync(path.join(dir(), name), 'utf8');
const hash = (n: number) => n.toString(16).padStart(64, '0');

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'remaster-journal-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** Records asset `a<n>.png` as remastered (original n, output n+1000), saved through the journal. */
async function commit(state: StateData, n: number): Promise<void> {
  const rel = `a${n}.png`;
  state.files[rel] = { original: hash(n), output: hash(n + 1000) };
  state.assets[rel] = { type: 'texture', files: [rel], fingerprint: hash(n + 2000), rules: [], engines: ['lanczos'] };
  await saveState(root, state, { files: [rel], assets: [rel] });
}

function plain(state: StateData): unknown {
  return JSON.parse(JSON.stringify(state));
}

test('saves between compactions are journal records that a load replays', async () => {
  const state = await loadState(root);
  for (let n = 0; n < 5; n++) await commit(state, n);
  // The first save of a never-remastered project wrote an (empty) snapshot; the rest went to the journal.
  expect(JSON.parse(read('state.json')).version).toBe(2);
  expect(read(JOURNAL_FILE).trim().split('\n')).toHaveLength(1 + 4);
  expect(plain(await loadState(root))).toEqual(plain(state));
  // A deletion is a record too.
  delete state.files['a1.png'];
  delete state.assets['a1.png'];
  await saveState(root, state, { files: ['a1.png'], assets: ['a1.png'] });
  const again = await loadState(root);
  expect(again.assets['a1.png']).toBeUndefined();
  expect(plain(again)).toEqual(plain(state));
});

test('a torn last record is ignored with a note, and cut off before the next append', async () => {
  const state = await loadState(root);
  for (let n = 0; n < 3; n++) await commit(state, n);
  const good = plain(await loadState(root));
  // A kill mid-append: half a record, no newline.
  const line = read(JOURNAL_FILE).trim().split('\n').pop()!;
  fs.appendFileSync(path.join(dir(), JOURNAL_FILE), line.slice(0, line.length / 2));
  const notes: string[] = [];
  const loaded = await loadState(root, (l) => notes.push(l));
  expect(plain(loaded)).toEqual(good);
  expect(notes.join('\n')).toMatch(/state\.journal: its last record is incomplete/);
  // The next run appends after the good records, not after the torn bytes.
  await commit(loaded, 7);
  const after = await loadState(root);
  expect(after.assets['a7.png']).toBeDefined();
  expect(Object.keys(after.assets).sort()).toEqual(['a0.png', 'a1.png', 'a2.png', 'a7.png']);
});

test('a record whose checksum fails ends the replay there (a flipped byte is not trusted)', async () => {
  const state = await loadState(root);
  for (let n = 0; n < 3; n++) await commit(state, n);
  const text = read(JOURNAL_FILE);
  fs.writeFileSync(path.join(dir(), JOURNAL_FILE), text.replace('a2.png', 'a9.png'));
  const loaded = await loadState(root);
  expect(Object.keys(loaded.assets).sort()).toEqual(['a0.png', 'a1.png']);
});

test('a kill during compaction: the new snapshot holds everything and the old journal is ignored', async () => {
  const state = await loadState(root);
  for (let n = 0; n < 4; n++) await commit(state, n);
  const oldJournal = read(JOURNAL_FILE);
  await compactState(root, state);
  // Killed after state.json and .bak were written, before the old journal was removed.
  fs.writeFileSync(path.join(dir(), JOURNAL_FILE), oldJournal);
  const loaded = await loadState(root);
  expect(plain(loaded)).toEqual(plain(state));
  // And appends then start a journal of the new snapshot (the stale one replaced, not extended).
  await commit(loaded, 9);
  expect(read(JOURNAL_FILE)).not.toContain(oldJournal.split('\n')[0]);
  expect(Object.keys((await loadState(root)).assets)).toContain('a9.png');
});

test('a kill during compaction before .bak: a damaged state.json falls back to .bak plus its journal', async () => {
  const state = await loadState(root);
  await commit(state, 0); // snapshot S1 (empty) + journal of S1
  await compactState(root, state); // S2 = {a0}
  for (let n = 1; n < 4; n++) await commit(state, n); // journal of S2: a1..a3
  const bak = read('state.json.bak');
  fs.writeFileSync(path.join(dir(), 'state.json'), '{"version": 2, "files": {'); // torn / damaged
  const notes: string[] = [];
  const loaded = await loadState(root, (l) => notes.push(l));
  expect(notes.join('\n')).toMatch(/using \.remaster\/state\.json\.bak/);
  expect(JSON.parse(bak).journal).toBe(JSON.parse(read(JOURNAL_FILE).split('\n')[0]).snapshot);
  expect(plain(loaded)).toEqual(plain(state));
});

test('a version-1 state.json (before the journal) is read, journaled on top of and rewritten as version 2', async () => {
  fs.mkdirSync(dir());
  const v1 = { version: 1, files: { 'old.png': { original: hash(1), output: hash(2) } }, assets: { 'old.png': { type: 'texture', files: ['old.png'], fingerprint: hash(3), rules: [], engines: [] } } };
  fs.writeFileSync(path.join(dir(), 'state.json'), JSON.stringify(v1));
  const state = await loadState(root);
  expect(state.assets['old.png']).toBeDefined();
  await commit(state, 5);
  const reloaded = await loadState(root);
  expect(Object.keys(reloaded.assets).sort()).toEqual(['a5.png', 'old.png']);
  await compactIfJournaled(root, reloaded);
  const snap = JSON.parse(read('state.json'));
  expect(snap.version).toBe(2);
  expect(Object.keys(snap.assets).sort()).toEqual(['a5.png', 'old.png']);
  expect(fs.existsSync(path.join(dir(), JOURNAL_FILE))).toBe(false);
});

test('paths a journal names are checked like the snapshot\'s (a hostile journal is refused)', async () => {
  const state = await loadState(root);
  await commit(state, 0);
  await commit(state, 1);
  state.files['../outside.png'] = { original: hash(1), output: hash(2) };
  await saveState(root, state, { files: ['../outside.png'] });
  await expect(loadState(root)).rejects.toThrow(/outside\.png/);
});

test('the end of a run compacts a journal past an eighth of the snapshot, and leaves a few records on a big state', async () => {
  const state = await loadState(root);
  for (let n = 0; n < 200; n++) {
    state.files[`b${n}.png`] = { original: hash(n), output: hash(n + 1) };
    state.assets[`b${n}.png`] = { type: 'texture', files: [`b${n}.png`], fingerprint: hash(n + 2), rules: [], engines: [] };
  }
  await compactState(root, state); // a snapshot of 200 assets
  await commit(state, 1000); // one asset changed (a watch job)
  await compactIfJournaled(root, state);
  expect(read(JOURNAL_FILE).trim().split('\n')).toHaveLength(2); // kept: header + one record
  for (let n = 1001; n < 1040; n++) await commit(state, n);
  await compactIfJournaled(root, state);
  expect(fs.existsSync(path.join(dir(), JOURNAL_FILE))).toBe(false);
  expect(plain(await loadState(root))).toEqual(plain(state));
});
