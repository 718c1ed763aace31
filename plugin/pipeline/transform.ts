/**
 * `remaster(options)`: the texture remastering as a glTF Transform transform, usable on its own:
 *
 *   await document.transform(remaster({ rules: [{ upscale: { scale: 2, model: 'lanczos' } }], engine }));
 *
 * remasterProject() runs every model through this same transform.
 */
import { createTransform } from '@gltf-transform/functions';
import type { Document, Transform } from '@gltf-transform/core';
import { DEFAULT_CONFIG } from '../config/defaults';
import { resolveActions } from '../config/resolve';
import type { Rule, SourcedRule } from '../config/types';
import { validateConfig } from '../config/validate';
import { createEngine, type Engine } from '../engine';
import { setTextureImage } from '../gltf/image-slot';
import { textureUsage } from '../gltf/slots';
import { deriveMaterials, joinEngines, type DerivedModelTexture } from './derive';
import { ImageProcessor, planChain } from './image-processor';
import type { TextureReport } from './report';

const SUPPORTED_MIME = new Set(['image/png', 'image/jpeg', 'image/webp']);

export interface RemasterTransformOptions {
  /** Rules (the `rules` of a config, or already-sourced rules). Default: the built-in default config. */
  rules?: Rule[] | SourcedRule[];
  /** Asset path that rules' `match` globs are tested on. Without it, `match` is ignored (all rules apply). */
  path?: string;
  /** Engine to use; if omitted one is created for this call and closed after. */
  engine?: Engine;
  /** Shares the per-run image cache across documents (remasterProject passes one). */
  processor?: ImageProcessor;
  onTexture?: (report: TextureReport) => void;
  onWarning?: (message: string) => void;
}

export function remaster(options: RemasterTransformOptions = {}): Transform {
  return createTransform('remaster', async (document: Document) => {
    const engine = options.engine ?? createEngine();
    try {
      await remasterDocument(document, { ...options, processor: options.processor ?? new ImageProcessor(engine) });
    } finally {
      if (!options.engine) await engine.close();
    }
  });
}

/**
 * Remasters the document in place: the asset operations derive first (new textures, slots, variants),
 * then every texture goes through the per-texture chain. Returns whether anything changed.
 */
export async function remasterDocument(document: Document, options: RemasterTransformOptions & { processor: ImageProcessor }): Promise<boolean> {
  const rules = toSourcedRules(options.rules, options.path);
  const warn = options.onWarning ?? (() => undefined);
  const { processor } = options;
  const derived = await deriveMaterials(document, options.path ?? '', {
    engine: processor.engine, root: processor.root, rules, dryRun: processor.dryRun, maxPixels: processor.limits.maxPixels, warn,
  });
  const derivedBy = new Map(derived.filter((d) => d.texture).map((d) => [d.texture!, d]));
  let changed = derived.length > 0;
  for (const planned of derived.filter((d) => !d.texture)) options.onTexture?.(plannedReport(planned, rules, options.path ?? ''));
  for (const [index, texture] of document.getRoot().listTextures().entries()) {
    const name = texture.getName() || texture.getURI() || `texture #${index}`;
    const usage = textureUsage(texture);
    if (usage.slots.length === 0) continue; // not used by any material: nothing says what it holds
    if (!usage.kind) {
      const uses = Object.entries(usage.kindBySlot).map(([slot, kind]) => `${slot} (${kind})`).join(', ');
      warn(`${name}: used as ${uses}; conflicting kinds, left unchanged`);
      continue;
    }
    const actions = resolveActions(rules, { path: options.path ?? '', slots: usage.slots });
    const image = texture.getImage();
    const made = derivedBy.get(texture);
    if (made && (!actions || !image)) {
      options.onTexture?.({ name, slots: usage.slots, kind: usage.kind, before: made.size, after: made.size, mimeType: texture.getMimeType(), rule: [], engine: made.engine, reused: false, derivedBy: made.by });
      continue;
    }
    if (!actions || !image) continue;
    if (!SUPPORTED_MIME.has(texture.getMimeType())) {
      warn(`${name}: ${describeUnsupported(texture.getMimeType())} is not remastered; kept unchanged`);
      continue;
    }
    let out;
    try {
      out = await options.processor.process(image, usage.kind, actions);
    } catch (err) {
      throw new Error(`texture "${name}": ${(err as Error).message}`);
    }
    for (const note of out.notes) warn(`${name}: ${note}`);
    if (out.warning) {
      warn(`${name}: ${out.warning}`);
      continue;
    }
    if (out.changed) {
      setTextureImage(document, texture, out.bytes, out.mimeType);
      changed = true;
    }
    options.onTexture?.({
      name, slots: usage.slots, kind: usage.kind, before: out.before, after: out.after, mimeType: out.mimeType,
      rule: actions.rules, engine: made ? joinEngines(made.engine, out.engine) : out.engine, reused: out.reused, ...(made ? { derivedBy: made.by } : {}),
    });
  }
  return changed;
}

/** A derived texture's dry-run report: its planned size through the chain its slots' rules ask for. */
function plannedReport(planned: DerivedModelTexture, rules: SourcedRule[], path: string): TextureReport {
  const actions = resolveActions(rules, { path, slots: planned.slots });
  const chain = actions ? planChain(planned.size, planned.kind, actions) : null;
  if (chain?.error) throw new Error(`texture "${planned.name}": ${chain.error.message}`);
  const engines = chain ? [...chain.steps.map((s) => s.step.engine), ...(chain.cap ? ['resize'] : [])] : [];
  return {
    name: planned.name, slots: planned.slots, kind: planned.kind, before: planned.size, after: chain?.after ?? planned.size,
    mimeType: 'image/png', rule: actions?.rules ?? [], engine: [planned.engine, ...engines].join('+'), reused: false, derivedBy: planned.by,
  };
}

function toSourcedRules(rules: Rule[] | SourcedRule[] | undefined, path: string | undefined): SourcedRule[] {
  if (!rules) return DEFAULT_CONFIG.rules.map((rule, i) => ({ rule, source: `default#${i}` }));
  if (rules.every((entry) => 'source' in entry && 'rule' in entry)) return rules as SourcedRule[];
  validateConfig({ rules }, 'remaster() rules');
  return (rules as Rule[]).map((rule, i) => ({
    // Without an asset path there is nothing to glob against: every rule applies (slots still filter).
    rule: path === undefined ? { ...rule, match: undefined } : rule,
    source: `rules#${i}`,
  }));
}

/** Why an image type is left alone, in the words a technical artist looks for. */
function describeUnsupported(mimeType: string): string {
  if (mimeType === 'image/ktx2') return 'KTX2 (KHR_texture_basisu, GPU-compressed)';
  return mimeType ? `${mimeType} image` : 'image of unknown type';
}
