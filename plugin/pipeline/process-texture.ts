/**
 * One standalone texture file: remastered from its original; a format change renames its extension.
 * Asset operations may derive new files from it (and its map siblings), committed with it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULT_QUALITY } from '../config/defaults';
import { inferKindFromName, resolveActions, resolveOperation, rulesForAsset } from '../config/resolve';
import type { SourcedRule } from '../config/types';
import { toAbsolute } from '../discovery/safe-path';
import { saveState } from '../state/store';
import { commitAsset } from './commit';
import { assetFingerprint, type AssetOutcome, type RunContext } from './context';
import { deriveFiles, fileOperations, joinEngines, siblingSuffix, type DerivedFileOutput } from './derive';
import { inspectFile, originalBytes, type FileSource } from './file-source';
import { encodeImage, MIME_BY_FORMAT, probeImage, type ImageFormat } from './image-codec';
import { planChain } from './image-processor';
import type { TextureReport } from './report';
import { restoreAsset } from './restore';
import { isUpToDate } from './up-to-date';

const EXTENSIONS_BY_MIME: Record<string, string[]> = { 'image/png': ['.png'], 'image/jpeg': ['.jpg', '.jpeg'], 'image/webp': ['.webp'] };

export async function processTexture(ctx: RunContext, key: string): Promise<AssetOutcome> {
  const { root, state } = ctx;
  const source = await inspectFile(root, state, key);
  const bytes = await originalBytes(root, source);
  if (!bytes) throw new Error('file is missing');

  const rules = [...ctx.rules, ...(ctx.sidecars.get(key) ?? [])];
  // Map siblings are inputs only when an operation derives from this file.
  const derives = fileOperations().some((op) => resolveOperation(rules, { path: key }, op));
  const siblings = derives ? await findSiblings(ctx, key) : [];
  const originals = Object.fromEntries([source, ...siblings].map((s) => [s.rel, s.originalHash]));
  const fingerprint = assetFingerprint(originals, rulesForAsset(rules, key));
  const previous = state.assets[key];
  if (previous && previous.fingerprint === fingerprint && (await isUpToDate(ctx, key))) {
    return { outcome: 'skipped', reason: 'unchanged', warnings: [] };
  }

  const actions = resolveActions(rules, { path: key });
  const kind = actions?.kind ?? inferKindFromName(key);
  if (actions || derives) await assertContentMatchesName(key, bytes);
  const out = actions ? await ctx.processor.process(bytes, kind, actions) : null;
  const warned: string[] = [];
  const derived = derives
    ? await deriveFiles(
      { asset: key, kind, bytes, siblings: new Map(await Promise.all(siblings.map(async (s) => [s.rel, (await originalBytes(root, s))!] as const))) },
      { engine: ctx.processor.engine, root, rules, dryRun: ctx.dryRun, maxPixels: ctx.processor.limits.maxPixels, warn: (w) => warned.push(w) },
    )
    : [];
  const made = await Promise.all(derived.map((d) => finishDerived(ctx, rules, d)));
  if ((!out || !out.changed) && made.length === 0) {
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
  const textures: TextureReport[] = [];
  const outputs = new Map<string, Uint8Array | null>();
  const warnings = [...(out?.notes ?? []), ...warned];
  if (out?.changed) {
    const texture = { name: key, slots: [], kind, before: out.before, after: out.after, mimeType: out.mimeType, rule: actions!.rules, engine: out.engine, reused: out.reused };
    ctx.processor.reported(texture);
    textures.push(texture);
    const target = outputPath(key, out.mimeType);
    outputs.set(target, out.bytes);
    if (target !== key) outputs.set(key, null); // the original is kept under .remaster/originals
  }
  for (const m of made) {
    textures.push(m.report);
    if (m.bytes) outputs.set(m.rel, m.bytes);
  }
  if (ctx.dryRun) return { outcome: 'processed', textures, files: [], warnings };

  const files = await ctx.serial.run(() => commitAsset(root, state, ctx.written, {
    key, type: 'texture', sources: [source], outputs, fingerprint,
    rules: [...new Set(textures.flatMap((t) => t.rule))],
    engines: [...new Set(textures.map((t) => t.engine))],
  }));
  return { outcome: 'processed', textures, files, warnings };
}

/**
 * Files in the texture's folder named like it plus a kind suffix (`wall_norm.png` for `wall.png`),
 * as they were originally; files Remaster created (its own derived maps) are not siblings.
 */
async function findSiblings(ctx: RunContext, key: string): Promise<FileSource[]> {
  const dir = path.posix.dirname(key);
  const stem = path.posix.join(dir, path.posix.basename(key).split('.')[0]).toLowerCase();
  const entries = await fs.readdir(toAbsolute(ctx.root, dir === '.' ? '' : dir), { withFileTypes: true });
  const out: FileSource[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = dir === '.' ? entry.name : `${dir}/${entry.name}`;
    if (!entry.isFile() || !EXTENSIONS.has(path.posix.extname(rel).toLowerCase()) || !siblingSuffix(stem, rel)) continue;
    if (ctx.state.files[rel]?.original === null) continue;
    const source = await inspectFile(ctx.root, ctx.state, rel);
    if (source.originalHash !== null) out.push(source);
  }
  return out;
}

const EXTENSIONS = new Set(Object.values(EXTENSIONS_BY_MIME).flat());
const FORMAT_BY_EXTENSION: Record<string, ImageFormat> = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.webp': 'webp' };

/**
 * A derived file through the same chain as any texture at its path (rules matched on its path), then
 * encoded in its extension's format (or the rules' `format`, renaming it). In a dry run: its plan.
 */
async function finishDerived(ctx: RunContext, rules: SourcedRule[], d: DerivedFileOutput): Promise<{ rel: string; bytes?: Uint8Array; report: TextureReport }> {
  const format = FORMAT_BY_EXTENSION[path.posix.extname(d.rel).toLowerCase()];
  if (!format) throw new Error(`${d.by}: derived file ${d.rel} is not .png, .jpg or .webp`);
  const actions = resolveActions(rules, { path: d.rel });
  const base = { name: d.rel, slots: [], kind: d.kind, before: d.size, rule: actions?.rules ?? [], reused: false, derivedBy: d.by };
  if (!d.image) {
    const chain = actions ? planChain(d.size, d.kind, actions) : null;
    if (chain?.error) throw new Error(`${d.rel}: ${chain.error.message}`);
    const engines = chain ? [...chain.steps.map((s) => s.step.engine), ...(chain.cap ? ['resize'] : [])] : [];
    const mimeType = MIME_BY_FORMAT[actions && actions.format !== 'keep' ? actions.format : format];
    return { rel: outputPath(d.rel, mimeType), report: { ...base, after: chain?.after ?? d.size, mimeType, engine: [d.engine, ...engines].join('+') } };
  }
  let bytes = await encodeImage(d.image, format, DEFAULT_QUALITY, d.kind);
  let after = d.size;
  let mimeType = MIME_BY_FORMAT[format];
  let engine = d.engine;
  if (actions) {
    const out = await ctx.processor.process(bytes, d.kind, actions);
    if (out.changed) ({ bytes, after, mimeType } = out);
    engine = joinEngines(d.engine, out.engine);
  }
  return { rel: outputPath(d.rel, mimeType), bytes, report: { ...base, after, mimeType, engine } };
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
