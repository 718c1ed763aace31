/**
 * watchProject() on real files in a temp dir with a real chokidar watcher: what an artist relies on when
 * exporting or saving into a watched project. Stability thresholds are short so the suite stays quick.
 */
import { Document } from '@gltf-transform/core';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { watchProject, type ProjectWatcher, type WatchEvent, type WatchOptions } from '../plugin/watch';
import { addTriangle, readModel, writeModel } from './helpers/model';
import { nextEvent } from './helpers/watch-events';
import { encodePNG, FIXTURES, gradientRGBA, imageSize, makeProject, removeProject, writeJSON } from './helpers/project';

const X2 = { rules: [{ match: '**/*', upscale: { scale: 2, model: 'lanczos' } }] };
const X4 = { rules: [{ match: '**/*', upscale: { scale: 4, model: 'lanczos' } }] };
const FAST: WatchOptions = { stabilityMs: 200 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A watcher whose every event is recorded, with a way to wait for the next one matching. */
function start(dir: string, options: WatchOptions = FAST): { watcher: ProjectWatcher; events: WatchEvent[]; next: (pred: (e: WatchEvent) => boolean, ms?: number) => Promise<WatchEvent> } {
  const watcher = watchProject(dir, options);
  const events: WatchEvent[] = [];
  watcher.on('event', (e) => events.push(e));
  const next = (pred: (e: WatchEvent) => boolean, ms = 20000) => nextEvent(watcher, events, pred, ms);
  return { watcher, events, next };
}

const assetEvents = (events: WatchEvent[]) => events.filter((e): e is Extract<WatchEvent, { type: 'asset' }> => e.type === 'asset');
const isIdle = (e: WatchEvent) => e.type === 'idle';
const done = (p: string) => (e: WatchEvent) => e.type === 'asset' && e.path === p;

describe('watchProject', () => {
  let dir: string;
  let watcher: ProjectWatcher | undefined;
  afterEach(async () => {
    await watcher?.close();
    watcher = undefined;
    removeProject(dir);
  });

  it('remasters a dropped texture once, and 10 s of idleness after writing outputs brings no second pass', async () => {
    dir = makeProject({ BoxTextured: 'gltf/BoxTextured' });
    writeJSON(path.join(dir, 'remaster.config.json'), X2);
    const w = start(dir);
    watcher = w.watcher;
    await watcher.ready;
    expect(assetEvents(w.events).map((e) => [e.path, e.outcome])).toEqual([['BoxTextured/BoxTextured.gltf', 'processed']]); // startup pass

    const processed = w.next(done('tex/drop.png'));
    fs.mkdirSync(path.join(dir, 'tex'));
    fs.copyFileSync(path.join(FIXTURES, 'textures/alpha-blend-128.png'), path.join(dir, 'tex/drop.png'));
    expect(await processed).toMatchObject({ outcome: 'processed' });
    expect(await imageSize(path.join(dir, 'tex/drop.png'))).toEqual([256, 256]);

    await sleep(10000);
    expect(assetEvents(w.events).map((e) => [e.path, e.outcome])).toEqual([
      ['BoxTextured/BoxTextured.gltf', 'processed'],
      ['tex/drop.png', 'processed'],
    ]);
    expect(w.events.filter((e) => e.type === 'job')).toHaveLength(2);
    // The watcher did see its own writes, and declined them by hash.
    const ignored = w.events.filter((e) => e.type === 'ignored').map((e) => (e as { path: string }).path);
    expect(ignored).toEqual(expect.arrayContaining(['BoxTextured/CesiumLogoFlat.png', 'tex/drop.png']));
    expect(await imageSize(path.join(dir, 'tex/drop.png'))).toEqual([256, 256]);
  }, 40000);

  it('reads a GLB written in slow chunks only once it is complete', async () => {
    dir = makeProject();
    writeJSON(path.join(dir, 'remaster.config.json'), X2);
    const doc = await readModel(path.join(FIXTURES, 'gltf/BoxTextured/BoxTextured.gltf'));
    const staging = path.join(makeProject(), 'hero.glb');
    await writeModel(doc, staging);
    const bytes = fs.readFileSync(staging);
    removeProject(path.dirname(staging));

    const w = start(dir, { stabilityMs: 400 });
    watcher = w.watcher;
    await watcher.ready;
    const processed = w.next(done('models/hero.glb'));
    const jobAt = w.next((e) => e.type === 'job').then(() => Date.now());
    fs.mkdirSync(path.join(dir, 'models'));
    const fd = fs.openSync(path.join(dir, 'models/hero.glb'), 'w');
    const chunk = Math.ceil(bytes.length / 5);
    for (let offset = 0; offset < bytes.length; offset += chunk) {
      fs.writeSync(fd, bytes, offset, Math.min(chunk, bytes.length - offset));
      await sleep(150); // an exporter pausing between chunks, shorter than the stability threshold
    }
    fs.closeSync(fd);
    const written = Date.now();

    expect(await processed).toMatchObject({ outcome: 'processed' });
    const job = w.events.find((e) => e.type === 'job');
    expect(job).toEqual({ type: 'job', reason: 'changes', assets: ['models/hero.glb'] });
    expect(assetEvents(w.events)).toHaveLength(1); // never read half-written (that would be a failure)
    // The last chunk went in 150 ms before `written`; reading starts 400 ms of quiet after it.
    expect((await jobAt) - written).toBeGreaterThanOrEqual(200);
    const out = await readModel(path.join(dir, 'models/hero.glb'));
    expect(await imageSize(out.getRoot().listTextures()[0].getImage()!)).toEqual([512, 512]);
  }, 30000);

  it('picks up a save by temp file + rename, from the new content', async () => {
    dir = makeProject({ 'tex/wall.png': 'textures/alpha-blend-128.png' });
    writeJSON(path.join(dir, 'remaster.config.json'), X2);
    const w = start(dir);
    watcher = w.watcher;
    await watcher.ready;
    expect(await imageSize(path.join(dir, 'tex/wall.png'))).toEqual([256, 256]);

    const processed = w.next(done('tex/wall.png'));
    const mine = await encodePNG(gradientRGBA(100, 50));
    fs.writeFileSync(path.join(dir, 'tex/wall.png.tmp'), mine);
    fs.renameSync(path.join(dir, 'tex/wall.png.tmp'), path.join(dir, 'tex/wall.png'));
    expect(await processed).toMatchObject({ outcome: 'processed', detail: expect.stringContaining('100x50→200x100') });
    expect(await imageSize(path.join(dir, 'tex/wall.png'))).toEqual([200, 100]);
    expect(fs.readFileSync(path.join(dir, '.remaster/originals/tex/wall.png')).equals(Buffer.from(mine))).toBe(true);
    await w.next(isIdle);
    expect(assetEvents(w.events).map((e) => e.path)).toEqual(['tex/wall.png', 'tex/wall.png']); // startup + the save, nothing else
  });

  it('an invalid sidecar already there at startup holds back only its asset (found from folder listings)', async () => {
    dir = makeProject({ BoxTextured: 'gltf/BoxTextured', 'other/logo.png': 'gltf/BoxTextured/CesiumLogoFlat.png' });
    writeJSON(path.join(dir, 'remaster.config.json'), X2);
    writeJSON(path.join(dir, 'BoxTextured/BoxTextured.gltf.remaster.json'), { rules: [{ match: '*.png', upscale: { scale: 4 } }] });
    const w = start(dir);
    watcher = w.watcher;
    await watcher.ready;
    expect(w.events.filter((e) => e.type === 'problem')).toEqual([{
      type: 'problem', path: 'BoxTextured/BoxTextured.gltf.remaster.json',
      message: 'BoxTextured/BoxTextured.gltf.remaster.json: rules.0.match: not allowed in a sidecar (its rules apply to its asset) (BoxTextured/BoxTextured.gltf skipped until it is fixed)',
    }]);
    expect(assetEvents(w.events).map((e) => [e.path, e.outcome])).toEqual([['other/logo.png', 'processed']]);
    expect(await imageSize(path.join(dir, 'BoxTextured/CesiumLogoFlat.png'))).toEqual([256, 256]); // untouched
  });

  it('a sidecar edit re-processes only its asset, from the original; an invalid one is reported and retried when fixed', async () => {
    dir = makeProject({ BoxTextured: 'gltf/BoxTextured', 'other/logo.png': 'gltf/BoxTextured/CesiumLogoFlat.png' });
    writeJSON(path.join(dir, 'remaster.config.json'), X2);
    const w = start(dir);
    watcher = w.watcher;
    await watcher.ready;
    const png = path.join(dir, 'BoxTextured/CesiumLogoFlat.png');
    expect(await imageSize(png)).toEqual([512, 512]);
    const logo = sha(path.join(dir, 'other/logo.png'));
    const sidecar = path.join(dir, 'BoxTextured/BoxTextured.gltf.remaster.json');

    let problem = w.next((e) => e.type === 'problem');
    writeJSON(sidecar, { rules: [{ match: '*.png', upscale: { scale: 4 } }] });
    expect(await problem).toEqual({
      type: 'problem', path: 'BoxTextured/BoxTextured.gltf.remaster.json',
      message: 'BoxTextured/BoxTextured.gltf.remaster.json: rules.0.match: not allowed in a sidecar (its rules apply to its asset) (BoxTextured/BoxTextured.gltf skipped until it is fixed)',
    });

    const from = w.events.length;
    const processed = w.next(done('BoxTextured/BoxTextured.gltf'));
    writeJSON(sidecar, { rules: [{ upscale: { scale: 4 } }] });
    expect(await processed).toMatchObject({ outcome: 'processed', detail: expect.stringContaining('256x256→1024x1024') });
    await w.next(isIdle);
    const after = w.events.slice(from);
    expect(after.filter((e) => e.type === 'job')).toEqual([{ type: 'job', reason: 'changes', assets: ['BoxTextured/BoxTextured.gltf'] }]);
    expect(assetEvents(after).map((e) => e.path)).toEqual(['BoxTextured/BoxTextured.gltf']);
    expect(await imageSize(png)).toEqual([1024, 1024]); // 256 original x4, not the 512 output x4
    expect(sha(path.join(dir, 'other/logo.png'))).toBe(logo);

    problem = w.next((e) => e.type === 'problem');
    fs.writeFileSync(path.join(dir, 'remaster.config.json'), '{ "rules": [ {"upscale": ');
    expect(await problem).toMatchObject({ message: expect.stringMatching(/^remaster\.config\.json: invalid JSON: .*keeping the last good rules/) });
    const dropped = w.next(done('tex/new.png'));
    fs.mkdirSync(path.join(dir, 'tex'));
    fs.copyFileSync(path.join(FIXTURES, 'textures/alpha-blend-128.png'), path.join(dir, 'tex/new.png'));
    expect(await dropped).toMatchObject({ outcome: 'processed', detail: expect.stringContaining('128x128→256x256') }); // last good: x2
  }, 40000);

  it('sees every file written into a folder the moment it is created (chokidar lists a new folder before watching it)', async () => {
    dir = makeProject();
    writeJSON(path.join(dir, 'remaster.config.json'), X2);
    const w = start(dir);
    watcher = w.watcher;
    await watcher.ready;
    // Whether a file lands in chokidar's blind spot depends on timing: try several delays.
    const delays = [0, 1, 2, 4, 8, 12, 16, 24, 32];
    const names = delays.map((d) => `export-${d}/deep/tex.png`);
    const all = Promise.all(names.map((n) => w.next(done(n))));
    const png = fs.readFileSync(path.join(FIXTURES, 'textures/alpha-blend-128.png'));
    await Promise.all(delays.map(async (d, i) => {
      await fs.promises.mkdir(path.dirname(path.join(dir, names[i])), { recursive: true });
      await sleep(d);
      await fs.promises.writeFile(path.join(dir, names[i] + '.tmp'), png);
      await fs.promises.rename(path.join(dir, names[i] + '.tmp'), path.join(dir, names[i]));
    }));
    expect((await all).map((e) => (e as { outcome: string }).outcome)).toEqual(names.map(() => 'processed'));
    for (const n of names) expect(await imageSize(path.join(dir, n))).toEqual([256, 256]);
  });

  it('a .gltf arriving with its .bin and images is one job over the model (its image is not a texture of its own)', async () => {
    dir = makeProject();
    writeJSON(path.join(dir, 'remaster.config.json'), X2);
    const w = start(dir);
    watcher = w.watcher;
    await watcher.ready;
    const processed = w.next(done('BoxTextured/BoxTextured.gltf'));
    fs.cpSync(path.join(FIXTURES, 'gltf/BoxTextured'), path.join(dir, 'BoxTextured'), { recursive: true });
    expect(await processed).toMatchObject({ outcome: 'processed' });
    await w.next(isIdle);
    expect(w.events.filter((e) => e.type === 'job')).toEqual([{ type: 'job', reason: 'changes', assets: ['BoxTextured/BoxTextured.gltf'] }]);
    expect(assetEvents(w.events).map((e) => e.path)).toEqual(['BoxTextured/BoxTextured.gltf']);
    expect(await imageSize(path.join(dir, 'BoxTextured/CesiumLogoFlat.png'))).toEqual([512, 512]);
  });

  it('a config change re-processes the assets it affects, from their originals, and leaves the others as they are', async () => {
    dir = makeProject({ 'a/one.png': 'textures/alpha-blend-128.png', 'b/two.png': 'textures/helmet-basecolor-128.png' });
    writeJSON(path.join(dir, 'remaster.config.json'), X2);
    const w = start(dir);
    watcher = w.watcher;
    await watcher.ready;
    const two = sha(path.join(dir, 'b/two.png'));
    const from = w.events.length;
    const one = w.next(done('a/one.png'));
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [...X2.rules, { match: 'a/**', upscale: { scale: 4 } }] });
    expect(await one).toMatchObject({ outcome: 'processed', detail: expect.stringContaining('128x128→512x512') });
    await w.next(isIdle);
    expect(w.events.slice(from).filter((e) => e.type === 'job')).toEqual([{ type: 'job', reason: 'config', assets: ['a/one.png', 'b/two.png'] }]);
    expect(assetEvents(w.events.slice(from)).map((e) => [e.path, e.outcome, e.detail])).toEqual([
      ['a/one.png', 'processed', expect.any(String)],
      ['b/two.png', 'skipped', 'unchanged'],
    ]);
    expect(sha(path.join(dir, 'b/two.png'))).toBe(two);
  });

  it('waits while another remaster process holds the project lock, then processes what changed', async () => {
    dir = makeProject();
    writeJSON(path.join(dir, 'remaster.config.json'), X2);
    const w = start(dir);
    watcher = w.watcher;
    await watcher.ready;
    const lock = path.join(dir, '.remaster/lock');
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    fs.writeFileSync(lock, `${process.ppid}\n`); // a live process that is not this one: a `remaster run`

    const refused = w.next((e) => e.type === 'problem');
    fs.copyFileSync(path.join(FIXTURES, 'textures/alpha-blend-128.png'), path.join(dir, 'late.png'));
    expect(await refused).toMatchObject({ message: expect.stringMatching(/another remaster process \(pid \d+\) is working on this project; trying again/) });
    expect(await imageSize(path.join(dir, 'late.png'))).toEqual([128, 128]);

    const processed = w.next(done('late.png'));
    fs.rmSync(lock); // that run ends
    expect(await processed).toMatchObject({ outcome: 'processed' });
    expect(await imageSize(path.join(dir, 'late.png'))).toEqual([256, 256]);
  });

  it('a corrupt file is reported, does not stop the watcher, and is processed once fixed', async () => {
    dir = makeProject();
    writeJSON(path.join(dir, 'remaster.config.json'), X2);
    const w = start(dir);
    watcher = w.watcher;
    await watcher.ready;

    const failed = w.next(done('bad.png'));
    fs.writeFileSync(path.join(dir, 'bad.png'), Buffer.from('\x89PNG\r\n\x1a\n this is not the rest of a PNG'));
    expect(await failed).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('cannot read image') });

    const good = w.next(done('good.png'));
    fs.copyFileSync(path.join(FIXTURES, 'textures/alpha-blend-128.png'), path.join(dir, 'good.png'));
    expect(await good).toMatchObject({ outcome: 'processed' });

    const fixed = w.next(done('bad.png'));
    fs.copyFileSync(path.join(FIXTURES, 'textures/helmet-basecolor-128.png'), path.join(dir, 'bad.png'));
    expect(await fixed).toMatchObject({ outcome: 'processed' });
    expect(await imageSize(path.join(dir, 'bad.png'))).toEqual([256, 256]);
  });

  it('a file saved again while it is processed ends up remastered from its final content', async () => {
    dir = makeProject();
    writeJSON(path.join(dir, 'remaster.config.json'), X4);
    const w = start(dir);
    watcher = w.watcher;
    await watcher.ready;
    const file = path.join(dir, 'big.png');
    const running = w.next((e) => e.type === 'asset-start' && e.path === 'big.png');
    fs.writeFileSync(file, await encodePNG(gradientRGBA(512, 512)));
    const final = await encodePNG(gradientRGBA(96, 64));
    await running;
    await sleep(50); // after the pipeline has read the file, during the 512→2048 upscale
    fs.writeFileSync(file, final);

    // Stale work never lands over the newer save; the asset comes back with the final content.
    await w.next((e) => e.type === 'asset' && e.path === 'big.png' && e.detail.includes('96x64→384x256'), 30000);
    expect(await imageSize(file)).toEqual([384, 256]);
    expect(fs.readFileSync(path.join(dir, '.remaster/originals/big.png')).equals(Buffer.from(final))).toBe(true);
    expect(assetEvents(w.events).filter((e) => e.outcome === 'failed')).toEqual([]);
  }, 40000);
});
