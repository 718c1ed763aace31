/**
 * The `pbr` pipeline operation: colour-only materials get the maps a PBR renderer needs.
 *
 * Rule: `"pbr": { "generate": ["normal", "roughness", "occlusion", "height"], "method": "cnn" }`.
 * - glTF material with a base colour texture: a missing `normalTexture` gets a generated normal map;
 *   a missing `metallicRoughnessTexture` and/or `occlusionTexture` gets ONE generated ORM texture
 *   (R occlusion, G roughness, B metallic = the material's `metallicFactor`, which then becomes 1:
 *   same rendering, and the texture carries it). glTF 2.0 has no height slot: height is not added
 *   to models. New textures use the base colour's UV set, sampler and KHR_texture_transform.
 * - Standalone colour texture `wall.png`: `wall_normal.png`, `wall_orm.png` (metallic 0) and, when
 *   asked, `wall_height.png` next to it.
 * A map the material (or file, by its siblings) already has is never replaced or shadowed.
 */
import * as path from 'path';
import type { Material, Texture, TextureInfo } from '@gltf-transform/core';
import { firstLine } from '../../config/errors';
import type { RawImage } from '../../types';
import type { AssetOperation, CheckServices, DerivedFile, DerivedTexture, FileInput, PlannedFile, Size } from '../types';
import { loadPbrModel, type PbrModel } from './cnn';
import { encodeGrey, encodeNormalMap, encodeOrm } from './encode';
import { DEFAULT_PBR_METHOD, estimatePbrFromColor } from './estimate';
import type { PbrMaps, PbrMethod } from './types';

/** Maps the operation can generate. */
export type PbrMapName = 'normal' | 'roughness' | 'occlusion' | 'height';
export const PBR_MAPS: readonly PbrMapName[] = ['normal', 'roughness', 'occlusion', 'height'];

/** The `pbr` value of a rule. */
export interface PbrRule {
  /** Maps to add where missing (default: all four). */
  generate?: PbrMapName[];
  /** Estimator (default: the shipped default, see DEFAULT_PBR_METHOD). */
  method?: PbrMethod;
}

/** Resolved settings: every field filled. */
export interface PbrSettings {
  generate: PbrMapName[];
  method: PbrMethod;
}

declare module '../types' {
  interface OperationRuleValues {
    /** Generate missing normal / roughness / occlusion / height maps from the base colour; false turns it off. */
    pbr?: PbrRule | false;
  }
  interface OperationSettingsValues {
    pbr?: PbrSettings | null;
  }
}

/** Sidecar suffixes of the standalone files the operation writes. */
export const PBR_FILE_SUFFIX = { normal: '_normal', orm: '_orm', height: '_height' } as const;

/** Sibling suffixes (config/defaults KIND_SUFFIXES) that mean the file already has that map. */
const HAS = {
  normal: ['_normal', '_normalgl', '_normaldx', '_nrm', '_nor', '_norm', '_n', '-normal', '-nrm', '-n', '_bump'],
  roughness: ['_roughness', '_rough', '_orm', '_arm', '_mr', '_gloss', '_specular', '_spec'],
  occlusion: ['_ao', '_occlusion', '_orm', '_arm'],
  height: ['_height', '_disp', '_displacement', '_bump'],
};

/**
 * One network per process, loaded on first use and kept: pipeline runs (and watch jobs) each get a
 * new engine, and a session per engine would pile up native memory in a long watch. The model is
 * small (~0.6 MB of weights).
 */
let shared: Promise<PbrModel> | undefined;

function sharedModel(): Promise<PbrModel> {
  if (!shared) {
    shared = loadPbrModel({ device: 'cpu' });
    shared.catch(() => {
      shared = undefined; // let a later asset retry (and fail with its own one-line error)
    });
  }
  return shared;
}

async function estimate(settings: PbrSettings, image: RawImage, wrap: boolean): Promise<PbrMaps> {
  const rgba = toRgba(image);
  const model = settings.method === 'cnn' ? await sharedModel() : undefined;
  return estimatePbrFromColor(rgba, image.width, image.height, { method: settings.method, model, seamless: wrap });
}

/** Any 1-4 channel 8-bit image as RGBA (grey replicated, opaque when there is no alpha). */
export function toRgba(image: RawImage): Uint8Array {
  const { width, height, channels, data } = image;
  if (channels === 4) return data;
  const n = width * height;
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const s = i * channels;
    const grey = channels <= 2;
    out[4 * i] = data[s];
    out[4 * i + 1] = grey ? data[s] : data[s + 1];
    out[4 * i + 2] = grey ? data[s] : data[s + 2];
    out[4 * i + 3] = channels === 2 ? data[s + 1] : 255;
  }
  return out;
}

/** What a material lacks, of what the settings ask for. */
function missingOnMaterial(settings: PbrSettings, material: Material): { normal: boolean; roughness: boolean; occlusion: boolean } {
  return {
    normal: settings.generate.includes('normal') && !material.getNormalTexture(),
    roughness: settings.generate.includes('roughness') && !material.getMetallicRoughnessTexture(),
    occlusion: settings.generate.includes('occlusion') && !material.getOcclusionTexture(),
  };
}

/** What a standalone texture lacks, judged by its sibling files. */
function missingOnFile(settings: PbrSettings, input: FileInput): { normal: boolean; orm: boolean; height: boolean } {
  const has = (k: keyof typeof HAS) => input.siblings.some((s) => HAS[k].includes(s.suffix));
  const wants = (k: PbrMapName) => settings.generate.includes(k);
  const ormWanted = wants('roughness') || wants('occlusion');
  return {
    normal: wants('normal') && !has('normal'),
    // One ORM file, only when neither part exists already: a half-generated ORM next to the user's own
    // roughness or AO map would compete with it in whatever engine imports the folder.
    orm: ormWanted && !has('roughness') && !has('occlusion'),
    height: wants('height') && !has('height'),
  };
}

function fileStem(asset: string): { dir: string; stem: string } {
  const dir = path.posix.dirname(asset);
  const stem = path.posix.basename(asset, path.posix.extname(asset));
  return { dir, stem };
}

function relOf(dir: string, name: string): string {
  return dir === '.' ? name : `${dir}/${name}`;
}

/** A texture name not used by any texture of the document yet (`wall_normal`, `wall_normal_2`). */
function uniqueName(material: Material, base: string): string {
  const root = material.getGraph().listParents(material).find((p) => p.propertyType === 'Root') as unknown as
    | { listTextures(): Texture[] }
    | undefined;
  const taken = new Set((root?.listTextures() ?? []).flatMap((t) => [t.getName(), path.posix.basename(t.getURI(), path.posix.extname(t.getURI()))]));
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  return name;
}

/** The stem new textures are named after: the base colour image's file name, else its or the material's name. */
function baseName(base: Texture | null, materialName: string): string {
  const uri = base?.getURI() ?? '';
  const fromUri = uri && !uri.startsWith('data:') ? path.posix.basename(uri, path.posix.extname(uri)) : '';
  const raw = fromUri || base?.getName() || materialName;
  return raw.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'material';
}

/** New texture infos follow the base colour's: same UV set, wrap and filter modes, texture transform. */
function copyTextureInfo(from: TextureInfo | null, to: TextureInfo | null): void {
  if (!from || !to) return;
  to.setTexCoord(from.getTexCoord());
  to.setWrapS(from.getWrapS());
  to.setWrapT(from.getWrapT());
  to.setMagFilter(from.getMagFilter());
  to.setMinFilter(from.getMinFilter());
  const transform = from.getExtension('KHR_texture_transform');
  if (transform) to.setExtension('KHR_texture_transform', (transform as unknown as { clone(): typeof transform }).clone());
}

/** The base colour tiles (REPEAT on both axes, glTF's default): filters wrap around its edges. */
function tiles(info: TextureInfo | null): boolean {
  const REPEAT = 10497;
  return !info || (info.getWrapS() === REPEAT && info.getWrapT() === REPEAT);
}

const PBR_SCHEMA = {
  description: 'Generate missing normal / roughness / occlusion / height maps from the base colour; false turns it off.',
  oneOf: [
    { const: false },
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        generate: {
          description: 'Maps to add where the material or texture lacks them (default: all four). Height is written for standalone textures only (glTF 2.0 has no height slot).',
          type: 'array',
          items: { enum: [...PBR_MAPS] },
          uniqueItems: true,
          minItems: 1,
        },
        method: {
          description: '"cnn" (the trained network, models/pbr/remaster-pbr.onnx) or "heuristic" (Materialize-style, from luminance).',
          enum: ['cnn', 'heuristic'],
        },
      },
    },
  ],
};

export const pbr: AssetOperation<PbrRule, PbrSettings> = {
  key: 'pbr',
  shape: 'asset',
  // '2': remaster-pbr v2 (learned linear prior + U-Net) replaced v1, so `cnn` output changed.
  version: '2',
  fingerprint: { PBR_DEFAULT_METHOD: DEFAULT_PBR_METHOD },
  schema: PBR_SCHEMA,

  merge(earlier, value) {
    if (value === false) return null;
    const generate = value.generate ?? earlier?.generate ?? [...PBR_MAPS];
    return {
      generate: PBR_MAPS.filter((m) => generate.includes(m)),
      method: value.method ?? earlier?.method ?? DEFAULT_PBR_METHOD,
    };
  },

  async check(value: PbrRule, _services: CheckServices) {
    if ((value.method ?? DEFAULT_PBR_METHOD) !== 'cnn') return;
    try {
      const model = await loadPbrModel({ device: 'cpu' });
      await model.release();
    } catch (err) {
      return { field: 'method', message: firstLine(err) };
    }
  },

  material: {
    plan(settings, input) {
      const base = input.slots.get('baseColor');
      if (!base) return [];
      const has = (slot: string) => input.slots.has(slot);
      // Same names as apply gives (apply may add _2 where a texture of that name exists).
      const stem = baseName(base.texture, input.name);
      const out: DerivedTexture[] = [];
      if (settings.generate.includes('normal') && !has('normal')) {
        out.push({ name: `${stem}_normal`, slots: ['normal'], kind: 'normal', size: base.size, engine: settings.method });
      }
      const ormSlots = [
        ...(settings.generate.includes('roughness') && !has('metallicRoughness') ? ['metallicRoughness'] : []),
        ...(settings.generate.includes('occlusion') && !has('occlusion') ? ['occlusion'] : []),
      ];
      if (ormSlots.length) out.push({ name: `${stem}_orm`, slots: ormSlots, kind: 'data', size: base.size, engine: settings.method });
      return out;
    },

    async apply(settings, input) {
      const { material } = input;
      const base = input.slots.get('baseColor');
      if (!base || !material.getBaseColorTexture()) return [];
      const missing = missingOnMaterial(settings, material);
      if (!missing.normal && !missing.roughness && !missing.occlusion) return [];
      const baseInfo = material.getBaseColorTextureInfo();
      const { image } = await base.read();
      const maps = await estimate(settings, image, tiles(baseInfo));
      const size: Size = { width: image.width, height: image.height };
      const stem = baseName(material.getBaseColorTexture(), input.name);
      const added: DerivedTexture[] = [];
      if (missing.normal) {
        const name = uniqueName(material, `${stem}_normal`);
        const texture = await input.createTexture(encodeNormalMap(maps), { name, kind: 'normal' });
        material.setNormalTexture(texture);
        copyTextureInfo(baseInfo, material.getNormalTextureInfo());
        added.push({ name, slots: ['normal'], kind: 'normal', size, engine: maps.engine });
      }
      if (missing.roughness || missing.occlusion) {
        // Metallic moves into the texture's B channel (glTF multiplies factor and texture).
        const metallic = missing.roughness ? material.getMetallicFactor() : 0;
        const name = uniqueName(material, `${stem}_orm`);
        const texture = await input.createTexture(encodeOrm(maps, { metallic }), { name, kind: 'data' });
        const slots: string[] = [];
        if (missing.roughness) {
          material.setMetallicRoughnessTexture(texture);
          material.setMetallicFactor(1);
          copyTextureInfo(baseInfo, material.getMetallicRoughnessTextureInfo());
          slots.push('metallicRoughness');
        }
        if (missing.occlusion) {
          material.setOcclusionTexture(texture);
          copyTextureInfo(baseInfo, material.getOcclusionTextureInfo());
          slots.push('occlusion');
        }
        added.push({ name, slots, kind: 'data', size, engine: maps.engine });
      }
      return added;
    },
  },

  file: {
    plan(settings, input) {
      if (input.kind !== 'color') return [];
      const missing = missingOnFile(settings, input);
      const { dir, stem } = fileStem(input.asset);
      const out: PlannedFile[] = [];
      if (missing.normal) out.push({ rel: relOf(dir, `${stem}${PBR_FILE_SUFFIX.normal}.png`), kind: 'normal', size: input.size, engine: settings.method });
      if (missing.orm) out.push({ rel: relOf(dir, `${stem}${PBR_FILE_SUFFIX.orm}.png`), kind: 'data', size: input.size, engine: settings.method });
      if (missing.height) out.push({ rel: relOf(dir, `${stem}${PBR_FILE_SUFFIX.height}.png`), kind: 'data', size: input.size, engine: settings.method });
      return out;
    },

    async apply(settings, input) {
      if (input.kind !== 'color') return [];
      const missing = missingOnFile(settings, input);
      if (!missing.normal && !missing.orm && !missing.height) return [];
      const { image } = await input.read();
      // Standalone game textures are tiled on surfaces: estimate with wrapped edges.
      const maps = await estimate(settings, image, true);
      const { dir, stem } = fileStem(input.asset);
      const out: DerivedFile[] = [];
      if (missing.normal) out.push({ rel: relOf(dir, `${stem}${PBR_FILE_SUFFIX.normal}.png`), kind: 'normal', image: encodeNormalMap(maps), engine: maps.engine });
      if (missing.orm) out.push({ rel: relOf(dir, `${stem}${PBR_FILE_SUFFIX.orm}.png`), kind: 'data', image: encodeOrm(maps), engine: maps.engine });
      if (missing.height) {
        out.push({ rel: relOf(dir, `${stem}${PBR_FILE_SUFFIX.height}.png`), kind: 'data', image: encodeGrey(maps.heightMap, maps.width, maps.height), engine: maps.engine });
      }
      return out;
    },
  },
};
