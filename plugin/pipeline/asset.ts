/**
 * The steps every asset goes through, model or standalone texture: join its rules (project + sidecar),
 * read its inputs, fingerprint them, skip it when up to date, remaster it, put the originals back when
 * the rules no longer change anything, stop at the plan in a dry run, else commit its outputs.
 */
import { lookUp, store } from '../cache/run-cache';
import { rulesForAsset } from '../config/resolve';
import type { SourcedRule } from '../config/types';
import type { AssetType } from '../discovery/walk';
import { saveState } from '../state/store';
import { assetFingerprint, type AssetOutcome, type ImageWork, type RunContext } from './context';
import type { FileSource } from './file-source';
import type { TextureReport } from './report';
import { restoreAsset } from './restore';
import { isUpToDate, upToDateByStamps } from './up-to-date';
import { fileOperations } from './derive';
import { resolveOperation } from '../config/resolve';
import { operationInputHashes } from './operation-inputs';

/** What an asset is made from. */
export interface AssetInputs {
  /** Files it reads and rewrites (the model and its resources, or the texture): their originals are kept. */
  sources: FileSource[];
  /** Files it only reads (a texture's map siblings): they enter the fingerprint. */
  reads?: FileSource[];
}

/** What remastering an asset came to. */
export interface AssetChanges {
  textures: TextureReport[];
  warnings: string[];
  /** The image work it asked for, in order. */
  work: ImageWork[];
  /** The new content per path (null = remove), in write order; null when nothing changes. */
  outputs: (() => Promise<Map<string, Uint8Array | null>>) | null;
  /** When nothing changes: why (skip reason), and the note when earlier outputs are put back. */
  unchanged?: { reason: string; restored: string };
  /** The asset is left exactly as it is, earlier outputs included (it cannot be rewritten safely): why. */
  leave?: string;
}

/** One asset type's part: reading its inputs and remastering them. */
export interface AssetSteps {
  read(rules: SourcedRule[]): Promise<AssetInputs>;
  remaster(rules: SourcedRule[]): Promise<AssetChanges>;
}

export async function processAsset(ctx: RunContext, key: string, type: AssetType, steps: AssetSteps): Promise<AssetOutcome> {
  const { root, state } = ctx;
  const rules = [...ctx.rules, ...(ctx.sidecars.get(key) ?? [])];
  // Stat-only when the change gate vouches for every file of the asset (a no-op run reads nothing). A
  // texture that file operations derive from also reads its map siblings, which only the full path sees.
  const readsSiblings = type === 'texture' && fileOperations().some((op) => resolveOperation(rules, { path: key }, op));
  if (!readsSiblings && upToDateByStamps(ctx, key, rules)) return { outcome: 'skipped', reason: 'unchanged', warnings: [], work: [] };
  const inputs = await steps.read(rules);
  const originals = Object.fromEntries([...inputs.sources, ...(inputs.reads ?? [])].map((s) => [s.rel, s.originalHash]));
  const assetRules = rulesForAsset(rules, key);
  // Files rule values name (a style reference): their content, not only their path, keys the outputs.
  const fingerprint = assetFingerprint({ ...originals, ...operationInputHashes(root, assetRules) }, assetRules);
  const previous = state.assets[key];
  if (previous && previous.fingerprint === fingerprint && (await isUpToDate(ctx, key))) {
    return { outcome: 'skipped', reason: 'unchanged', warnings: [], work: [] };
  }

  // A result cache hit (same inputs, rules, models and code elsewhere) stands in for remastering.
  const cached = ctx.cache && !ctx.dryRun ? await lookUp(ctx.cache, root, { key, type, fingerprint }, rulesForAsset(rules, key)) : null;
  let changes: AssetChanges;
  if (cached?.hit) {
    const { outputs, textures, warnings } = cached.hit;
    changes = { textures, warnings: [...warnings, 'from the result cache'], work: [], outputs: async () => outputs };
  } else {
    await ctx.prepare?.();
    changes = await steps.remaster(rules);
  }
  if (cached?.problem) changes.warnings.push(cached.problem);
  const { textures, warnings, work } = changes;
  if (changes.leave !== undefined) return { outcome: 'skipped', reason: changes.leave, warnings, work };
  if (!changes.outputs) {
    const unchanged = changes.unchanged ?? { reason: 'no rule applies', restored: 'nothing to change: originals restored' };
    if (previous && !ctx.dryRun) {
      // Nothing to do under the current rules: the right output is the original itself.
      await ctx.serial.run(async () => {
        await restoreAsset(root, state, key);
        await saveState(root, state, { files: previous.files, assets: [key] });
      });
      return { outcome: 'processed', textures, files: previous.files, warnings: [...warnings, unchanged.restored], work };
    }
    return { outcome: 'skipped', reason: unchanged.reason, warnings, work };
  }
  if (ctx.dryRun) return { outcome: 'processed', textures, files: [], warnings, work };

  const outputs = await changes.outputs();
  if (cached && !cached.hit) {
    const problem = await store(ctx.cache!, cached.key, outputs, { textures, warnings });
    if (problem) warnings.push(problem);
  }
  const commit = ctx.commits.submit({
    key, type, sources: inputs.sources, outputs, fingerprint,
    rules: [...new Set(textures.flatMap((t) => t.rule))],
    engines: [...new Set(textures.map((t) => t.engine))],
  });
  if (commit.mayFreeSlot) ctx.freeSlot?.(key);
  const files = await commit.done;
  return { outcome: 'processed', textures, files, warnings, work };
}
