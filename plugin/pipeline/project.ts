/**
 * `remasterProject(root, options)`: the whole pipeline over a project directory, as `remaster run`
 * does it. Returns the same report `remaster run --json` prints.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MAX_PIXELS } from '../config/defaults';
import { checkOptions } from '../config/options';
import { ConfigError, errorCode, firstLine, type ErrorCode } from '../errors';
import { configFromObject, loadProjectConfig, loadSidecarRules } from '../config/load';
import type { ProjectConfig, RemasterConfig, SourcedRule } from '../config/types';
import { ruleMatches } from '../config/resolve';
import { sidecarCandidates } from '../config/sidecar-index';
import { assertStateTargetsSafe, coveredBy, toProjectPath } from '../safety/project-paths';
import { discoverFiles, STATE_DIR, type UnreadableFolder } from '../discovery/walk';
import { createEngine, type Engine } from '../engine';
import { createIO } from '../gltf/io';
import { removeOrphanTempFiles } from '../safety/orphan-temp-files';
import { assertStateDirSafe } from '../safety/state-dir';
import { lockProject } from '../state/lock';
import { openResultCache } from '../cache/result-cache';
import { chooseCache, type CacheChoice } from '../cache/cache-option';
import { writeShardState } from '../state/shard-state';
import { compactIfJournaled, loadState, stateDir, type StateData } from '../state/store';
import type { DeviceChoice } from '../types';
import type { AssetOutcome, ImageWork, RunContext } from './context';
import { ImageProcessor } from './image-processor';
import { preflight } from './preflight';
import { planAssets, type PlannedAsset } from './plan';
import { blockDisagreeingSharers } from './shared-textures';
import { processModel } from './process-model';
import { processTexture } from './process-texture';
import type { RunEvent, RunReport, TextureReport } from './report';
import { runScheduled, Serial } from './schedule';
import { sharedKeys } from './shared-keys';
import { CommitGroups } from './commit-groups';
import { runEngineOptions } from './run-engine';
import { assetsOfShard, parseShard, type ShardSpec } from './shard';

import { DEFAULT_CONCURRENCY } from './defaults';
export { DEFAULT_CONCURRENCY };

export interface RemasterProjectOptions {
  /** Config file path (relative to the current directory) or a config object. Default: `<root>/remaster.config.json`, else the built-in default. */
  config?: string | RemasterConfig;
  /** Report what would be done; write nothing, run no upscaling. */
  dryRun?: boolean;
  /** Device for neural models (ignored when `engine` is given). */
  device?: DeviceChoice;
  /**
   * Inference threads for neural models, in all (default: every available core; ignored when `engine` is
   * given). With `concurrency` above 1 they are split among up to `concurrency` inference workers
   * (pipeline/run-engine.ts).
   */
  threads?: number;
  /** Only the assets at (or under) these project-relative or absolute paths. */
  paths?: string[];
  /**
   * Assets processed at once (default 2): one can be decoded, encoded and written while another is in
   * the model. Commits and inference stay one at a time; the report is in plan order whatever it is.
   * Above 1, an asset whose outputs are ready waits for its commit group without counting here
   * (pipeline/commit-groups.ts: waiting outputs are capped in count and bytes); at 1, each asset is
   * read, remastered and committed before the next starts.
   */
  concurrency?: number;
  /** Stops before the next asset (those in progress finish or are not written); the run then throws. */
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Engine to reuse (watch mode); otherwise one is created for the run and closed at the end. */
  engine?: Engine;
  /** Engine log lines (device fallback, model loaded). */
  log?: (line: string) => void;
  /** Lines about the project's own state (state.json recovered from its backup); the CLI prints them even with --json. */
  warn?: (line: string) => void;
  /**
   * Only shard `i` of `n` (`"2/4"` or `{ index: 2, count: 4 }`): assets split by group so CI jobs share a
   * project (plugin/pipeline/shard.ts); its state also goes to `.remaster/state.shard-<i>-of-<n>.json`.
   */
  shard?: string | ShardSpec;
  /**
   * A result cache folder, shared between projects and machines (plugin/cache/): an asset whose inputs,
   * rules, models and code match an entry takes its outputs from there without running the engine.
   * The one place Remaster writes outside the project; nothing inside it is followed through a symlink.
   * Default: the config's `cache.dir` (plugin/cache/cache-option.ts).
   */
  cache?: string;
  /** The cache's size cap in bytes (default: the config's `cache.maxMB`, else 10 GiB); least recently used entries are evicted at the end of a run. */
  cacheMaxBytes?: number;
  /**
   * Watch mode (plugin/watch/asset-index.ts): the run's assets, planned by the caller from its file → asset
   * index for the state loaded under the lock, and `context`, the models sharing files with them (for the
   * shared-texture check). The project is then not walked, no model outside the plan is parsed, orphan
   * temp files are not swept, and only the planned assets' state paths are checked for symlinks.
   */
  planned?: (state: StateData) => Promise<{ assets: PlannedAsset[]; context: PlannedAsset[] }>;
  /**
   * Watch mode (plugin/watch/state-cache.ts): where the state comes from under the lock (instead of
   * loadState), and gets it back at the end, `clean` when the run threw nothing and no asset failed.
   */
  stateSource?: {
    load(root: string, onNote?: (line: string) => void): Promise<StateData>;
    release(root: string, state: StateData, clean: boolean): Promise<void>;
  };
}

/**
 * Remasters every model and texture of a project directory by its rules, in place, keeping the
 * originals under `.remaster/` (`restoreProject` puts them back). Up-to-date assets are skipped.
 *
 * @example
 * import { remasterProject } from 'remaster';
 *
 * const report = await remasterProject('assets', { dryRun: true });
 * for (const asset of report.processed) console.log(asset.path, asset.textures.map((t) => `${t.before.width}→${t.after.width}`));
 * if (report.failed.length) process.exitCode = 1;
 */
export async function remasterProject(root: string, options: RemasterProjectOptions = {}): Promise<RunReport> {
  checkOptions(options, 'remasterProject()');
  if (typeof options.shard === 'string') parseShard(options.shard); // a usage error before anything is touched
  root = path.resolve(root);
  const stat = await fs.stat(root).catch(() => null);
  if (!stat?.isDirectory()) throw new ConfigError(`${root}: not a directory`);
  const config = await loadConfig(root, options.config);
  const cache = chooseCache(root, config, options); // a bad configured folder: a config error before anything is touched
  assertStateDirSafe(root);
  // A dry run writes nothing, so it needs no lock (and creates no .remaster/).
  const unlock = options.dryRun ? async () => undefined : await lockProject(root);
  try {
    if (!options.dryRun && !options.planned) await removeOrphanTempFiles(root);
    return await runLocked(root, config, cache, options);
  } finally {
    await unlock();
    await fs.rmdir(stateDir(root)).catch(() => undefined); // only if nothing was kept there
  }
}

async function runLocked(root: string, config: ProjectConfig, cacheChoice: CacheChoice | undefined, options: RemasterProjectOptions): Promise<RunReport> {
  const state = options.stateSource ? await options.stateSource.load(root, options.warn ?? options.log) : await loadState(root, options.warn ?? options.log);
  const given = options.planned && (await options.planned(state));
  // A shipped .remaster/ naming paths through symlinks: refused before anything is touched.
  assertStateTargetsSafe(root, given ? recordsOf(state, given.assets) : state);
  const io = createIO();

  const unreadable: UnreadableFolder[] = [];
  const planned = given ? [...given.assets, ...given.context] : await planAssets(root, state, io, await discoverFiles(root, unreadable));
  let assets = given ? given.assets : planned;
  if (options.paths) {
    const wanted = coveredBy(options.paths.map((p) => toProjectPath(root, p)));
    assets = assets.filter((a) => wanted(a.key) || (state.assets[a.key]?.files ?? []).some(wanted));
  }
  const shard = typeof options.shard === 'string' ? parseShard(options.shard) : options.shard;
  if (shard) assets = assetsOfShard(assets, shard);
  const unmatched = options.paths || given ? [] : unmatchedRules(config.rules, planned.map((a) => a.key));
  // Every sidecar is validated before anything is written: a bad config changes nothing.
  const sidecars = new Map<string, SourcedRule[]>();
  const mayHaveSidecar = await sidecarCandidates(root, assets.map((a) => a.key));
  for (const asset of assets) sidecars.set(asset.key, mayHaveSidecar(asset.key) ? await loadSidecarRules(root, asset.key) : []);
  // Over the whole plan, not only the selected paths: a `run <dir> a.gltf` decides like a full run.
  await blockDisagreeingSharers(root, state, io, planned, async (key) => [...config.rules, ...(sidecars.get(key) ?? (await loadSidecarRules(root, key).catch(() => [])))]);

  // Its inference workers and threads laid out for the assets processed at once (run-engine.ts); a dry run
  // only checks the models (one worker).
  const engine = options.engine ?? createEngine({
    device: options.device, projectRoot: root, log: options.log,
    ...(options.dryRun ? { threads: options.threads } : runEngineOptions({ device: options.device, threads: options.threads, concurrency: options.concurrency })),
  });
  // A folder that cannot be listed fails on its own; everything else is still done.
  const report: RunReport = { processed: [], skipped: [], failed: unreadable.map((f) => ({ path: f.rel, error: f.error })), ...(unmatched.length ? { warnings: unmatched } : {}) };
  let runCache: RunContext['cache'];
  let clean = false;
  try {
    // Pre-flight (models load) before the first asset that needs remastering, not before a run of
    // up-to-date assets; its failure ends the run as a config error, as before, with nothing written.
    let checked: Promise<void> | undefined;
    let checkFailure: unknown;
    const prepare = () => (checked ??= preflight([...config.rules, ...[...sidecars.values()].flat()], { engine, root }).catch((err) => {
      checkFailure = err;
      throw err;
    }));
    const written: RunContext['written'] = new Map();
    const serial = new Serial();
    const limit = options.concurrency ?? DEFAULT_CONCURRENCY;
    // Each running asset's scheduler freeSlot. At concurrency 1 an asset keeps its slot until it is
    // committed: one asset at a time, start to finish, as asked.
    const slots = new Map<string, () => void>();
    const ctx: RunContext = {
      root, state, rules: config.rules, sidecars, io, processor: new ImageProcessor(engine, { dryRun: options.dryRun, limits: { maxPixels: config.limits.maxPixels ?? DEFAULT_MAX_PIXELS }, root }), written, dryRun: Boolean(options.dryRun), serial, commits: new CommitGroups(root, state, written, serial), freeSlot: (key) => slots.get(key)?.(), prepare,
      cache: cacheChoice && !options.dryRun ? { cache: await openResultCache(cacheChoice.dir, { maxBytes: cacheChoice.maxBytes }), models: new Map() } : undefined,
    };
    runCache = ctx.cache;
    options.onEvent?.({ type: 'start', total: assets.length });
    let done = 0;
    const requested = new Set<string>();
    await runScheduled(assets, {
      limit,
      signal: options.signal,
      uses: (asset) => asset.files.flatMap(sharedKeys),
      run: async (asset, _index, freeSlot): Promise<AssetOutcome | { outcome: 'failed'; error: string; code?: ErrorCode }> => {
        options.onEvent?.({ type: 'begin', path: asset.key });
        if (limit > 1) slots.set(asset.key, freeSlot);
        try {
          if (asset.blocked) throw new Error(asset.blocked);
          return asset.type === 'texture' ? await processTexture(ctx, asset.key) : await processModel(ctx, asset.key, asset.type);
        } catch (err) {
          if (checkFailure !== undefined && err === checkFailure) throw err; // a config error: the run stops
          return { outcome: 'failed', error: firstLine(err), code: errorCode(err) };
        } finally {
          slots.delete(asset.key);
        }
      },
      done: (asset, outcome) => {
        if (outcome.outcome !== 'failed') settleReused(outcome.work, requested);
        done++;
        if (outcome.outcome === 'failed') {
          report.failed.push({ path: asset.key, error: outcome.error });
          options.onEvent?.({ type: 'asset', path: asset.key, outcome: 'failed', detail: outcome.error, done, total: assets.length, ...(outcome.code ? { code: outcome.code } : {}) });
          return;
        }
        if (outcome.outcome === 'processed') {
          report.processed.push({ path: asset.key, type: asset.type, textures: outcome.textures, files: outcome.files, warnings: outcome.warnings });
        } else {
          report.skipped.push({ path: asset.key, reason: outcome.reason, ...(outcome.warnings.length ? { warnings: outcome.warnings } : {}) });
        }
        const detail = outcome.outcome === 'processed' ? describeTextures(outcome.textures) : outcome.reason;
        options.onEvent?.({ type: 'asset', path: asset.key, outcome: outcome.outcome, detail, done, total: assets.length });
      },
    });
    clean = report.failed.length === 0;
  } finally {
    if (!options.engine) await engine.close();
    // The run's journal folded into state.json, so the next load reads one file (best effort: the journal holds it anyway).
    if (!options.dryRun) await compactIfJournaled(root, state).catch((err) => (options.warn ?? options.log)?.(`${STATE_DIR}/state.json: not compacted (${firstLine(err)}); the journal keeps the run's records`));
    if (runCache) await runCache.cache.trim().catch((err) => (options.warn ?? options.log)?.(`${runCache!.cache.dir}: result cache not trimmed (${firstLine(err)})`));
    // A shard's own records, for merging shards by copying their trees (plugin/state/shard-state.ts).
    if (shard && !options.dryRun) await writeShardState(root, stateDir(root), state, shard.index, shard.count, assets.map((a) => a.key), assets.flatMap((a) => a.files));
    await options.stateSource?.release(root, state, clean && !options.dryRun);
  }
  return report;
}

/** The state's records of these assets only (their keys, their files). */
function recordsOf(state: StateData, assets: PlannedAsset[]): { files: Record<string, unknown>; assets: Record<string, { files: string[] }> } {
  const out = { files: {} as Record<string, unknown>, assets: {} as Record<string, { files: string[] }> };
  for (const asset of assets) {
    if (state.assets[asset.key]) out.assets[asset.key] = state.assets[asset.key];
    for (const rel of asset.files) if (state.files[rel]) out.files[rel] = state.files[rel];
  }
  return out;
}

/**
 * `reused` as a one-at-a-time run has it: the same image work was asked for before, by an earlier
 * asset in plan order or earlier in this one. Called per asset in plan order; `requested` carries over.
 */
function settleReused(work: ImageWork[], requested: Set<string>): void {
  work.forEach(({ work: key, report }, index) => {
    if (report) report.reused = requested.has(key) || work.findIndex((w) => w.work === key) < index;
  });
  for (const { work: key } of work) requested.add(key);
}

async function loadConfig(root: string, config: RemasterProjectOptions['config']): Promise<ProjectConfig> {
  if (config === undefined || typeof config === 'string') return loadProjectConfig(root, config);
  return configFromObject(config);
}

/**
 * A rule whose `match` matches no asset is most likely a typo in a glob: it silently did nothing.
 * (Slots are not considered: a rule can match a model whose textures it then does not touch.)
 */
function unmatchedRules(rules: SourcedRule[], keys: string[]): string[] {
  return rules
    .filter((r) => r.rule.match !== undefined && !keys.some((key) => ruleMatches({ rule: { match: r.rule.match }, source: r.source }, { path: key })))
    .map((r) => `${r.source.replace(/#(\d+)$/, '')}: rules.${r.source.replace(/^.*#/, '')}.match: ${JSON.stringify(r.rule.match)} matches no asset`);
}

function describeTextures(textures: TextureReport[]): string {
  // Model textures are named and tagged with their slots; a standalone texture is the asset itself.
  return textures
    .map((t) => `${t.slots.length ? `${t.name} [${t.slots.join('+')}]` : `[${t.kind}]`} ${t.before.width}x${t.before.height}→${t.after.width}x${t.after.height} (${t.engine})`)
    .join(', ');
}
