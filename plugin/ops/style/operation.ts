/**
 * The `style` pipeline operation: per texture, before upscaling, give colour textures the look of a
 * reference image inside the project. Rule value:
 *
 *   "style": { "reference": "art/ref.png", "strength": 0.6 }
 *
 * Normal and data maps are left alone unless `kinds` lists them. The reference file's content hash
 * enters the fingerprint (`inputFiles`), so replacing the painting re-styles the textures.
 */

import { firstLine } from '../../config/errors';
import type { TextureKind } from '../../types';
import { TEXTURE_ORDER, type TextureOperation } from '../types';
import { checkProjectReference, loadProjectReference } from './project-reference';
import { STYLE_METHODS, styleTexture, type StyleMethod } from './style-texture';

/** The `style` value of a rule (fields merge over earlier rules' values). */
export interface StyleRule {
  /** Reference image, relative to the project root, inside the project. */
  reference?: string;
  /** 0 (unchanged) .. 1 (full). Default 1. */
  strength?: number;
  /** The texture tiles: keep it tiling. Default false. */
  seamless?: boolean;
  /** Seed of the random choices. Default 0. */
  seed?: number;
  /** Default `stats`. */
  method?: StyleMethod;
  /** Texture kinds styled. Default `["color"]`: normal and data maps untouched. */
  kinds?: TextureKind[];
}

/** Resolved `style` settings. */
export interface StyleSettings {
  reference: string | null;
  strength: number;
  seamless: boolean;
  seed: number;
  method: StyleMethod;
  kinds: TextureKind[];
}

declare module '../types' {
  interface OperationRuleValues {
    /** Style transfer after a reference image; false turns off a style set by an earlier rule. */
    style?: StyleRule | false;
  }
  interface OperationSettingsValues {
    style?: StyleSettings | null;
  }
}

export const style: TextureOperation<StyleRule, StyleSettings> = {
  key: 'style',
  shape: 'texture',
  order: TEXTURE_ORDER.style,
  version: '2', // 2: stats method of issue 12's later passes (per-texture shift, luma-exact gamut): re-derive earlier styled assets
  schema: {
    description: 'Give textures the look (palette, grain, contrast) of a reference image; false turns off a style set by an earlier rule.',
    oneOf: [
      { const: false },
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          reference: { description: 'Reference image (8-bit PNG, JPEG or WebP), a path relative to the project root, inside the project.', type: 'string', minLength: 1 },
          strength: { description: '0 (unchanged) to 1 (full style). Default 1.', type: 'number', minimum: 0, maximum: 1 },
          seamless: { description: 'The texture tiles: keep it tiling (wrap-around filters).', type: 'boolean' },
          seed: { description: 'Seed of the random projections/filters. Default 0.', type: 'integer', minimum: 0, maximum: 4294967295 },
          method: { description: '"stats" (layout-keeping colour and grain transfer, default), "stats-bands" (stronger texture change, weaker layout) or "gram" (random-filter Gram optimisation).', enum: [...STYLE_METHODS] },
          kinds: { description: 'Texture kinds styled. Default ["color"]: normal and data maps untouched.', type: 'array', items: { enum: ['color', 'normal', 'data'] }, uniqueItems: true },
        },
      },
    ],
  },

  merge(earlier, value) {
    if (value === false) return null;
    return {
      reference: value.reference ?? earlier?.reference ?? null,
      strength: value.strength ?? earlier?.strength ?? 1,
      seamless: value.seamless ?? earlier?.seamless ?? false,
      seed: value.seed ?? earlier?.seed ?? 0,
      method: value.method ?? earlier?.method ?? 'stats',
      kinds: value.kinds ?? earlier?.kinds ?? ['color'],
    };
  },

  inputFiles(value) {
    return value.reference ? [value.reference] : [];
  },

  async check(value, { root }) {
    if (value.reference === undefined) return;
    try {
      await checkProjectReference(root, value.reference);
    } catch (err) {
      return { field: 'reference', message: firstLine(err) };
    }
  },

  plan(settings, { size, kind }) {
    if (!settings.kinds.includes(kind) || settings.strength === 0) return null;
    if (!settings.reference) throw new Error('style: no "reference" image set by any rule');
    return { after: size, engine: `style-${settings.method}` };
  },

  async apply(settings, { image }, step, { root }) {
    const reference = await loadProjectReference(root, settings.reference as string);
    const styled = await styleTexture(image, reference, { strength: settings.strength, seamless: settings.seamless, seed: settings.seed, method: settings.method });
    return { image: styled, engine: step.engine };
  },
};
