/**
 * `upscale`: enlarge each texture by an integer factor with a neural model (or Lanczos), kind-aware.
 * The first operation; the model runtime it uses (plugin/engine) is shared with every other one.
 */
import { DEFAULT_MODEL, DEFAULT_SCALE } from '../../config/defaults';
import { firstLine } from '../../config/errors';
import { TEXTURE_ORDER, type TextureOperation } from '../types';

/** The `upscale` value of a rule (every field optional; earlier rules' fields carry over). */
export interface UpscaleRule {
  scale?: 2 | 4;
  /** `"lanczos"`, the name of a shipped model (models/*.onnx) or a path to an .onnx file. */
  model?: string;
  /** The texture tiles: resample with wrap-around so the result still tiles. */
  seamless?: boolean;
}

/** Resolved `upscale` settings: every field filled. */
export interface UpscaleSettings {
  scale: 2 | 4;
  model: string;
  seamless: boolean;
}

declare module '../types' {
  interface OperationRuleValues {
    /** Upscale by an integer factor; false turns off an upscale set by an earlier rule. */
    upscale?: UpscaleRule | false;
  }
  interface OperationSettingsValues {
    upscale?: UpscaleSettings | null;
  }
}

/**
 * Longest side an upscale may produce. 16384 is the largest texture most GPUs load, and 16384² RGBA
 * is already 1 GiB of pixels; beyond it a `maxSize` is needed.
 */
export const MAX_OUTPUT_SIDE = 16384;

export const upscale: TextureOperation<UpscaleRule, UpscaleSettings> = {
  key: 'upscale',
  shape: 'texture',
  order: TEXTURE_ORDER.upscale,
  version: '1',
  fingerprint: { DEFAULT_MODEL, DEFAULT_SCALE },
  schema: {
    description: 'Upscale by an integer factor; false turns off an upscale set by an earlier rule.',
    oneOf: [
      { const: false },
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          scale: { enum: [2, 4] },
          model: {
            description: '"lanczos" (classical), the name of a shipped model (models/*.onnx) or a path to an .onnx file.',
            type: 'string',
            minLength: 1,
          },
          seamless: { description: 'The texture tiles: resample with wrap-around so the result still tiles.', type: 'boolean' },
        },
      },
    ],
  },

  merge(earlier, value) {
    if (value === false) return null;
    return {
      scale: value.scale ?? earlier?.scale ?? DEFAULT_SCALE,
      model: value.model ?? earlier?.model ?? DEFAULT_MODEL,
      seamless: value.seamless ?? earlier?.seamless ?? false,
    };
  },

  async check(value, { engine }) {
    if (value.model === undefined) return;
    try {
      await engine.checkModel(value.model);
    } catch (err) {
      return { field: 'model', message: firstLine(err) };
    }
  },

  /**
   * No upscale when the texture already reaches maxSize: upscaling it only to shrink it back wastes time
   * and blurs.
   */
  plan(settings, { size, maxSize }) {
    if (maxSize !== null && Math.max(size.width, size.height) >= maxSize) return null;
    if (Math.max(size.width, size.height) * settings.scale > MAX_OUTPUT_SIDE) {
      throw new Error(`x${settings.scale} of ${size.width}x${size.height} exceeds ${MAX_OUTPUT_SIDE} px; set a maxSize or a smaller scale`);
    }
    return { after: { width: size.width * settings.scale, height: size.height * settings.scale }, engine: settings.model };
  },

  async apply(settings, { image, kind }, _step, { engine }) {
    return engine.upscale(image, { scale: settings.scale, model: settings.model, kind, seamless: settings.seamless });
  },
};
