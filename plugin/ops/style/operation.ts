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
  /**
   * Set-level tone (method `stats`): the most of the way, 0..1, each texture's brightness moves toward the
   * reference's. Default: each as far as its layout allows (the textures move by different amounts); one
   * value on a folder's rule moves its textures together.
   */
  tone?: number;
  /**
   * Method `stats`: add the reference's colour grain (its brightness-independent colour variation, seeded
   * and tiling). Default true; false keeps only the grade.
   */
  grain?: boolean;
}

/** Resolved `style` settings. */
export interface StyleSettings {
  reference: string | null;
  strength: number;
  seamless: boolean;
  seed: number;
  method: StyleMethod;
  kinds: TextureKind[];
  /** Present only when a rule sets it, so settings (and fingerprints) made before the key existed are unchanged. */
  tone?: number;
  /** Present only as `false` (a rule turned the grain off), so earlier settings and fingerprints are unchanged. */
  grain?: false;
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
  version: '8', // 8: sixteenth pass (the tiling guard reads each wrap edge against its own direction); 7: fourteenth pass (the windows centred in SSIM¼'s blind frame must keep the layout too, on their own mean); 6: thirteenth pass (luma grain ranked from the input's own luma, not the transported one's); 5: eighth pass (rank dither, colour at the kept luma, SSIM¼ bound 0.70); 2: stats method of issue 12's later passes (per-texture shift, luma-exact gamut); 3: its move chosen among candidates by style distance (sixth pass); 4: the reference's colour grain (seventh pass): re-derive earlier styled assets
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
          tone: { description: 'Set-level tone, method "stats" only: the most of the way (0..1) each texture\'s brightness moves toward the reference\'s. Default: each texture as far as its layout allows; one value for a folder moves its textures together.', type: 'number', minimum: 0, maximum: 1 },
          grain: { description: 'Method "stats" only: add the reference\'s colour grain (its colour variation that brightness does not predict; seeded, tiling). Default true; false keeps only the grade (palette and brightness).', type: 'boolean' },
        },
      },
    ],
  },

  merge(earlier, value) {
    if (value === false) return null;
    const tone = value.tone ?? earlier?.tone;
    const grain = value.grain ?? earlier?.grain;
    return {
      reference: value.reference ?? earlier?.reference ?? null,
      strength: value.strength ?? earlier?.strength ?? 1,
      seamless: value.seamless ?? earlier?.seamless ?? false,
      seed: value.seed ?? earlier?.seed ?? 0,
      method: value.method ?? earlier?.method ?? 'stats',
      kinds: value.kinds ?? earlier?.kinds ?? ['color'],
      ...(tone !== undefined ? { tone } : {}),
      ...(grain === false ? { grain: false as const } : {}),
    };
  },

  inputFiles(value) {
    return value.reference ? [value.reference] : [];
  },

  async check(value, { root }) {
    if (value.tone !== undefined && value.method !== undefined && value.method !== 'stats') return { field: 'tone', message: `applies to method "stats" only, not "${value.method}"` };
    if (value.grain === false && value.method !== undefined && value.method !== 'stats') return { field: 'grain', message: `applies to method "stats" only, not "${value.method}"` };
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
    if (settings.tone !== undefined && settings.method !== 'stats') throw new Error(`style: "tone" applies to method "stats" only, not "${settings.method}"`);
    if (settings.grain === false && settings.method !== 'stats') throw new Error(`style: "grain" applies to method "stats" only, not "${settings.method}"`);
    return { after: size, engine: `style-${settings.method}` };
  },

  async apply(settings, { image }, step, { root }) {
    const reference = await loadProjectReference(root, settings.reference as string);
    const styled = await styleTexture(image, reference, { strength: settings.strength, seamless: settings.seamless, seed: settings.seed, method: settings.method, tone: settings.tone, grain: settings.grain });
    return { image: styled, engine: step.engine };
  },
};
