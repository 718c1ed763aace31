/**
 * `vary` as a pipeline operation (rule key `vary`: `{ count, seed, size, variation, tile }`), an asset
 * operation of both shapes:
 * - on a glTF/GLB material: N variant materials (every textured slot varied with one shared layout per
 *   variant) switched by KHR_materials_variants; variant k of every varied material of the model is
 *   listed under one variant named `vary-<k>`, so one switch changes them all;
 * - on a standalone colour texture: `<stem>-v<k>.<ext>` beside it, with its map siblings
 *   (`wall_norm.png` → `wall-v<k>_norm.png`). A map file on its own (`wall_norm.png`) is varied with its
 *   colour texture, never alone.
 * The pipeline writes and records the outputs (restore removes them, watch knows them, a second run is a
 * no-op); this file only derives them.
 */

import sharp from 'sharp';
import { KHRMaterialsVariants, type Variant as GltfVariant } from '@gltf-transform/extensions';
import type { Material, Primitive, Texture } from '@gltf-transform/core';
import type { RawImage, TextureKind } from '../../types';
import type { AssetOperation, DerivedTexture, OperationServices, PlannedFile, Size } from '../types';
import { unitNormal } from '../../engine/normal';
import { toByte } from '../../engine/pixels';
import { MAX_COUNT, MAX_SIDE, varyTexture } from './vary-texture';
import type { VaryMap } from './types';
import { describeMisses, type VaryCheck } from './self-check';

/** The `vary` value of a rule (every field optional; earlier rules' fields carry over). */
export interface VaryRule {
  /** Number of variants. Default 4. */
  count?: number;
  /** Seed; the same seed gives the same bytes. Default 1. */
  seed?: number;
  /** Output size: a side (square) or [width, height]. Default: the texture's. */
  size?: number | [number, number];
  /** 0 faithful .. 1 novel. Default 0.5. */
  variation?: number;
  /** Make the output tile even when the texture does not. Default: tile exactly when the texture tiles. */
  tile?: boolean;
}

export interface VarySettings {
  count: number;
  seed: number;
  size: [number, number] | null;
  variation: number;
  tile: boolean | null;
}

declare module '../types' {
  interface OperationRuleValues {
    /** Tileable variations of each texture set (glTF: KHR_materials_variants; files: -v<k> siblings). */
    vary?: VaryRule | false;
  }
  interface OperationSettingsValues {
    vary?: VarySettings | null;
  }
}

const ENGINE = 'vary';

function outputSize(settings: VarySettings, input: Size): Size {
  return settings.size ? { width: settings.size[0], height: settings.size[1] } : input;
}

function optionsOf(settings: VarySettings, size: Size) {
  return { count: settings.count, seed: settings.seed, variation: settings.variation, tile: settings.tile ?? undefined, width: size.width, height: size.height };
}

/** `dir/wall.png` + k → `dir/wall-v<k>.png`; a sibling `dir/wall_norm.png` → `dir/wall-v<k>_norm.png`. */
export function variantRel(assetRel: string, k: number, suffixRel?: { rel: string; suffix: string }): string {
  const dot = assetRel.lastIndexOf('.');
  const stem = assetRel.slice(0, dot);
  if (!suffixRel) return `${stem}-v${k}${assetRel.slice(dot)}`;
  const sdot = suffixRel.rel.lastIndexOf('.');
  return `${stem}-v${k}${suffixRel.rel.slice(sdot - suffixRel.suffix.length, sdot)}${suffixRel.rel.slice(sdot)}`;
}

/** Resizes a map to the set's size (a glTF material's maps may differ); normals renormalised. */
async function toSize(image: RawImage, size: Size, kind: TextureKind): Promise<RawImage> {
  if (image.width === size.width && image.height === size.height) return image;
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
    .resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const out: RawImage = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: image.channels };
  if (kind === 'normal' && out.channels >= 3) {
    for (let o = 0; o < out.data.length; o += out.channels) {
      const [x, y, z] = unitNormal((out.data[o] / 255) * 2 - 1, (out.data[o + 1] / 255) * 2 - 1, (out.data[o + 2] / 255) * 2 - 1);
      out.data[o] = toByte((x + 1) / 2);
      out.data[o + 1] = toByte((y + 1) / 2);
      out.data[o + 2] = toByte((z + 1) / 2);
    }
  }
  return out;
}

/** Texture edge setter for each slot name, on a material or one of its extension properties. */
function replaceTexture(material: Material, from: Texture, to: Texture): void {
  const graph = material.getGraph();
  for (const owner of [material, ...graph.listChildren(material)]) {
    for (const edge of graph.listChildEdges(owner)) {
      if (edge.getChild() !== from) continue;
      const name = edge.getName();
      const setter = `set${name[0].toUpperCase()}${name.slice(1)}` as keyof typeof owner;
      const fn = owner[setter] as unknown;
      if (typeof fn === 'function') (fn as (t: Texture) => void).call(owner, to);
    }
  }
}

/** Extension properties (KHR_materials_*) are shared by clone(); give each variant its own copies so its textures are its own. */
function cloneMaterial(material: Material, name: string): Material {
  const copy = material.clone().setName(name);
  for (const ext of copy.listExtensions()) {
    const ownCopy = (ext as unknown as { clone(): typeof ext }).clone();
    copy.setExtension(ext.extensionName, ownCopy as never);
  }
  return copy;
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'material';
}

export const vary: AssetOperation<VaryRule, VarySettings> = {
  key: 'vary',
  shape: 'asset',
  version: '12', // 2: issue 10's later layouts (random-phase guide, novelty check on every layout); 3: colour maps re-matched to the exemplar's colours (colour-match.ts); 4: colour maps' radial power spectrum re-matched to the exemplar's (spectrum-match.ts); 5: a one-period lattice on a non-tiling exemplar falls back to free synthesis (vary-texture.ts); 6: period cells of an exemplar whose cells differ read random exemplar cells (period-cell.ts); 7: a tiling exemplar's spectrum target is read at no particular origin (spectrum-match.ts); 8: an exact repeat on a skewed lattice (a two-tile checkerboard) grows a sheared period cell (skewed-cell.ts); 9: coarse straight stripes (a ridge of the autocorrelation) are one period across, free along them (period.ts); 10: skewed cells whose cells differ grow a sheared cell and read random exemplar cells (skewed-cell.ts); 11: a novel layout whose finished lead map misses the spectrum target gives way to a later novel one within it (vary-texture.ts, self-check.ts spectrumShare); 12: the run-time check also reads the Gram distance (self-check.ts), so a variant set that misses faithfulness there gets its warning line in the asset's report (variant bytes unchanged) — re-derive earlier variants
  schema: {
    description: 'Tileable variations of each texture set: glTF materials get KHR_materials_variants, standalone textures <stem>-v<k> files with their map siblings; false turns it off.',
    oneOf: [
      { const: false },
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          count: { description: 'Number of variants (default 4).', type: 'integer', minimum: 1, maximum: MAX_COUNT },
          seed: { description: 'Seed: the same seed gives byte-identical variants (default 1).', type: 'integer' },
          size: {
            description: 'Output size: a side (square) or [width, height] (default: the texture\'s).',
            oneOf: [
              { type: 'integer', minimum: 32, maximum: MAX_SIDE },
              { type: 'array', items: { type: 'integer', minimum: 32, maximum: MAX_SIDE }, minItems: 2, maxItems: 2 },
            ],
          },
          variation: { description: '0 faithful (large copied regions) .. 1 novel (default 0.5).', type: 'number', minimum: 0, maximum: 1 },
          tile: { description: 'Make the output tile even if the texture does not (default: tile when the texture tiles).', type: 'boolean' },
        },
      },
    ],
  },

  merge(earlier, value) {
    if (value === false) return null;
    const size = value.size === undefined ? (earlier?.size ?? null) : typeof value.size === 'number' ? ([value.size, value.size] as [number, number]) : value.size;
    return {
      count: value.count ?? earlier?.count ?? 4,
      seed: value.seed ?? earlier?.seed ?? 1,
      size,
      variation: value.variation ?? earlier?.variation ?? 0.5,
      tile: value.tile ?? earlier?.tile ?? null,
    };
  },

  file: {
    plan(settings, input): PlannedFile[] {
      if (input.kind !== 'color') return [];
      const size = outputSize(settings, input.size);
      const out: PlannedFile[] = [];
      for (let k = 1; k <= settings.count; k++) {
        out.push({ rel: variantRel(input.asset, k), kind: input.kind, size, engine: ENGINE });
        for (const s of input.siblings) out.push({ rel: variantRel(input.asset, k, s), kind: s.kind, size, engine: ENGINE });
      }
      return out;
    },
    async apply(settings, input, services) {
      if (input.kind !== 'color') return [];
      const lead = await input.read();
      const maps: VaryMap[] = [{ slot: 'color', kind: input.kind, image: lead.image }];
      for (const s of input.siblings) {
        const img = await s.read();
        if (img.image.width !== lead.image.width || img.image.height !== lead.image.height) {
          throw new Error(`${s.rel}: ${img.image.width}x${img.image.height} does not match ${input.asset} ${lead.image.width}x${lead.image.height} (all maps must be the same size)`);
        }
        maps.push({ slot: s.suffix, kind: s.kind, image: img.image });
      }
      const result = varyTexture(maps, optionsOf(settings, outputSize(settings, input.size)));
      warnMisses(result.check, services);
      return result.variants.flatMap((v) =>
        v.maps.map((m, i) => ({
          rel: i === 0 ? variantRel(input.asset, v.index) : variantRel(input.asset, v.index, input.siblings[i - 1]),
          kind: m.kind,
          image: m.image,
          engine: ENGINE,
        })),
      );
    },
  },

  material: {
    plan(settings, input): DerivedTexture[] {
      const textures = distinctTextures(input.slots);
      if (!textures.length) return [];
      const size = outputSize(settings, textures[0].size);
      const out: DerivedTexture[] = [];
      for (let k = 1; k <= settings.count; k++) {
        for (const t of textures) out.push({ name: textureName(input.name, k, t.slots), slots: t.slots, kind: t.kind, size, engine: ENGINE });
      }
      return out;
    },
    async apply(settings, input, services) {
      const textures = distinctTextures(input.slots);
      if (!textures.length) return [];
      const lead = textures[0];
      const leadSize = lead.size;
      const maps: VaryMap[] = [];
      for (const t of textures) {
        const img = await t.read();
        if (img.image.width !== leadSize.width || img.image.height !== leadSize.height) {
          services.warn(`${t.slots.join('+')} is ${img.image.width}x${img.image.height}, resized to ${leadSize.width}x${leadSize.height} to vary with ${lead.slots.join('+')}`);
        }
        maps.push({ slot: t.slots.join('+'), kind: t.kind, image: await toSize(img.image, leadSize, t.kind) });
      }
      const result = varyTexture(maps, optionsOf(settings, outputSize(settings, leadSize)));
      warnMisses(result.check, services);
      const ext = input.document.createExtension(KHRMaterialsVariants);
      const primitives = input.document.getRoot().listMeshes().flatMap((mesh) => mesh.listPrimitives()).filter((p) => p.getMaterial() === input.material);
      const out: DerivedTexture[] = [];
      for (const v of result.variants) {
        const material = cloneMaterial(input.material, `${input.name} v${v.index}`);
        for (let i = 0; i < textures.length; i++) {
          const name = textureName(input.name, v.index, textures[i].slots);
          const texture = await input.createTexture(v.maps[i].image, { name, kind: textures[i].kind });
          replaceTexture(material, textures[i].texture, texture);
          out.push({ name, slots: textures[i].slots, kind: textures[i].kind, size: { width: v.maps[i].image.width, height: v.maps[i].image.height }, engine: ENGINE });
        }
        const variant = findOrCreateVariant(ext, `vary-${v.index}`);
        for (const prim of primitives) addMapping(ext, prim, variant, material);
      }
      return out;
    },
  },
};

/** A target the variants miss (self-check.ts) goes into the asset's report as one warning line. */
function warnMisses(check: VaryCheck | undefined, services: OperationServices): void {
  const line = check && describeMisses(check);
  if (line) services.warn(line);
}

interface SlotTexture {
  texture: Texture;
  kind: TextureKind;
  size: Size;
  slots: string[];
  read(): Promise<{ image: RawImage }>;
}

/** The material's distinct textures (an ORM texture in two slots is varied once), colour first. */
function distinctTextures(slots: ReadonlyMap<string, { texture: Texture; kind: TextureKind; size: Size; read(): Promise<{ image: RawImage }> }>): SlotTexture[] {
  const byTexture = new Map<Texture, SlotTexture>();
  for (const [slot, t] of slots) {
    const found = byTexture.get(t.texture);
    if (found) found.slots.push(slot);
    else byTexture.set(t.texture, { texture: t.texture, kind: t.kind, size: t.size, slots: [slot], read: t.read });
  }
  const rank = (t: SlotTexture) => (t.slots.includes('baseColor') ? 0 : t.kind === 'color' ? 1 : t.kind === 'normal' ? 2 : 3);
  return [...byTexture.values()].sort((a, b) => rank(a) - rank(b));
}

function textureName(material: string, k: number, slots: string[]): string {
  return `${safeName(material)}_v${k}_${slots.join('_')}`;
}

function findOrCreateVariant(ext: KHRMaterialsVariants, name: string): GltfVariant {
  return ext.listVariants().find((v) => v.getName() === name) ?? ext.createVariant(name);
}

function addMapping(ext: KHRMaterialsVariants, prim: Primitive, variant: GltfVariant, material: Material): void {
  let list = prim.getExtension<ReturnType<KHRMaterialsVariants['createMappingList']>>('KHR_materials_variants');
  if (!list) {
    list = ext.createMappingList();
    prim.setExtension('KHR_materials_variants', list);
  }
  list.addMapping(ext.createMapping().setMaterial(material).addVariant(variant));
}
