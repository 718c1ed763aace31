/**
 * What each texture of a model is used for. Slot names are glTF Transform's texture edge names without
 * the `Texture` suffix: baseColor, normal, metallicRoughness, occlusion, emissive, and the KHR_materials_*
 * ones (clearcoat, clearcoatNormal, sheenColor, specularColor, transmission, ...).
 */
import type { Texture } from '@gltf-transform/core';
import type { TextureKind } from '../types';

/** Slots holding tangent-space normals. */
const NORMAL_SLOTS = new Set(['normal', 'clearcoatNormal']);

/**
 * Slots holding sRGB colour. glTF Transform also flags colour edges (`isColor`); this list covers the
 * extension slots whose spec says sRGB, should an edge not carry the flag.
 */
const COLOR_SLOTS = new Set(['baseColor', 'emissive', 'sheenColor', 'specularColor', 'diffuseTransmissionColor', 'diffuse', 'specularGlossiness']);

export interface TextureUsage {
  /** Distinct slots the texture is used in (material core slots and extension slots). */
  slots: string[];
  /** Kind every slot agrees on; null when slots disagree (e.g. used as baseColor and as normal). */
  kind: TextureKind | null;
  /** Kind per slot, for the conflict message. */
  kindBySlot: Record<string, TextureKind>;
}

export function slotKind(slot: string, isColorEdge = false): TextureKind {
  if (NORMAL_SLOTS.has(slot)) return 'normal';
  if (isColorEdge || COLOR_SLOTS.has(slot)) return 'color';
  return 'data';
}

export function textureUsage(texture: Texture): TextureUsage {
  const graph = texture.getGraph();
  const kindBySlot: Record<string, TextureKind> = {};
  for (const edge of graph.listParentEdges(texture)) {
    const name = edge.getName();
    if (name === 'textures') continue; // the Root's list, not a use
    const slot = name.endsWith('Texture') ? name.slice(0, -'Texture'.length) : name;
    kindBySlot[slot] = slotKind(slot, Boolean((edge.getAttributes() as { isColor?: boolean }).isColor));
  }
  const slots = Object.keys(kindBySlot);
  const kinds = new Set(Object.values(kindBySlot));
  return { slots, kind: kinds.size === 1 ? [...kinds][0] : null, kindBySlot };
}
