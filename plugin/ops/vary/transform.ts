/**
 * `varyMaterials(rule)`: the Texture Multiplier as a glTF Transform transform, outside any project:
 * every textured material (or those named) gets `count` variant materials switched by
 * KHR_materials_variants, exactly as the `vary` pipeline operation does (same code path).
 *
 * @example
 * import { varyMaterials } from 'remaster';
 * await document.transform(varyMaterials({ count: 4, seed: 7, materials: ['Bricks'] }));
 */

import type { Document, Material, Texture, Transform } from '@gltf-transform/core';
import { slotKind } from '../../gltf/slots';
import { decodeImage, encodeImage, probeImage } from '../../pipeline/image-codec';
import type { TextureKind } from '../../types';
import type { MaterialTexture, OperationServices } from '../types';
import { vary, type VaryRule } from './operation';

export interface VaryMaterialsOptions extends VaryRule {
  /** Only materials with these names (default: every material with at least one texture). */
  materials?: string[];
  /** Receives the one-line warnings (e.g. a map resized to vary with the colour). */
  warn?: (line: string) => void;
}

async function slotsOf(material: Material): Promise<Map<string, MaterialTexture>> {
  const slots = new Map<string, MaterialTexture>();
  const graph = material.getGraph();
  for (const owner of [material, ...graph.listChildren(material)]) {
    for (const edge of graph.listChildEdges(owner)) {
      const texture = edge.getChild() as Texture;
      if (texture.propertyType !== 'Texture' || !texture.getImage()) continue;
      const name = edge.getName();
      const slot = name.endsWith('Texture') ? name.slice(0, -'Texture'.length) : name;
      const bytes = texture.getImage()!;
      const info = await probeImage(bytes);
      const kind = slotKind(slot, Boolean((edge.getAttributes() as { isColor?: boolean }).isColor));
      slots.set(slot, {
        texture,
        kind,
        size: { width: info.width, height: info.height },
        read: async () => {
          const image = await decodeImage(bytes);
          return { image, kind, alpha: image.channels === 2 || image.channels === 4 };
        },
      });
    }
  }
  return slots;
}

export function varyMaterials(options: VaryMaterialsOptions = {}): Transform {
  const { materials: names, warn, ...rule } = options;
  const settings = vary.merge(null, rule)!;
  return async (document: Document): Promise<void> => {
    const services = { warn: warn ?? (() => {}) } as unknown as OperationServices;
    for (const [index, material] of document.getRoot().listMaterials().entries()) {
      const name = material.getName() || `material #${index}`;
      if (names && !names.includes(material.getName())) continue;
      const slots = await slotsOf(material);
      if (!slots.size) continue;
      await vary.material!.apply(settings, {
        asset: '',
        name,
        slots,
        document,
        material,
        createTexture: async (image, { name: textureName, kind }: { name: string; kind: TextureKind }) =>
          document.createTexture(textureName).setImage(await encodeImage(image, 'png', 90, kind)).setMimeType('image/png').setURI(`${textureName}.png`),
      }, services);
    }
  };
}
