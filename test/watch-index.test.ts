/**
 * Watch planning by change (issue 14): the file → asset index maps a changed file to the assets that
 * own it, stays right as files arrive, move and go, and plans what planAssets() would; a watcher batch
 * touching one asset of many plans only that asset (no walk, one model's worth of parsing, no state
 * reload), while a config change re-plans every asset.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as walk from '../plugin/discovery/walk';
import * as gltfIO from '../plugin/gltf/io';
import * as store from '../plugin/state/store';
import { createIO } from '../plugin/gltf/io';
import { planAssets } from '../plugin/pipeline/plan';
import { remasterProject } from '../plugin/pipeline/project';
import { emptyState, loadState } from '../plugin/state/store';
import { AssetIndex } from '../plugin/watch/asset-index';
import { ConfigSource } from '../plugin/watch/config-source';
import { watchProject, type ProjectWatcher, type WatchEvent } from '../plugin/watch';
import { makeProject, removeProject, writeJSON } from './helpers/project';
import { gltfJSON } from './reliability/helpers';
import { seededPNG } from './soak/big-project';
import { nextEvent } from './helpers/watch-events';

const X2 = { rules: [{ match: '**/*', upscale: { scale: 2, model: 'lanczos' } }] };

function write(dir: string, rel: string, bytes: Uint8Array | string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), bytes);
}

/** A .gltf naming `image` (and `bin`, when given) by URI, relative to its folder. */
async function writeModel(dir: string, rel: string, image: string, bin?: string): Promise<void> {
  const { json, bin: bytes } = await gltfJSON({ uri: image }, bin);
  if (bin) write(dir, path.posix.join(path.posix.dirname(rel), bin), bytes);
  write(dir, rel, JSON.stringify(json));
}

const keys = async (index: AssetIndex, changed: string[], state = emptyState()) => (await index.plan(state, changed)).assets.map((a) => a.key).sort();

describe('AssetIndex', () => {
  let dir: string;
  afterEach(() => removeProject(dir));

  async function smallProject(): Promise<AssetIndex> {
    dir = makeProject();
    await writeModel(dir, 'models/crate.gltf', 'tex/crate_col.png', 'crate.bin');
    write(dir, 'models/tex/crate_col.png', seededPNG(4, 1));
    write(dir, 'walls/wall.png', seededPNG(4, 2));
    write(dir, 'walls/wall_n.png', seededPNG(4, 3));
    write(dir, 'walls/floor.png', seededPNG(4, 4));
    writeJSON(path.join(dir, 'walls/floor.png.remaster.json'), { rules: [{ upscale: { scale: 4, model: 'lanczos' } }] });
    const index = new AssetIndex(dir);
    await index.build();
    return index;
  }

  it('maps a changed texture, resource, sidecar and map sibling to the asset that owns it', async () => {
    const index = await smallProject();
    expect(await keys(index, ['models/tex/crate_col.png'])).toEqual(['models/crate.gltf']); // a model's image: the model, not a texture of its own
    expect(await keys(index, ['models/crate.bin'])).toEqual(['models/crate.gltf']);
    expect(await keys(index, ['models/crate.gltf'])).toEqual(['models/crate.gltf']);
    expect(await keys(index, ['walls/floor.png'])).toEqual(['walls/floor.png']);
    expect(await keys(index, ['walls/floor.png.remaster.json'])).toEqual(['walls/floor.png']);
    // wall_n.png is read by wall.png's asset operations (and is a texture of its own).
    expect(await keys(index, ['walls/wall_n.png'])).toEqual(['walls/wall.png', 'walls/wall_n.png']);
    expect(await keys(index, ['walls/wall.png'])).toEqual(['walls/wall.png']);
    expect(await keys(index, ['walls/unrelated.txt'])).toEqual([]);
  });

  it('follows new, changed, renamed and deleted files and folders', async () => {
    const index = await smallProject();
    // A new map sibling: its texture is re-planned with it.
    write(dir, 'walls/wall_rough.png', seededPNG(4, 5));
    await index.update(['walls/wall_rough.png']);
    expect(await keys(index, ['walls/wall_rough.png'])).toEqual(['walls/wall.png', 'walls/wall_rough.png']);

    // A model naming a file that is not there yet; the file arrives later: it is the model's resource.
    await writeModel(dir, 'props/lamp.gltf', 'lamp.png');
    await index.update(['props/lamp.gltf']);
    expect(await keys(index, ['props/lamp.gltf'])).toEqual(['props/lamp.gltf']);
    write(dir, 'props/lamp.png', seededPNG(4, 6));
    await index.update(['props/lamp.png']);
    expect(await keys(index, ['props/lamp.png'])).toEqual(['props/lamp.gltf']);

    // The model edited to name another image: the old one becomes a texture of its own.
    write(dir, 'props/glow.png', seededPNG(4, 7));
    await writeModel(dir, 'props/lamp.gltf', 'glow.png');
    await index.update(['props/lamp.gltf', 'props/glow.png']);
    expect(await keys(index, ['props/glow.png'])).toEqual(['props/lamp.gltf']);
    expect(await keys(index, ['props/lamp.png'])).toEqual(['props/lamp.png']);

    // Renamed model (unlink + add): its image now belongs to the new name.
    fs.renameSync(path.join(dir, 'models/crate.gltf'), path.join(dir, 'models/box.gltf'));
    await index.update(['models/crate.gltf', 'models/box.gltf']);
    expect(await keys(index, ['models/tex/crate_col.png'])).toEqual(['models/box.gltf']);
    expect(index.has('models/crate.gltf')).toBe(false);

    // Deleted sibling and texture: nothing of theirs is planned; the sibling no longer points at wall.png.
    fs.rmSync(path.join(dir, 'walls/wall.png'));
    await index.update(['walls/wall.png']);
    expect(await keys(index, ['walls/wall.png'])).toEqual([]);
    expect(await keys(index, ['walls/wall_n.png'])).toEqual(['walls/wall_n.png']);

    // A broken model is still an asset (processing it reports what is wrong); it names nothing.
    write(dir, 'models/broken.gltf', '{"asset": ');
    await index.update(['models/broken.gltf']);
    expect(await keys(index, ['models/broken.gltf'])).toEqual(['models/broken.gltf']);

    // A FIFO named like a model is never opened (it would block the watcher): not an asset file.
    execFileSync('mkfifo', [path.join(dir, 'models/pipe.gltf')]);
    await index.update(['models/pipe.gltf']);
    expect(index.has('models/pipe.gltf')).toBe(false);

    // A whole folder removed: everything in it leaves the index.
    fs.rmSync(path.join(dir, 'walls'), { recursive: true });
    await index.update(['walls']);
    expect(index.has('walls/floor.png')).toBe(false);
    expect(index.has('walls/wall_n.png')).toBe(false);
  });

  it('plans each asset as planAssets() does over the whole project, before and after a run (sidecars, map siblings, files converted to .webp)', async () => {
    dir = makeProject({ '': 'sample-project' });
    /** Both ways of building the index (parsing every model; or, given the state, only those Remaster did not write) plan as planAssets. */
    const compare = async (state: store.StateData) => {
      const files = await walk.discoverFiles(dir);
      const all = await planAssets(dir, state, createIO(), files);
      const norm = (assets: typeof all) => assets.map((a) => ({ ...a, files: [...a.files].sort() })).sort((a, b) => (a.key < b.key ? -1 : 1));
      const parsed: number[] = [];
      for (const given of [undefined, state]) {
        const index = new AssetIndex(dir);
        await index.build(given);
        const fromIndex = (await index.plan(state, files.map((f) => f.rel))).assets;
        expect(norm(fromIndex)).toEqual(norm(all));
        parsed.push(index.modelsParsed);
      }
      return { assets: all.length, models: files.filter((f) => f.type !== 'texture').length, parsed };
    };
    const fresh = await compare(emptyState());
    expect(fresh.assets).toBeGreaterThan(5);
    expect(fresh.parsed).toEqual([fresh.models, fresh.models]); // nothing vouched for yet
    // A format rule: a texture becomes .webp (its asset keeps the .png key).
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: 'textures/**', upscale: { scale: 2, model: 'lanczos' }, format: 'webp' }, { match: 'models/**', upscale: { scale: 2, model: 'lanczos' } }] });
    const report = await remasterProject(dir);
    expect(report.processed.length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(dir, 'textures/uv_grid.webp'))).toBe(true);
    const after = await compare(await loadState(dir));
    const written = report.processed.filter((a) => a.type !== 'texture').length;
    expect(written).toBeGreaterThan(0);
    // The models Remaster wrote are not parsed again at startup (their buffers come from their records).
    expect(after.parsed).toEqual([after.models, after.models - written]);
  }, 120_000);
});

describe('ConfigSource.inputFiles', () => {
  it('lists the project files the rules name (a style reference), project-relative', () => {
    const config = new ConfigSource('/p', { rules: [{ match: 'walls/**', style: { reference: 'refs/../refs/painting.png' } }, { upscale: { scale: 2 } }] });
    expect([...config.inputFiles()]).toEqual(['refs/painting.png']);
  });
});

describe('watch plans by change', () => {
  let dir: string;
  let watcher: ProjectWatcher | undefined;
  afterEach(async () => {
    await watcher?.close();
    watcher = undefined;
    jest.restoreAllMocks();
    removeProject(dir);
  });

  const next = (pred: (e: WatchEvent) => boolean, events: WatchEvent[], ms = 30_000) => nextEvent(watcher!, events, pred, ms);

  it('a batch touching one asset of many plans only that asset; new and deleted files; a config change re-plans all', async () => {
    dir = makeProject();
    const MODELS = 30;
    for (let i = 0; i < MODELS; i++) {
      await writeModel(dir, `m${i}/m${i}.gltf`, `m${i}.png`);
      write(dir, `m${i}/m${i}.png`, seededPNG(4, i));
      write(dir, `t/t${i}.png`, seededPNG(4, 100 + i));
    }
    writeJSON(path.join(dir, 'remaster.config.json'), X2);
    watcher = watchProject(dir, { stabilityMs: 150 });
    const events: WatchEvent[] = [];
    watcher.on('event', (e) => events.push(e));
    await watcher.ready;
    const startup = events.find((e) => e.type === 'job') as Extract<WatchEvent, { type: 'job' }>;
    expect(startup.assets).toHaveLength(2 * MODELS);

    const parses = jest.spyOn(gltfIO, 'parseContainer');
    const walks = jest.spyOn(walk, 'discoverFiles');
    const loads = jest.spyOn(store, 'loadState');
    /**
     * One change, once the events of the last one's own outputs are handled: the jobs it brought (their
     * assets together) and the planner's work until the watcher is idle again.
     */
    const change = async (edit: () => void | Promise<void>) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      parses.mockClear();
      walks.mockClear();
      loads.mockClear();
      const from = events.length;
      const idle = next((e) => e.type === 'idle', events);
      await edit();
      await idle;
      const jobs = events.slice(from).filter((e): e is Extract<WatchEvent, { type: 'job' }> => e.type === 'job');
      const assets = events.slice(from).filter((e): e is Extract<WatchEvent, { type: 'asset' }> => e.type === 'asset');
      return { reasons: jobs.map((j) => j.reason), assets: jobs.flatMap((j) => j.assets).sort(), outcomes: assets, parses: parses.mock.calls.length, walks: walks.mock.calls.length, loads: loads.mock.calls.length };
    };

    // One model's texture changed: that model only; no walk, no state re-read, and the models parsed
    // are that model's own processing (before: every model of the project, twice).
    const edited = await change(() => write(dir, 'm7/m7.png', seededPNG(4, 1000)));
    expect(edited).toMatchObject({ reasons: ['changes'], assets: ['m7/m7.gltf'] });
    expect(edited.walks).toBe(0);
    expect(edited.loads).toBe(0);
    expect(edited.parses).toBeGreaterThan(0);
    expect(edited.parses).toBeLessThanOrEqual(4);
    expect(edited.outcomes).toMatchObject([{ path: 'm7/m7.gltf', outcome: 'processed' }]);

    // A standalone texture: only it.
    const texture = await change(() => write(dir, 't/t3.png', seededPNG(4, 1001)));
    expect(texture).toMatchObject({ assets: ['t/t3.png'], outcomes: [{ outcome: 'processed' }] });
    expect(texture.walks + texture.loads).toBe(0);
    expect(texture.parses).toBe(0);

    // A new texture and a new map sibling of an existing one.
    const added = await change(() => {
      write(dir, 't/new.png', seededPNG(4, 1002));
      write(dir, 't/t5_n.png', seededPNG(4, 1003));
    });
    expect(added.assets).toEqual(['t/new.png', 't/t5.png', 't/t5_n.png']);
    expect(added.walks + added.parses).toBe(0);

    // A deleted model texture: the model is re-planned and fails naming the file; the watcher goes on.
    const deleted = await change(() => fs.rmSync(path.join(dir, 'm2/m2.png')));
    expect(deleted.assets).toEqual(['m2/m2.gltf']);
    expect(deleted.outcomes).toMatchObject([{ path: 'm2/m2.gltf', outcome: 'failed' }]);
    expect(deleted.outcomes[0].detail).toContain('m2/m2.png');

    // A renamed texture: the new name is the asset (the old one is gone).
    const renamed = await change(() => fs.renameSync(path.join(dir, 't/t9.png'), path.join(dir, 't/t99.png')));
    expect(renamed.assets).toEqual(['t/t99.png']);

    // The config: every asset is planned again, the project walked.
    const config = await change(() => writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: '**/*', upscale: { scale: 4, model: 'lanczos' } }] }));
    expect(config.reasons).toEqual(['config']);
    expect(config.assets).toHaveLength(2 * MODELS + 2); // m2 still planned (it fails), t9 → t99, plus new.png and t5_n.png
    expect(config.walks).toBeGreaterThan(0);
  }, 180_000);

  it('a new version of a file the project rules name (a style reference) re-plans every asset', async () => {
    dir = makeProject();
    for (let i = 0; i < 3; i++) write(dir, `t/t${i}.png`, seededPNG(8, i));
    write(dir, 'refs/painting.png', seededPNG(8, 50));
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: 't/**', style: { reference: 'refs/painting.png' } }] });
    watcher = watchProject(dir, { stabilityMs: 150 });
    const events: WatchEvent[] = [];
    watcher.on('event', (e) => events.push(e));
    await watcher.ready;
    expect(events.filter((e) => e.type === 'asset' && e.outcome === 'processed')).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the startup outputs' own events handled
    const from = events.length;
    const idle = next((e) => e.type === 'idle', events);
    write(dir, 'refs/painting.png', seededPNG(8, 51));
    await idle;
    const jobs = events.slice(from).filter((e): e is Extract<WatchEvent, { type: 'job' }> => e.type === 'job');
    expect(jobs.map((j) => j.reason)).toEqual(['config']);
    expect(jobs[0].assets.sort()).toEqual(['refs/painting.png', 't/t0.png', 't/t1.png', 't/t2.png']);
    expect(events.slice(from).filter((e) => e.type === 'asset' && e.outcome === 'processed').map((e) => (e as { path: string }).path).sort()).toEqual(['t/t0.png', 't/t1.png', 't/t2.png']);
  }, 120_000);
});
