import { Document } from '@gltf-transform/core';
import { KHRMaterialsClearcoat, KHRMaterialsSheen } from '@gltf-transform/extensions';
import path from 'node:path';
import { textureUsage } from '../plugin/gltf';
import { readModel } from './helpers/model';
import { FIXTURES } from './helpers/project';

async function usages(file: string) {
  const doc = await readModel(path.join(FIXTURES, 'gltf', file));
  return doc.getRoot().listTextures().map((t) => {
    const u = textureUsage(t);
    return { slots: [...u.slots].sort(), kind: u.kind };
  });
}

describe('slot detection on the sample models', () => {
  it('DamagedHelmet: the five core slots, each with its kind', async () => {
    expect(await usages('DamagedHelmet/DamagedHelmet.glb')).toEqual([
      { slots: ['baseColor'], kind: 'color' },
      { slots: ['metallicRoughness'], kind: 'data' },
      { slots: ['emissive'], kind: 'color' },
      { slots: ['occlusion'], kind: 'data' },
      { slots: ['normal'], kind: 'normal' },
    ]);
  });

  it('NormalTangentMirrorTest: a packed ORM texture is data in both its slots', async () => {
    expect(await usages('NormalTangentMirrorTest/NormalTangentMirrorTest.glb')).toEqual([
      { slots: ['metallicRoughness', 'occlusion'], kind: 'data' },
      { slots: ['normal'], kind: 'normal' },
      { slots: ['baseColor'], kind: 'color' },
    ]);
  });

  it('BoxTextured: the external PNG is baseColor', async () => {
    expect(await usages('BoxTextured/BoxTextured.gltf')).toEqual([{ slots: ['baseColor'], kind: 'color' }]);
  });
});

describe('slot detection on KHR_materials_* slots', () => {
  it('names extension slots and kinds, and flags conflicting uses', () => {
    const doc = new Document();
    const clearcoatNormal = doc.createTexture('ccn');
    const sheen = doc.createTexture('sheen');
    const both = doc.createTexture('both');
    const clearcoat = doc.createExtension(KHRMaterialsClearcoat).createClearcoat().setClearcoatNormalTexture(clearcoatNormal).setClearcoatTexture(both);
    const sheenExt = doc.createExtension(KHRMaterialsSheen).createSheen().setSheenColorTexture(sheen).setSheenRoughnessTexture(sheen);
    doc.createMaterial('m').setExtension('KHR_materials_clearcoat', clearcoat).setExtension('KHR_materials_sheen', sheenExt).setBaseColorTexture(both);

    expect(textureUsage(clearcoatNormal)).toMatchObject({ slots: ['clearcoatNormal'], kind: 'normal' });
    // sheenColor is sRGB, sheenRoughness is data: the same texture in both cannot be resampled correctly.
    expect(textureUsage(sheen)).toMatchObject({ kind: null, kindBySlot: { sheenColor: 'color', sheenRoughness: 'data' } });
    expect(textureUsage(both)).toMatchObject({ kind: null, kindBySlot: { baseColor: 'color', clearcoat: 'data' } });
  });
});
