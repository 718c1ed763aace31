/**
 * The operation interface: what one remaster operation (upscale, style, vary, pbr, ...) owns, so the
 * pipeline can run any of them without knowing which. Read plugin/ops/README.md first.
 *
 * Two shapes, one frame:
 * - `TextureOperation` (shape `'texture'`): image in, image out, once per texture (glTF texture or
 *   standalone file). Runs in ascending `order` (see TEXTURE_ORDER), then the pipeline's own cap
 *   (`maxSize`) and encode (`format`, `quality`).
 * - `AssetOperation` (shape `'asset'`): reads the textures of a material (glTF) or a standalone texture
 *   and its map siblings, and DERIVES new outputs: textures, material slots, glTF material variants,
 *   new files. Asset operations run first ("derive"); what they add then goes through the per-texture
 *   operations like any other texture (a generated normal map is upscaled with its material).
 *
 * This file is the contract other operations are written against: changes here are additive only,
 * and listed in the README's "Changes" section.
 */
import type { Document, Material, Texture } from '@gltf-transform/core';
import type { Engine } from '../engine';
import type { RawImage, TextureKind } from '../types';

/** Width and height in texels. */
export interface Size {
  width: number;
  height: number;
}

/** A draft-07 JSON-Schema object (the fragment an operation contributes to remaster.schema.json). */
export type JsonSchema = { [key: string]: unknown };

/**
 * Rule values of every registered operation, by rule key. Each operation adds its own entry by
 * declaration merging, next to its code, so `Rule` stays typed without editing config/types.ts:
 *
 *   declare module '../types' {
 *     interface OperationRuleValues { grayscale?: GrayscaleRule | false }
 *   }
 *
 * (`Rule` in config/types.ts extends this interface.)
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface OperationRuleValues {}

/**
 * Resolved settings of every registered operation, by rule key (null = off), as they appear on
 * `ResolvedActions`. Declared beside the operation like `OperationRuleValues`:
 *
 *   declare module '../types' {
 *     interface OperationSettingsValues { grayscale?: GrayscaleSettings | null }
 *   }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface OperationSettingsValues {}

/** A decoded texture as an operation sees it. */
export interface TextureImage {
  /** 8-bit interleaved pixels (1-4 channels), as decoded from the file. */
  image: RawImage;
  /** What the texels mean: sRGB colour, tangent-space normal, or linear data. */
  kind: TextureKind;
  /** The image has an alpha channel (2 or 4 channels). Preserve it unless the operation is about alpha. */
  alpha: boolean;
}

/** What the pipeline lends every operation while it runs. */
export interface OperationServices {
  /**
   * The shared model runtime (plugin/engine): ONNX sessions per model and device (created once per run),
   * tiling, kind-aware channel routing, classical resize. Use it rather than creating sessions.
   */
  engine: Engine;
  /** Absolute project root. Operations never read or write outside it (and only through the pipeline). */
  root: string;
  /** Adds a warning to the asset's report (one line, no file name: the pipeline prefixes it). */
  warn(message: string): void;
}

/** What a pre-flight check may use: no pixels, no project files beyond what it names. */
export interface CheckServices {
  engine: Engine;
  root: string;
}

/**
 * A problem found by `check`. `field` names the key inside the operation's rule value (`model`), so the
 * one-line error reads `remaster.config.json: rules.2.upscale.model: <message>`.
 */
export interface RuleIssue {
  field?: string;
  message: string;
}

/** What every operation owns, whatever its shape. */
export interface OperationCommon<Value, Settings> {
  /** Rule key (`upscale`, `style`, ...); unique, camelCase, not a core key (match, slots, skip, kind, maxSize, format, quality, rules). */
  readonly key: string;
  /**
   * Bump when the operation's output for the same inputs and settings changes: assets whose rules use
   * it are then re-derived. Version `'1'` is the baseline and adds nothing to fingerprints (see README).
   */
  readonly version: string;
  /**
   * JSON-Schema fragment validating the rule value (`rules[i][key]`). Include `{ "const": false }` in a
   * `oneOf` when the operation can be turned off by a later rule (all built-ins can). It is copied
   * verbatim into pipeline-config/remaster.schema.json (a test keeps the file in step).
   */
  readonly schema: JsonSchema;
  /**
   * Built-in defaults the settings fall back on (e.g. `{ DEFAULT_MODEL: 'remaster-x2-fast' }`). They
   * enter every asset's fingerprint, so changing a default re-derives what was made with the old one.
   * Key names must be unique across operations (prefix them with the operation if in doubt).
   */
  readonly fingerprint?: Readonly<Record<string, unknown>>;
  /**
   * Merges a later rule's value over what the earlier rules resolved to (null = off so far). `false`
   * turns the operation off (return null). Fill every default here: settings are complete and
   * JSON-able (they key the per-run result cache and show in reports).
   */
  merge(earlier: Settings | null, value: Value | false): Settings | null;
  /**
   * Pre-flight check of one rule value, before any asset is touched (models exist and load, files it
   * names are readable). Called once per distinct value. Return an issue (or throw a one-line Error):
   * the run stops with a config error (exit 2) naming the rule.
   */
  check?(value: Value, services: CheckServices): Promise<RuleIssue | void>;
}

/** Input to a per-texture plan: sizes only, no pixels (dry runs decode nothing). */
export interface TexturePlanInput {
  /** Size before this operation (after the earlier ones). */
  size: Size;
  kind: TextureKind;
  /** The texture's resolved `maxSize` cap (applied after every operation), null = none. */
  maxSize: number | null;
}

/** One planned per-texture step: the size it leads to and the engine label a dry run reports. */
export interface TextureStep {
  after: Size;
  /** Engine label for the report (`remaster-x2-fast`, `lanczos`); apply() returns the real id. */
  engine: string;
}

/** What a per-texture operation returns. */
export interface TextureResult {
  /** New pixels; the size must be the planned `after`. Channels may differ only with reason (keep alpha). */
  image: RawImage;
  /** Engine id that made it (`remaster-x2-fast@cpu`, `lanczos`, `style-ink@cpu`). */
  engine: string;
}

/** Per texture: image in, image out (upscale, style transfer, denoise). */
export interface TextureOperation<Value = unknown, Settings = unknown> extends OperationCommon<Value, Settings> {
  readonly shape: 'texture';
  /** Position in the per-texture chain, ascending; see TEXTURE_ORDER. */
  readonly order: number;
  /**
   * Dry-run plan (also used before apply): null when the operation leaves this texture alone (e.g.
   * upscale of a texture already at maxSize, style on a normal map). Throws a one-line Error when the
   * settings cannot apply (`x4 of 8192x8192 exceeds 16384 px`).
   */
  plan(settings: Settings, input: TexturePlanInput): TextureStep | null;
  /** Does the planned step. */
  apply(settings: Settings, input: TextureImage, step: TextureStep, services: OperationServices): Promise<TextureResult>;
}

/**
 * Per-texture order: derive (asset operations) → style (100) → upscale (200) → [cap] → [encode].
 * Pick a number between neighbours for a new operation; equal numbers run in registration order.
 */
export const TEXTURE_ORDER = { style: 100, upscale: 200 } as const;

/** One texture of a material, as an asset operation reads it. */
export interface MaterialTexture {
  texture: Texture;
  kind: TextureKind;
  /** Size from the image header (no decode). */
  size: Size;
  /** Decodes the ORIGINAL image (the document is always read from the originals). */
  read(): Promise<TextureImage>;
}

/** A material of a glTF/GLB, for a per-material plan or apply. */
export interface MaterialInput {
  /** The asset (model path, project-relative). */
  asset: string;
  /** Material name, else `material #<index>`. */
  name: string;
  /** Textured slots of the material (`baseColor`, `normal`, ...). */
  slots: ReadonlyMap<string, MaterialTexture>;
}

/** Everything an asset operation may change in a model. */
export interface MaterialApplyInput extends MaterialInput {
  document: Document;
  material: Material;
  /**
   * Creates a texture from pixels (PNG, lossless; the texture chain re-encodes it per the rules) with
   * `name` and, for a .gltf, a file URI next to the model (`<name>.png`). Attach it to a slot yourself
   * (`material.setNormalTexture(t)`) or to a new material / KHR_materials_variants mapping.
   */
  createTexture(image: RawImage, options: { name: string; kind: TextureKind }): Promise<Texture>;
}

/** A texture an asset operation adds (or plans to add), for the run report. */
export interface DerivedTexture {
  /** Texture name (model) or project-relative path (standalone file). */
  name: string;
  /** Slots it fills (model); empty for a file. */
  slots: string[];
  kind: TextureKind;
  size: Size;
  /** Engine id (apply) or label (plan). */
  engine: string;
}

/**
 * A standalone texture's sibling map, found by the kind suffixes of config/defaults.ts (`wall_norm.png`
 * beside `wall.png`). Files Remaster created are never siblings (so a derived map is not read back).
 */
export interface SiblingTexture {
  /** Project-relative path. */
  rel: string;
  /** The suffix that matched (`_norm`, `_gloss`), lower case. */
  suffix: string;
  kind: TextureKind;
  /** Decodes the sibling's ORIGINAL content. */
  read(): Promise<TextureImage>;
}

/** A standalone texture file and its siblings, for a per-file plan or apply. */
export interface FileInput {
  /** The asset: project-relative path of the texture. */
  asset: string;
  kind: TextureKind;
  size: Size;
  /** Decodes the asset's ORIGINAL content. */
  read(): Promise<TextureImage>;
  /** Siblings in the same folder with the same stem plus a kind suffix (may be empty). */
  siblings: readonly SiblingTexture[];
}

/** A planned new file (dry run). */
export interface PlannedFile {
  /** Project-relative path, in the asset's folder; its extension sets the format (.png, .webp, .jpg). */
  rel: string;
  kind: TextureKind;
  size: Size;
  engine: string;
}

/** A new file an asset operation derives from a standalone texture. */
export interface DerivedFile {
  rel: string;
  kind: TextureKind;
  image: RawImage;
  engine: string;
}

/**
 * Per material / per asset: derives new outputs. Implement `material` (glTF/GLB), `file` (standalone
 * textures), or both. The pipeline records every new texture/file as the asset's output: `restore`
 * removes them, `watch` knows them as Remaster's own by content hash, and an unchanged second run is a
 * no-op (the fingerprint covers the originals, the rules and the versions).
 */
export interface AssetOperation<Value = unknown, Settings = unknown> extends OperationCommon<Value, Settings> {
  readonly shape: 'asset';
  /** Once per material whose rules resolve to settings (matched on the model path and the material's slots). */
  readonly material?: {
    /** Dry run: what apply would add, from sizes only. */
    plan(settings: Settings, input: MaterialInput): DerivedTexture[];
    /** Changes the document (new textures, slots, materials, variants); returns what it added. */
    apply(settings: Settings, input: MaterialApplyInput, services: OperationServices): Promise<DerivedTexture[]>;
  };
  /** Once per standalone texture whose rules resolve to settings. */
  readonly file?: {
    plan(settings: Settings, input: FileInput): PlannedFile[];
    /**
     * Returns the new files. Never a path that exists and is not Remaster's (the commit refuses to
     * overwrite it and the asset fails) — skip maps the user already has (see `siblings`).
     */
    apply(settings: Settings, input: FileInput, services: OperationServices): Promise<DerivedFile[]>;
  };
}

/** Any registered operation. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Operation = TextureOperation<any, any> | AssetOperation<any, any>;
