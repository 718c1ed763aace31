/**
 * material.glb: one quad (the photographed area, aspect of the photos, 1 unit wide, facing +Z, UV (0,0)
 * at the image's top-left) carrying the fitted material: metallic 0, base colour, normal, ORM
 * (occlusion + roughness), KHR_materials_specular (specular colour texture and factor; two-shot) and,
 * when any texel is anisotropic, KHR_materials_anisotropy.
 */
import { Document, NodeIO, type Texture } from '@gltf-transform/core';
import { KHRMaterialsAnisotropy, KHRMaterialsSpecular } from '@gltf-transform/extensions';
import type { EncodedMaps } from './encode';

/** The textures the quad can carry; specular and anisotropy only when `use` asks for them. */
export type GlbTextures = Pick<EncodedMaps, 'basecolor' | 'normal' | 'orm'> & Partial<Pick<EncodedMaps, 'specular' | 'anisotropy' | 'specularColorFactor'>>;

export async function materialGlb(encoded: GlbTextures, width: number, height: number, use: { specular: boolean; anisotropic: boolean }): Promise<Uint8Array> {
  const doc = new Document();
  doc.createBuffer();
  const texture = (name: string, image: Buffer): Texture => doc.createTexture(name).setImage(new Uint8Array(image)).setMimeType('image/png').setURI(`${name}.png`);
  const hw = 0.5, hh = (0.5 * height) / width;
  const position = doc.createAccessor('position').setType('VEC3').setArray(new Float32Array([-hw, hh, 0, hw, hh, 0, hw, -hh, 0, -hw, -hh, 0]));
  const normal = doc.createAccessor('normal').setType('VEC3').setArray(new Float32Array([0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1]));
  const tangent = doc.createAccessor('tangent').setType('VEC4').setArray(new Float32Array([1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1]));
  const uv = doc.createAccessor('uv').setType('VEC2').setArray(new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]));
  const indices = doc.createAccessor('indices').setType('SCALAR').setArray(new Uint16Array([0, 3, 2, 0, 2, 1]));
  const orm = texture('orm', encoded.orm);
  const material = doc.createMaterial('captured')
    .setBaseColorTexture(texture('basecolor', encoded.basecolor))
    .setNormalTexture(texture('normal', encoded.normal))
    .setMetallicFactor(0)
    .setRoughnessFactor(1)
    .setMetallicRoughnessTexture(orm)
    .setOcclusionTexture(orm);
  if (use.specular && encoded.specular) {
    const f = encoded.specularColorFactor ?? 1;
    const specular = doc.createExtension(KHRMaterialsSpecular).createSpecular()
      .setSpecularFactor(1)
      .setSpecularColorFactor([f, f, f])
      .setSpecularColorTexture(texture('specular', encoded.specular));
    material.setExtension('KHR_materials_specular', specular);
  }
  if (use.anisotropic && encoded.anisotropy) {
    const aniso = doc.createExtension(KHRMaterialsAnisotropy).createAnisotropy()
      .setAnisotropyStrength(1)
      .setAnisotropyRotation(0)
      .setAnisotropyTexture(texture('anisotropy', encoded.anisotropy));
    material.setExtension('KHR_materials_anisotropy', aniso);
  }
  const prim = doc.createPrimitive()
    .setAttribute('POSITION', position).setAttribute('NORMAL', normal).setAttribute('TANGENT', tangent).setAttribute('TEXCOORD_0', uv)
    .setIndices(indices).setMaterial(material);
  const mesh = doc.createMesh('sample').addPrimitive(prim);
  doc.createScene('scene').addChild(doc.createNode('sample').setMesh(mesh));
  return new NodeIO().registerExtensions([KHRMaterialsSpecular, KHRMaterialsAnisotropy]).writeBinary(doc);
}
