/**
 * An image file used by several models holds one result. When the models want different results from
 * it — colour in one and a normal map in the other, or different rules (x2 vs an x4 sidecar) — whichever
 * committed first would win in one run and the other in the next (the first then reported "unchanged"
 * over the other's texture). The disagreement is decided over the whole plan instead, from the models'
 * JSON and rules alone: every model sharing the image is left unchanged and fails, on every run.
 */
import type { PlatformIO } from '@gltf-transform/core';
import { resolveActions } from '../config/resolve';
import type { SourcedRule } from '../config/types';
import { listExternalResources, parseContainer } from '../gltf/io';
import { slotKind } from '../gltf/slots';
import { hashValue } from '../state/hash';
import type { StateData } from '../state/store';
import { inspectFile, originalBytes } from './file-source';
import type { PlannedAsset } from './plan';

type JSONObject = Record<string, unknown>;

/**
 * Marks `blocked` every model sharing an image file with another model that wants a different result.
 * `rulesFor(key)` gives the rules of one asset (project rules and its sidecar).
 */
export async function blockDisagreeingSharers(root: string, state: StateData, io: PlatformIO, assets: PlannedAsset[], rulesFor: (key: string) => Promise<SourcedRule[]>): Promise<void> {
  const wants = new Map<string, Map<string, { want: string; use: string }>>(); // image rel → model → what it wants
  // Only models that share a file with another model (as the plan sees them) need a closer look.
  const users = new Map<string, number>();
  for (const asset of assets) if (asset.type !== 'texture') for (const rel of asset.files) users.set(rel, (users.get(rel) ?? 0) + 1);
  for (const asset of assets) {
    if (asset.type === 'texture' || asset.blocked || !asset.files.some((rel) => rel !== asset.key && users.get(rel)! > 1)) continue;
    let json: JSONObject;
    try {
      const bytes = await originalBytes(root, await inspectFile(root, state, asset.key));
      if (!bytes) continue;
      json = (await parseContainer(io, bytes, asset.type)).json as unknown as JSONObject;
    } catch {
      continue; // a broken model fails on its own when processed
    }
    let resources;
    try {
      resources = listExternalResources(root, asset.key, json as never);
    } catch {
      continue;
    }
    const slotsByImage = imageSlots(json);
    const images = (json.images as JSONObject[] | undefined) ?? [];
    for (const resource of resources.filter((r) => r.role === 'image')) {
      const index = images.findIndex((image) => image.uri === resource.uri);
      const slots = [...(slotsByImage.get(index) ?? [])].sort();
      if (slots.length === 0) continue;
      const kinds = [...new Set(slots.map((slot) => slotKind(slot)))];
      const actions = resolveActions(await rulesFor(asset.key), { path: asset.key, slots });
      const want = hashValue({ kinds, actions: actions && { ...actions, rules: undefined } });
      const use = `${slots.join('+')}${actions ? '' : ', no rule'}`;
      if (!wants.has(resource.rel)) wants.set(resource.rel, new Map());
      wants.get(resource.rel)!.set(asset.key, { want, use });
    }
  }
  const byKey = new Map(assets.map((a) => [a.key, a]));
  for (const [image, users] of wants) {
    if (new Set([...users.values()].map((u) => u.want)).size < 2) continue;
    const uses = [...users].map(([key, u]) => `${key} (${u.use})`).join(', ');
    for (const key of users.keys()) {
      const asset = byKey.get(key)!;
      asset.blocked ??= `${image} is shared by models that want different results from it: ${uses}; give them the same slot kind and rules (models sharing a texture are left unchanged)`;
    }
  }
}

/** Slot names (glTF Transform's, without `Texture`) each image index is used in, from the materials. */
function imageSlots(json: JSONObject): Map<number, Set<string>> {
  const textures = (json.textures as JSONObject[] | undefined) ?? [];
  const out = new Map<number, Set<string>>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as JSONObject)) {
      if (key.endsWith('Texture') && value && typeof value === 'object' && typeof (value as JSONObject).index === 'number') {
        const texture = textures[(value as JSONObject).index as number];
        for (const source of textureSources(texture)) {
          if (!out.has(source)) out.set(source, new Set());
          out.get(source)!.add(key.slice(0, -'Texture'.length));
        }
      }
      if (typeof value === 'object') visit(value);
    }
  };
  for (const material of (json.materials as unknown[] | undefined) ?? []) visit(material);
  return out;
}

/** Image indices a texture reads: `source` and any extension's `source` (EXT_texture_webp, KHR_texture_basisu). */
function textureSources(texture: JSONObject | undefined): number[] {
  if (!texture) return [];
  const sources = typeof texture.source === 'number' ? [texture.source] : [];
  for (const ext of Object.values((texture.extensions as Record<string, JSONObject> | undefined) ?? {})) {
    if (typeof ext?.source === 'number') sources.push(ext.source);
  }
  return sources;
}
