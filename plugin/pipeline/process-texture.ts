/** One standalone texture file: remastered from its original; a format change renames its extension. */
import path from 'node:path';
import { inferKindFromName, resolveActions, rulesForAsset } from '../config/resolve';
import { saveState } from '../state/store';
import { commitAsset } from './commit';
import { assetFingerprint, type AssetOutcome, type RunContext } from './context';
import { inspectFile, originalBytes } from './file-source';
import { MIME_BY_FORMAT, probeImage } from './image-codec';
import { restoreAsset } from './restore';
import { isUpToDate } from './up-to-date';

const EXTENSIONS_BY_MIME: Record<string, string[]> = { 'image/png': ['.png'], 'image/jpeg': ['.jpg', '.jpeg'], 'image/webp': ['.webp'] };

export async function processTexture(ctx: RunContext, key: string): Promise<AssetOutcome> {
  const { root, state } = ctx;
  const source = await inspectFile(root, state, key);
  const bytes = await originalBytes(root, source);
  if (!bytes) throw new Error('file is missing');

  const rules = [...ctx.rules, ...(ctx.sidecars.get(key) ?? [])];
  const fingerprint = assetFingerprint({ [key]: source.originalHash }, rulesForAsset(rules, key));
  const previous = state.assets[key];
  if (previous && previous.fingerprint === fingerprint && (await isUpToDate(ctx, key))) {
    return { outcome: 'skipped', reason: 'unchanged', warnings: [] };
  }

  const actions = resolveActions(rules, { path: key });
  const kind = actions?.kind ?? inferKindFromName(key);
  if (actions) await assertContentMatchesName(key, bytes);
  const out = actions ? await ctx.processor.process(bytes, kind, actions) : null;
  if (!out || !out.changed) {
    const warnings = [...(out?.notes ?? []), ...(out?.warning ? [out.warning] : [])];
    if (previous && !ctx.dryRun) {
      await ctx.serial.run(async () => {
        await restoreAsset(root, state, key);
        await saveState(root, state);
      });
      return { outcome: 'processed', textures: [], files: previous.files, warnings: [...warnings, 'nothing to change under the current rules: original restored'] };
    }
    return { outcome: 'skipped', reason: out?.warning ?? (actions ? 'texture already matches the rules' : 'no rule applies'), warnings };
  }
  const texture = { name: key, slots: [], kind, before: out.before, after: out.after, mimeType: out.mimeType, rule: actions!.rules, engine: out.engine, reused: out.reused };
  ctx.processor.reported(texture);
  if (ctx.dryRun) return { outcome: 'processed', textures: [texture], files: [], warnings: out.notes };

  const target = outputPath(key, out.mimeType);
  const outputs = new Map<string, Uint8Array | null>([[target, out.bytes]]);
  if (target !== key) outputs.set(key, null); // the original is kept under .remaster/originals
  const files = await ctx.serial.run(() => commitAsset(root, state, ctx.written, {
    key, type: 'texture', sources: [source], outputs, fingerprint, rules: actions!.rules, engines: [out.engine],
  }));
  return { outcome: 'processed', textures: [texture], files, warnings: out.notes };
}

/** Same path when the format is kept, else the same name with the new format's extension. */
function outputPath(rel: string, mimeType: string): string {
  const ext = path.posix.extname(rel);
  const allowed = EXTENSIONS_BY_MIME[mimeType];
  if (allowed.includes(ext.toLowerCase())) return rel;
  return rel.slice(0, rel.length - ext.length) + allowed[0];
}

/**
 * A file whose content is not what its extension says (a JPEG saved as .png) is left alone: writing it
 * back as-is keeps the lie, and renaming it would break whatever refers to it by name.
 */
async function assertContentMatchesName(rel: string, bytes: Uint8Array): Promise<void> {
  const { format } = await probeImage(bytes);
  const ext = path.posix.extname(rel).toLowerCase();
  if (!EXTENSIONS_BY_MIME[MIME_BY_FORMAT[format]].includes(ext)) {
    throw new Error(`the file holds ${format.toUpperCase()} data but is named ${ext}; rename it or re-export it`);
  }
}
