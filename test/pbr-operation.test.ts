/**
 * The `pbr` operation's own contract (plugin/ops/pbr/operation.ts), called as the pipeline calls
 * it: on a real glTF Transform document (fixtures/gltf/BoxTextured: base colour only) and on a
 * standalone texture with siblings. The pipeline's part (writing, recording, restore, watch, the
 * second-run no-op) is tested end to end in pbr-pipeline.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Document, Material } from '@gltf-transform/core';
import { pbr, type PbrSettings } from '../plugin/ops/pbr/operation';
import type { FileInput, MaterialApplyInput, MaterialTexture, OperationServices, SiblingTexture } from '../plugin/ops/types';
import { createEngine } from '../plugin/engine';
import type { RawImage } from '../plugin/types';
import { readModel, writeModel } from './helpers/model';
import { decode, encodePNG, FIXTURES, makeProject, removeProject } from './helpers/project';
import { errorCounts, validate } from './helpers/validator';

const engine = createEngine({ device: 'cpu' });
afterAll(() => engine.close());
const services: OperationServices = { engine, root: '/', warn: () => undefined };
const ALL: PbrSettings = pbr.merge(null, {})!;

/** The inputs the pipeline hands a material operation, built from a document. */
function materialInput(document: Document, material: Material): MaterialApplyInput {
  const slots = new Map<string, MaterialTexture>();
  const add = (slot: string, texture: ReturnType<Material['getBaseColorTexture']>, kind: 'color' | 'normal' | 'data') => {
    if (!texture) return;
    slots.set(slot, {
      texture, kind, size: { width: texture.getSize()![0], height: texture.getSize()![1] },
      read: async () => {
        const image = await decode(texture.getImage()!);
        return { image, kind, alpha: image.channels % 2 === 0 };
      },
    });
  };
  add('baseColor', material.getBaseColorTexture(), 'color');
  add('normal', material.getNormalTexture(), 'normal');
  add('metallicRoughness', material.getMetallicRoughnessTexture(), 'data');
  add('occlusion', material.getOcclusionTexture(), 'data');
  return {
    asset: 'model.gltf', name: material.getName(), slots, document, material,
    createTexture: async (image: RawImage, { name }) =>
      document.createTexture(name).setImage(await encodePNG(image)).setMimeType('image/png').setURI(`${name}.png`),
  };
}

async function box(): Promise<{ document: Document; material: Material }> {
  const document = await readModel(path.join(FIXTURES, 'gltf/BoxTextured/BoxTextured.gltf'));
  return { document, material: document.getRoot().listMaterials()[0] };
}

test('merge: defaults to all four maps and the default method; false turns it off; later rules override', () => {
  expect(ALL).toEqual({ generate: ['normal', 'roughness', 'occlusion', 'height'], method: 'cnn' });
  expect(pbr.merge(ALL, false)).toBeNull();
  expect(pbr.merge(ALL, { generate: ['normal'] })).toEqual({ generate: ['normal'], method: 'cnn' });
  expect(pbr.merge({ generate: ['normal'], method: 'heuristic' }, {})).toEqual({ generate: ['normal'], method: 'heuristic' });
});

test('a colour-only material gets a normal map and one ORM texture (roughness + occlusion), validator-clean', async () => {
  const { document, material } = await box();
  material.setMetallicFactor(0.25);
  const baseSize = material.getBaseColorTexture()!.getSize()!;
  const input = materialInput(document, material);
  expect(pbr.material!.plan(ALL, input).map((d) => d.slots)).toEqual([['normal'], ['metallicRoughness', 'occlusion']]);
  const added = await pbr.material!.apply(ALL, input, services);
  expect(added.map((d) => [d.slots, d.kind, d.engine])).toEqual([
    [['normal'], 'normal', 'remaster-pbr@cpu'],
    [['metallicRoughness', 'occlusion'], 'data', 'remaster-pbr@cpu'],
  ]);
  const normal = material.getNormalTexture()!;
  const orm = material.getMetallicRoughnessTexture()!;
  expect(material.getOcclusionTexture()).toBe(orm);
  expect(normal.getSize()).toEqual(baseSize);
  expect(orm.getSize()).toEqual(baseSize);
  // Metallic moved into B; the factor is 1 so the rendered metallic is unchanged.
  expect(material.getMetallicFactor()).toBe(1);
  const ormPixels = await decode(orm.getImage()!);
  expect(ormPixels.data[2]).toBe(64);
  // Unit normals, z up.
  const n = await decode(normal.getImage()!);
  for (let i = 0; i < n.width * n.height; i += 97) {
    const v = [0, 1, 2].map((c) => (n.data[i * n.channels + c] / 255) * 2 - 1);
    expect(Math.abs(Math.hypot(...v) - 1)).toBeLessThan(0.02);
    expect(v[2]).toBeGreaterThan(0);
  }
  expect(material.getNormalTextureInfo()!.getTexCoord()).toBe(material.getBaseColorTextureInfo()!.getTexCoord());

  const dir = makeProject();
  try {
    const file = path.join(dir, 'BoxTextured.gltf');
    await writeModel(document, file);
    expect(fs.existsSync(path.join(dir, `${normal.getName()}.png`))).toBe(true);
    expect(errorCounts(await validate(file))).toEqual({});
  } finally {
    removeProject(dir);
  }
});

test('never replaces a map the material has; only the missing ones are added', async () => {
  const { document, material } = await box();
  const own = document.createTexture('own-normal').setImage(await encodePNG({ data: new Uint8Array(4 * 4 * 3).fill(128), width: 4, height: 4, channels: 3 })).setMimeType('image/png');
  material.setNormalTexture(own);
  const input = materialInput(document, material);
  expect(pbr.material!.plan(ALL, input).map((d) => d.slots)).toEqual([['metallicRoughness', 'occlusion']]);
  const added = await pbr.material!.apply({ ...ALL, method: 'heuristic' }, input, services);
  expect(added.map((d) => d.slots)).toEqual([['metallicRoughness', 'occlusion']]);
  expect(material.getNormalTexture()).toBe(own);

  // Everything present (or not asked for): nothing happens.
  const again = await pbr.material!.apply({ ...ALL, method: 'heuristic' }, materialInput(document, material), services);
  expect(again).toEqual([]);
  const onlyNormal = await box();
  const res = await pbr.material!.apply({ generate: ['normal'], method: 'heuristic' }, materialInput(onlyNormal.document, onlyNormal.material), services);
  expect(res.map((d) => d.slots)).toEqual([['normal']]);
  expect(onlyNormal.material.getMetallicRoughnessTexture()).toBeNull();
  expect(onlyNormal.material.getOcclusionTexture()).toBeNull();
});

test('a material without a base colour texture is left alone', async () => {
  const { document, material } = await box();
  material.setBaseColorTexture(null);
  const input = materialInput(document, material);
  expect(pbr.material!.plan(ALL, input)).toEqual([]);
  expect(await pbr.material!.apply(ALL, input, services)).toEqual([]);
  expect(material.getNormalTexture()).toBeNull();
});

function fileInput(asset: string, image: RawImage, siblings: string[]): FileInput {
  return {
    asset, kind: 'color', size: { width: image.width, height: image.height },
    read: async () => ({ image, kind: 'color', alpha: image.channels === 4 }),
    siblings: siblings.map((suffix): SiblingTexture => ({
      rel: asset.replace('.png', `${suffix}.png`), suffix, kind: suffix === '_norm' ? 'normal' : 'data',
      read: async () => { throw new Error('siblings are not read'); },
    })),
  };
}

test('standalone texture: <stem>_normal.png, <stem>_orm.png, <stem>_height.png beside it, minus what its siblings have', async () => {
  const image = await decode(path.join(FIXTURES, 'textures/helmet-basecolor-128.png'));
  const all = fileInput('textures/wall.png', image, []);
  expect(pbr.file!.plan(ALL, all).map((f) => f.rel)).toEqual(['textures/wall_normal.png', 'textures/wall_orm.png', 'textures/wall_height.png']);
  const files = await pbr.file!.apply({ ...ALL, method: 'heuristic' }, all, services);
  expect(files.map((f) => [f.rel, f.kind, f.image.width, f.image.height])).toEqual([
    ['textures/wall_normal.png', 'normal', 128, 128],
    ['textures/wall_orm.png', 'data', 128, 128],
    ['textures/wall_height.png', 'data', 128, 128],
  ]);
  const withNormal = fileInput('wall.png', image, ['_norm', '_gloss']);
  expect(pbr.file!.plan(ALL, withNormal).map((f) => f.rel)).toEqual(['wall_height.png']);
  expect((await pbr.file!.apply(ALL, withNormal, services)).map((f) => f.rel)).toEqual(['wall_height.png']);
  // Not a colour texture: nothing.
  expect(pbr.file!.plan(ALL, { ...all, kind: 'normal' })).toEqual([]);
});
