/** remasterProject with several assets at once: same files, state and report as one at a time. */
import { Document } from '@gltf-transform/core';
import fs from 'node:fs';
import path from 'node:path';
import { remasterProject } from '../plugin/pipeline';
import type { RunEvent } from '../plugin/pipeline/report';
import { addTriangle, writeModel } from './helpers/model';
import { countingEngine } from './helpers/counting-engine';
import { FIXTURES, makeProject, removeProject, snapshot, writeJSON } from './helpers/project';

/**
 * Two .gltf sharing one external image, two GLBs embedding that same image (no shared file, so they
 * run at once and must share the computation), standalone textures through the shipped model (two
 * of them identical copies), one converted to WebP next to a model image of the same stem.
 */
async function buildProject(): Promise<string> {
  const dir = makeProject({
    'tex/one.png': 'textures/helmet-basecolor-128.png',
    'tex/two.png': 'textures/helmet-basecolor-128.png',
    'tex/rough.png': 'textures/helmet-metalrough-128.png',
    'tex/conv/wall.png': 'textures/alpha-blend-128.png',
  });
  const logo = fs.readFileSync(path.join(FIXTURES, 'gltf/BoxTextured/CesiumLogoFlat.png'));
  for (const name of ['a', 'b']) {
    const doc = new Document();
    doc.createBuffer();
    const t = doc.createTexture('logo').setImage(logo).setMimeType('image/png').setURI('../shared/logo.png');
    addTriangle(doc, doc.createMaterial('m').setBaseColorTexture(t).setEmissiveTexture(t));
    await writeModel(doc, path.join(dir, `models/${name}.gltf`));
  }
  for (const name of ['c', 'd']) {
    const glb = new Document();
    glb.createBuffer();
    addTriangle(glb, glb.createMaterial('x').setBaseColorTexture(glb.createTexture('x').setImage(logo).setMimeType('image/png')));
    await writeModel(glb, path.join(dir, `models/${name}.glb`));
  }
  writeJSON(path.join(dir, 'remaster.config.json'), {
    rules: [
      { match: '**/*', upscale: { scale: 2, model: 'lanczos' } },
      { match: 'tex/**', upscale: { model: 'remaster-x2-fast' } },
      { match: 'tex/conv/**', format: 'webp' },
    ],
  });
  return dir;
}

/** Content of every file (state, originals included), without mtimes. */
/** Every file's hash; the change gate's stamps (inodes and times of this copy) aside. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshot(dir)).filter(([rel]) => rel !== '.remaster/state.stamps.json').map(([rel, { hash }]) => [rel, hash]));
}

describe('remasterProject concurrency', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeProject));

  it('writes the same bytes and state and reports the same, in plan order, at concurrency 1, 2 and 3', async () => {
    const source = await buildProject();
    dirs.push(source);
    const runs = [];
    for (const concurrency of [1, 2, 3]) {
      const dir = makeProject();
      dirs.push(dir);
      fs.cpSync(source, dir, { recursive: true });
      const engine = countingEngine();
      const inProgress = new Set<string>();
      let most = 0;
      const onEvent = (e: RunEvent) => {
        if (e.type === 'begin') inProgress.add(e.path);
        if (e.type === 'asset') inProgress.delete(e.path);
        most = Math.max(most, inProgress.size);
      };
      const report = await remasterProject(dir, { engine, concurrency, onEvent });
      await engine.close();
      runs.push({ concurrency, report, files: contents(dir), calls: engine.calls, most });
    }
    const [one, ...others] = runs;
    expect(one.report.failed).toEqual([]);
    expect(one.report.processed.map((p) => p.path)).toEqual(['models/a.gltf', 'models/b.gltf', 'models/c.glb', 'models/d.glb', 'tex/conv/wall.png', 'tex/one.png', 'tex/rough.png', 'tex/two.png']);
    expect(one.files['tex/conv/wall.webp']).toBeDefined();
    expect(one.files['.remaster/state.json']).toBeDefined();
    // logo (x2 lanczos, colour) once, one.png = two.png once, rough and wall once each.
    expect(one.calls).toBe(4);
    expect(one.most).toBe(1);
    expect(one.report.processed.flatMap((p) => p.textures.map((t) => `${p.path} ${t.reused}`))).toEqual([
      'models/a.gltf false', 'models/b.gltf true', 'models/c.glb true', 'models/d.glb true',
      'tex/conv/wall.png false', 'tex/one.png false', 'tex/rough.png false', 'tex/two.png true',
    ]);
    for (const run of others) {
      expect(run.most).toBeGreaterThan(1); // assets really overlapped
      expect(run.files).toEqual(one.files);
      // `reused` included: it says what a one-at-a-time run would, whoever asked first.
      expect(run.report).toEqual(one.report);
      // Each image computed once even when two assets wanting it run at once.
      expect(run.calls).toBe(one.calls);
    }
  });

  it('announces each asset with a begin event before its asset event, once', async () => {
    const dir = await buildProject();
    dirs.push(dir);
    const events: RunEvent[] = [];
    const report = await remasterProject(dir, { concurrency: 2, onEvent: (e) => events.push(e) });
    expect(report.failed).toEqual([]);
    const assets = events.filter((e) => e.type === 'asset');
    expect(assets.map((e) => e.path)).toEqual([...report.processed, ...report.skipped].map((a) => a.path).sort());
    expect(assets.map((e) => e.type === 'asset' && e.done)).toEqual(assets.map((_, i) => i + 1));
    for (const asset of assets) {
      const begins = events.flatMap((e, i) => (e.type === 'begin' && e.path === asset.path ? [i] : []));
      expect(begins).toHaveLength(1);
      expect(begins[0]).toBeLessThan(events.indexOf(asset));
    }
  });

  it('runs a texture and its map siblings one at a time (vary reads them), other assets beside them', async () => {
    const dir = makeProject({
      'tex/wall.png': 'textures/helmet-basecolor-128.png',
      'tex/wall_n.png': 'textures/helmet-normal-128.png',
      'tex/wall_orm.png': 'textures/helmet-metalrough-128.png',
      'tex/zother.png': 'textures/alpha-blend-128.png',
    });
    dirs.push(dir);
    writeJSON(path.join(dir, 'remaster.config.json'), {
      rules: [{ match: '**/*', upscale: { scale: 2, model: 'lanczos' } }, { match: 'tex/wall.png', vary: { count: 1, seed: 1 } }],
    });
    const events: RunEvent[] = [];
    const report = await remasterProject(dir, { concurrency: 3, onEvent: (e) => events.push(e) });
    expect(report.failed).toEqual([]);
    const at = (type: 'begin' | 'asset', rel: string) => events.findIndex((e) => e.type === type && e.path === rel);
    const family = ['tex/wall.png', 'tex/wall_n.png', 'tex/wall_orm.png'];
    // Each family member begins only after the one before it has finished (plan order).
    for (let i = 1; i < family.length; i++) expect(at('begin', family[i])).toBeGreaterThan(at('asset', family[i - 1]));
    // An unrelated texture does not wait: it begins while the first of the family is still running.
    expect(at('begin', 'tex/zother.png')).toBeLessThan(at('asset', 'tex/wall.png'));
  });

  it('an abort starts nothing more; what started is finished and recorded, the rest untouched', async () => {
    const dir = await buildProject();
    dirs.push(dir);
    const before = contents(dir);
    const controller = new AbortController();
    const finished: string[] = [];
    const run = remasterProject(dir, {
      concurrency: 2,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'begin') controller.abort(); // while the first asset is in progress
        if (e.type === 'asset') finished.push(e.path);
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(finished).toEqual(['models/a.gltf']);
    const after = contents(dir);
    const state = JSON.parse(fs.readFileSync(path.join(dir, '.remaster/state.json'), 'utf8'));
    expect(Object.keys(state.assets)).toEqual(['models/a.gltf']);
    expect(state.assets['models/a.gltf'].fingerprint).not.toBe('');
    for (const rel of Object.keys(before)) {
      if (!state.assets['models/a.gltf'].files.includes(rel)) expect([rel, after[rel]]).toEqual([rel, before[rel]]);
    }
    expect(Object.keys(after).filter((rel) => rel.endsWith('.tmp'))).toEqual([]);
    // The next run does the rest.
    const again = await remasterProject(dir, { concurrency: 2 });
    expect(again.failed).toEqual([]);
    expect(again.skipped.map((s) => s.path)).toEqual(['models/a.gltf']);
    expect(again.processed).toHaveLength(7);
  });
});
