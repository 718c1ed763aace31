/**
 * One standalone texture file: remastered from its original; a format change renames its extension.
 * Asset operations may derive new files from it (and its map siblings), committed with it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULT_QUALITY } from '../config/defaults';
import { inferKindFromName, resolveActions, resolveOperation } from '../config/resolve';
import type { SourcedRule } from '../config/types';
import { toAbsolute } from '../safety/project-paths';
import { processAsset } from './asset';
import type { AssetOutcome, ImageWork, RunContext } from './context';
import { deriveFiles, fileOperations, joinEngines, siblingSuffix, type DerivedFileOutput } from './derive';
import { inspectFile, originalBytes, type FileSource } from './file-source';
import { formatOfExtension, formatOfMime, MIME_BY_FORMAT, withFormatExtension } from '../image-formats';
import { encodeImage, probeImage } from '../image-codec';
import { planChain } from './image-processor';
import type { TextureReport } from './report';


export async function processTexture(ctx: RunContext, key: string): Promise<AssetOutcome> {
  const { root, state } = ctx;
  let source: FileSource;
  let bytes: Uint8Array;
  let siblings: FileSource[] = [];
  let derives = false;
  return processAsset(ctx, key, 'texture', {
    async read(rules) {
      source = await inspectFile(root, state, key);
      const original = await originalBytes(root, source);
      if (!original) throw new Error('file is missing');
      bytes = original;
      // Map siblings are inputs only when an operation derives from this file.
      derives = fileOperations().some((op) => resolveOperation(rules, { path: key }, op));
      siblings = derives ? await findSiblings(ctx, key) : [];
      return { sources: [source], reads: siblings };
    },
    async remaster(rules) {
      const actions = resolveActions(rules, { path: key });
      const kind = actions?.kind ?? inferKindFromName(key);
      if (actions || derives) await assertContentMatchesName(key, bytes);
      const out = actions ? await ctx.processor.process(bytes, kind, actions) : null;
      const work: ImageWork[] = out ? [{ work: out.work }] : [];
      const warnings = [...(out?.notes ?? [])];
      const derived = derives
        ? await deriveFiles(
          { asset: key, kind, bytes, siblings: new Map(await Promise.all(siblings.map(async (s) => [s.rel, (await originalBytes(root, s))!] as const))) },
          { engine: ctx.processor.engine, root, rules, dryRun: ctx.dryRun, maxPixels: ctx.processor.limits.maxPixels, warn: (w) => warnings.push(w) },
        )
        : [];
      const made = await Promise.all(derived.map((d) => finishDerived(ctx, rules, d)));
      for (const m of made) if (m.work) work.push({ work: m.work, report: m.report });
      if (!out?.changed && made.length === 0) {
        return {
          textures: [], warnings: [...warnings, ...(out?.warning ? [out.warning] : [])], work, outputs: null,
          unchanged: { reason: out?.warning ?? (actions ? 'texture already matches the rules' : 'no rule applies'), restored: 'nothing to change under the current rules: original restored' },
        };
      }
      const textures: TextureReport[] = [];
      const outputs = new Map<string, Uint8Array | null>();
      if (out?.changed) {
        const texture = { name: key, slots: [], kind, before: out.before, after: out.after, mimeType: out.mimeType, rule: actions!.rules, engine: out.engine, reused: out.reused };
        work[0].report = texture;
        textures.push(texture);
        const target = outputPath(key, out.mimeType);
        outputs.set(target, out.bytes);
        if (target !== key) outputs.set(key, null); // the original is kept under .remaster/originals
      }
      for (const m of made) {
        textures.push(m.report);
        if (m.bytes) outputs.set(m.rel, m.bytes);
      }
      return { textures, warnings, work, outputs: async () => outputs };
    },
  });
}

/**
 * Files in the texture's folder named like it plus a kind suffix (`wall_norm.png` for `wall.png`),
 * as they were originally; files Remaster created (its own derived maps) are not siblings. A sibling
 * Remaster itself moved away (`wall_n.png` → `wall_n.webp` by a format rule) is still one, read from
 * its kept original: otherwise the second run would see a different set and re-derive without it.
 */
async function findSiblings(ctx: RunContext, key: string): Promise<FileSource[]> {
  const dir = path.posix.dirname(key);
  const stem = path.posix.join(dir, path.posix.basename(key).split('.')[0]).toLowerCase();
  const entries = await fs.readdir(toAbsolute(ctx.root, dir === '.' ? '' : dir), { withFileTypes: true });
  const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
  for (const [rel, record] of Object.entries(ctx.state.files)) {
    if (record.original !== null && record.output === null && path.posix.dirname(rel) === dir) names.add(path.posix.basename(rel));
  }
  const out: FileSource[] = [];
  for (const name of [...names].sort()) {
    const rel = dir === '.' ? name : `${dir}/${name}`;
    if (!formatOfExtension(path.posix.extname(rel)) || !siblingSuffix(stem, rel)) continue;
    if (ctx.state.files[rel]?.original === null) continue;
    const source = await inspectFile(ctx.root, ctx.state, rel);
    if (source.originalHash !== null) out.push(source);
  }
  return out;
}

/**
 * A derived file through the same chain as any texture at its path (rules matched on its path), then
 * encoded in its extension's format (or the rules' `format`, renaming it). In a dry run: its plan.
 */
async function finishDerived(ctx: RunContext, rules: SourcedRule[], d: DerivedFileOutput): Promise<{ rel: string; bytes?: Uint8Array; report: TextureReport; work?: string }> {
  const format = formatOfExtension(path.posix.extname(d.rel));
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
  let work: string | undefined;
  let reused = false;
  if (actions) {
    const out = await ctx.processor.process(bytes, d.kind, actions);
    if (out.changed) ({ bytes, after, mimeType } = out);
    engine = joinEngines(d.engine, out.engine);
    ({ work, reused } = out);
  }
  return { rel: outputPath(d.rel, mimeType), bytes, report: { ...base, after, mimeType, engine, reused }, work };
}

/** Same path when the format is kept, else the same name with the new format's extension. */
function outputPath(rel: string, mimeType: string): string {
  return withFormatExtension(rel, formatOfMime(mimeType)!);
}

/**
 * A file whose content is not what its extension says (a JPEG saved as .png) is left alone: writing it
 * back as-is keeps the lie, and renaming it would break whatever refers to it by name.
 */
async function assertContentMatchesName(rel: string, bytes: Uint8Array): Promise<void> {
  const { format } = await probeImage(bytes);
  const ext = path.posix.extname(rel).toLowerCase();
  if (formatOfExtension(ext) !== format) {
    throw new Error(`the file holds ${format.toUpperCase()} data but is named ${ext}; rename it or re-export it`);
  }
}
