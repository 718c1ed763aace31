/**
 * A KHR_texture_basisu texture may name a PNG/JPEG `source` as a fallback for loaders without KTX2.
 * glTF Transform reads only the KTX2 image and writes the texture without its fallback (the fallback
 * image stays in `images`, unreferenced): a rewritten model would lose it. This remembers each pair at
 * read time and puts `source` back after write.
 */
import type { Document, JSONDocument, Texture } from '@gltf-transform/core';
import { KHRTextureBasisu } from '@gltf-transform/extensions';

const BASISU = KHRTextureBasisu.EXTENSION_NAME;

interface TextureDef {
  source?: number;
  extensions?: Record<string, { source?: number } | undefined>;
}

/** KTX2 texture (image) → its fallback texture (image), per read document. */
const fallbacks = new WeakMap<Texture, Texture>();

/**
 * The (KTX2 image, fallback image) index pairs of a model's JSON. Take them before reading: the
 * extension's reader overwrites each `source` with the KTX2 one.
 */
export function basisuFallbacks(json: JSONDocument['json']): [ktx2: number, fallback: number][] {
  return ((json.textures ?? []) as TextureDef[]).flatMap((def) => {
    const ktx2 = def.extensions?.[BASISU]?.source;
    return ktx2 !== undefined && def.source !== undefined && def.source !== ktx2 ? [[ktx2, def.source] as [number, number]] : [];
  });
}

/** Links the read document's textures as the pairs say (glTF Transform makes one Texture per image, in order). */
export function rememberFallbacks(doc: Document, pairs: [number, number][]): void {
  const textures = doc.getRoot().listTextures();
  for (const [ktx2, fallback] of pairs) if (textures[ktx2] && textures[fallback]) fallbacks.set(textures[ktx2], textures[fallback]);
}

/** Puts the fallback `source` back on written KTX2 textures (glTF Transform writes image i = texture i). */
export function restoreFallbacks(doc: Document, json: JSONDocument['json']): void {
  const textures = doc.getRoot().listTextures();
  for (const def of (json.textures ?? []) as TextureDef[]) {
    const ktx2 = def.extensions?.[BASISU]?.source;
    if (ktx2 === undefined || def.source !== undefined) continue;
    const fallback = textures[ktx2] && fallbacks.get(textures[ktx2]);
    const index = fallback ? textures.indexOf(fallback) : -1;
    if (index >= 0) def.source = index;
  }
}
