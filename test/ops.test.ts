/**
 * The operations seam (plugin/ops): operations registered by this test only — a per-texture
 * `grayscale` and a per-asset `mask` that derives a new file from a standalone texture and a new
 * material slot in a model — go through config, sidecars, dry run, fingerprint, commit, restore and
 * watch without any pipeline code knowing them.
 */
import { Document } from '@gltf-transform/core';
import fs from 'node:fs';
import path from 'node:path';
import { validateConfig } from '../plugin/config';
import { resolveActions } from '../plugin/config/resolve';
import { buildSchema, schemaText } from '../plugin/config/schema';
import { registerOperation } from '../plugin/ops/registry';
import type { AssetOperation, TextureOperation } from '../plugin/ops/types';
import { remasterProject, restoreProject } from '../plugin/pipeline';
import type { RawImage } from '../plugin/types';
import { watchProject, type WatchEvent } from '../plugin/watch';
import sharp from 'sharp';
import { addTriangle, readModel, writeModel } from './helpers/model';
import { decode, encodePNG, gradientRGBA, makeProject, removeProject, snapshot, writeJSON } from './helpers/project';

const OFF_OR_EMPTY = { oneOf: [{ const: false }, { type: 'object', additionalProperties: false, properties: {} }] };

/** Luma per texel, channels kept (grey RGB keeps being RGB). */
function toGray(image: RawImage): RawImage {
  const data = new Uint8Array(image.data);
  const c = image.channels;
  if (c >= 3) {
    for (let i = 0; i < data.length; i += c) {
      const y = Math.round(0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2]);
      data[i] = data[i + 1] = data[i + 2] = y;
    }
  }
  return { ...image, data };
}

/** One grey channel. */
function luminance(image: RawImage): RawImage {
  const g = toGray(image);
  const data = new Uint8Array(image.width * image.height);
  for (let i = 0; i < data.length; i++) data[i] = g.data[i * g.channels];
  return { data, width: image.width, height: image.height, channels: 1 };
}

const grayscale: TextureOperation<Record<string, never>, Record<string, never>> = {
  key: 'grayscale',
  shape: 'texture',
  order: 100, // before upscale (200)
  version: '1',
  schema: OFF_OR_EMPTY,
  merge: (_earlier, value) => (value === false ? null : {}),
  plan: (_settings, { size, kind }) => (kind === 'color' ? { after: size, engine: 'grayscale' } : null),
  apply: async (_settings, { image }) => ({ image: toGray(image), engine: 'grayscale' }),
};

const maskRel = (asset: string) => asset.replace(/\.[^./]+$/, '_mask.png');

const mask: AssetOperation<Record<string, never>, Record<string, never>> = {
  key: 'mask',
  shape: 'asset',
  version: '1',
  schema: OFF_OR_EMPTY,
  merge: (_earlier, value) => (value === false ? null : {}),
  file: {
    plan: (_s, input) => (input.siblings.some((s) => s.suffix === '_mask') ? [] : [{ rel: maskRel(input.asset), kind: 'data', size: input.size, engine: 'mask' }]),
    async apply(_s, input) {
      if (input.siblings.some((s) => s.suffix === '_mask')) return [];
      return [{ rel: maskRel(input.asset), kind: 'data', image: luminance((await input.read()).image), engine: 'mask' }];
    },
  },
  material: {
    plan: (_s, input) => {
      const base = input.slots.get('baseColor');
      return base && !input.slots.has('emissive') ? [{ name: `${input.name}_emissive`, slots: ['emissive'], kind: 'color', size: base.size, engine: 'mask' }] : [];
    },
    async apply(_s, input) {
      const base = input.slots.get('baseColor');
      if (!base || input.slots.has('emissive')) return [];
      const name = `${input.name}_emissive`;
      const texture = await input.createTexture(toGray((await base.read()).image), { name, kind: 'color' });
      input.material.setEmissiveTexture(texture).setEmissiveFactor([1, 1, 1]);
      return [{ name, slots: ['emissive'], kind: 'color', size: base.size, engine: 'mask' }];
    },
  },
};

const hashes = (snap: Record<string, { hash: string }>) => Object.fromEntries(Object.entries(snap).map(([k, v]) => [k, v.hash]));

const isGray = (img: RawImage) => {
  for (let i = 0; i < img.data.length; i += img.channels) if (img.data[i] !== img.data[i + 1] || img.data[i] !== img.data[i + 2]) return false;
  return true;
};

describe('operations registry and schema', () => {
  it('pipeline-config/remaster.schema.json is what the registered operations generate (run npm run schema)', () => {
    expect(fs.readFileSync(path.join(__dirname, '..', 'pipeline-config', 'remaster.schema.json'), 'utf8')).toBe(schemaText());
  });

  it('refuses a taken key and a core rule key', () => {
    expect(() => registerOperation({ ...grayscale, key: 'upscale' })).toThrow('operation "upscale" is already registered');
    expect(() => registerOperation({ ...grayscale, key: 'maxSize' })).toThrow('operation key "maxSize" is a core rule key');
  });
});

describe('a test-only operation goes through the whole pipeline', () => {
  let dir: string;
  const unregister: (() => void)[] = [];
  beforeAll(() => {
    unregister.push(registerOperation(grayscale), registerOperation(mask));
  });
  afterAll(() => unregister.forEach((u) => u()));
  afterEach(() => removeProject(dir));

  it('config: its schema fragment validates rules, false from a later rule turns it off', () => {
    dir = makeProject();
    expect(buildSchema()).toMatchObject({ definitions: { rule: { properties: { grayscale: OFF_OR_EMPTY, mask: OFF_OR_EMPTY } } } });
    expect(() => validateConfig({ rules: [{ grayscale: { strength: 1 } }] }, 'remaster.config.json')).toThrow('remaster.config.json: rules.0.grayscale.strength: unknown key');
    const rules = [{ grayscale: {} }, { match: 'ui/**', grayscale: false as const }].map((rule, i) => ({ rule, source: `c#${i}` }));
    expect(resolveActions(rules, { path: 'a.png' })).toMatchObject({ grayscale: {}, upscale: null });
    expect(resolveActions(rules, { path: 'ui/b.png' })).toBeNull();
  });

  it('per texture: dry run, commit, fingerprint, sidecar, order before upscale, restore', async () => {
    dir = makeProject();
    const original = await encodePNG(gradientRGBA(16, 16));
    fs.writeFileSync(path.join(dir, 'a.png'), original);
    fs.writeFileSync(path.join(dir, 'b_n.png'), original);
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: '**/*', grayscale: {} }] });

    const before = snapshot(dir);
    const dry = await remasterProject(dir, { dryRun: true });
    expect(dry.processed.map((p) => [p.path, p.textures.map((t) => t.engine)])).toEqual([['a.png', ['grayscale']]]);
    expect(dry.skipped).toEqual([{ path: 'b_n.png', reason: 'texture already matches the rules' }]); // a normal map: the op declines
    expect(snapshot(dir)).toEqual(before);

    const run = await remasterProject(dir);
    expect(run.processed.map((p) => [p.path, p.textures[0].engine, p.textures[0].after])).toEqual([['a.png', 'grayscale', { width: 16, height: 16 }]]);
    const gray = await decode(path.join(dir, 'a.png'));
    expect(isGray(gray)).toBe(true);
    expect(gray.channels).toBe(4); // alpha kept

    // Same inputs, same rules: nothing to do.
    expect((await remasterProject(dir)).skipped.find((s) => s.path === 'a.png')?.reason).toBe('unchanged');
    // A new version of the operation re-derives what it made.
    unregister.shift()!();
    const unregisterBumped = registerOperation({ ...grayscale, version: '2' });
    expect((await remasterProject(dir)).processed.map((p) => p.path)).toEqual(['a.png']);
    unregisterBumped();
    unregister.unshift(registerOperation(grayscale));

    // A sidecar turning it off: the original comes back.
    writeJSON(path.join(dir, 'a.png.remaster.json'), { rules: [{ grayscale: false }] });
    const off = await remasterProject(dir);
    expect(off.processed.find((p) => p.path === 'a.png')?.warnings).toContain('nothing to change under the current rules: original restored');
    expect(Buffer.from(fs.readFileSync(path.join(dir, 'a.png'))).equals(Buffer.from(original))).toBe(true);

    // Order: grayscale (100) before upscale (200), one engine id each.
    fs.rmSync(path.join(dir, 'a.png.remaster.json'));
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: '**/*', grayscale: {}, upscale: { scale: 2, model: 'lanczos' } }] });
    const both = await remasterProject(dir);
    const a = both.processed.find((p) => p.path === 'a.png')!.textures[0];
    expect([a.engine, a.after]).toEqual(['grayscale+lanczos', { width: 32, height: 32 }]);
    expect(isGray(await decode(path.join(dir, 'a.png')))).toBe(true);

    await restoreProject(dir);
    expect(Buffer.from(fs.readFileSync(path.join(dir, 'a.png'))).equals(Buffer.from(original))).toBe(true);
    expect(fs.existsSync(path.join(dir, '.remaster'))).toBe(false);
  });

  it('per asset, standalone file: derives a new file, recorded, reprocessed through the chain, no-op twice, removed by restore', async () => {
    dir = makeProject();
    fs.writeFileSync(path.join(dir, 'wall.png'), await encodePNG(gradientRGBA(16, 16)));
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: 'wall.png', mask: {} }, { match: '*_mask.png', upscale: { scale: 2, model: 'lanczos' } }] });

    const before = snapshot(dir);
    const dry = await remasterProject(dir, { dryRun: true });
    expect(dry.processed.map((p) => p.textures.map((t) => [t.name, t.derivedBy, t.after, t.engine]))).toEqual([
      [['wall_mask.png', 'mask', { width: 32, height: 32 }, 'mask+lanczos']],
    ]);
    expect(snapshot(dir)).toEqual(before);

    const run = await remasterProject(dir);
    expect(run.processed).toMatchObject([{ path: 'wall.png', files: ['wall_mask.png'] }]);
    const made = await sharp(path.join(dir, 'wall_mask.png')).metadata();
    expect([made.width, made.height, made.channels]).toEqual([32, 32, 1]);
    const state = JSON.parse(fs.readFileSync(path.join(dir, '.remaster/state.json'), 'utf8'));
    expect(state.files['wall_mask.png']).toMatchObject({ original: null });
    expect(state.assets['wall.png'].files).toContain('wall_mask.png');

    // Second run: the derived file maps back to its asset, which is up to date.
    const again = await remasterProject(dir);
    expect([again.processed, again.skipped]).toEqual([[], [{ path: 'wall.png', reason: 'unchanged' }]]);

    await restoreProject(dir);
    expect(fs.existsSync(path.join(dir, 'wall_mask.png'))).toBe(false);
    expect(snapshot(dir)).toEqual(before);
  });

  it('per asset, model: adds a texture in a new material slot as a file beside the .gltf; restore removes it', async () => {
    dir = makeProject();
    const doc = new Document();
    doc.createBuffer();
    const color = doc.createTexture('color').setImage(await encodePNG(gradientRGBA(16, 16))).setMimeType('image/png').setURI('color.png');
    addTriangle(doc, doc.createMaterial('m').setBaseColorTexture(color));
    await writeModel(doc, path.join(dir, 'models/box.gltf'));
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: 'models/**', mask: {} }] });
    const before = snapshot(dir);

    const dry = await remasterProject(dir, { dryRun: true });
    expect(dry.processed[0].textures.map((t) => [t.name, t.slots, t.derivedBy])).toEqual([['m_emissive', ['emissive'], 'mask']]);
    expect(snapshot(dir)).toEqual(before);

    const run = await remasterProject(dir);
    expect(run.failed).toEqual([]);
    expect(run.processed[0].textures.map((t) => [t.name, t.slots, t.derivedBy])).toEqual([['m_emissive', ['emissive'], 'mask']]);
    expect(run.processed[0].files).toEqual(expect.arrayContaining(['models/box.gltf', 'models/m_emissive.png']));
    const model = await readModel(path.join(dir, 'models/box.gltf'));
    const emissive = model.getRoot().listMaterials()[0].getEmissiveTexture();
    expect(emissive?.getURI()).toBe('m_emissive.png');
    expect(isGray(await decode(path.join(dir, 'models/m_emissive.png')))).toBe(true);

    const again = await remasterProject(dir);
    expect(again.skipped).toEqual([{ path: 'models/box.gltf', reason: 'unchanged' }]);

    await restoreProject(dir);
    expect(hashes(snapshot(dir))).toEqual(hashes(before));
  });

  it('watch: the derived file is recognised as Remaster’s own write', async () => {
    dir = makeProject();
    fs.writeFileSync(path.join(dir, 'wall.png'), await encodePNG(gradientRGBA(16, 16)));
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: 'wall.png', mask: {} }] });
    const watcher = watchProject(dir, { stabilityMs: 200 });
    const events: WatchEvent[] = [];
    watcher.on('event', (e) => events.push(e));
    try {
      await watcher.ready;
      expect(fs.existsSync(path.join(dir, 'wall_mask.png'))).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(events.filter((e) => e.type === 'job')).toHaveLength(1); // the startup pass only
      expect(events.filter((e) => e.type === 'ignored').map((e) => (e as { path: string }).path)).toContain('wall_mask.png');
    } finally {
      await watcher.close();
    }
  }, 30000);
});
