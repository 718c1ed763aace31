/**
 * `remasterProject(root, options)`: the whole pipeline over a project directory, as `remaster run`
 * does it. Returns the same report `remaster run --json` prints.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MAX_PIXELS } from '../config/defaults';
import { ConfigError, firstLine } from '../config/errors';
import { configFromObject, loadProjectConfig, loadSidecarRules } from '../config/load';
import type { ProjectConfig, RemasterConfig, SourcedRule } from '../config/types';
import { covers, toProjectPath } from '../discovery/project-paths';
import { discoverFiles } from '../discovery/walk';
import { createEngine, type Engine } from '../engine';
import { createIO } from '../gltf/io';
import { removeOrphanTempFiles } from '../safety/orphan-temp-files';
import { assertStateDirSafe } from '../safety/state-dir';
import { assertStateTargetsSafe } from '../safety/state-targets';
import { lockProject } from '../state/lock';
import { loadState, stateDir } from '../state/store';
import type { DeviceChoice } from '../types';
import type { AssetOutcome, RunContext } from './context';
import { ImageProcessor, type ImageRequests } from './image-processor';
import { preflight } from './preflight';
import { planAssets } from './plan';
import { blockDisagreeingSharers } from './shared-textures';
import { processModel } from './process-model';
import { processTexture } from './process-texture';
import type { RunEvent, RunReport, TextureReport } from './report';
import { runScheduled, Serial } from './schedule';

/** Two at once: one asset in the model while another is decoded, encoded or written (see test/bench/pipeline.ts). */
export const DEFAULT_CONCURRENCY = 2;

export interface RemasterProjectOptions {
  /** Config file path (relative to the current directory) or a config object. Default: `<root>/remaster.config.json`, else the built-in default. */
  config?: string | RemasterConfig;
  /** Report what would be done; write nothing, run no upscaling. */
  dryRun?: boolean;
  /** Device for neural models (ignored when `engine` is given). */
  device?: DeviceChoice;
  /** Only the assets at (or under) these project-relative or absolute paths. */
  paths?: string[];
  /**
   * Assets processed at once (default 2): one can be decoded, encoded and written while another is in
   * the model. Commits and inference stay one at a time; the report is in plan order whatever it is.
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
}

export async function remasterProject(root: string, options: RemasterProjectOptions = {}): Promise<RunReport> {
  root = path.resolve(root);
  const stat = await fs.stat(root).catch(() => null);
  if (!stat?.isDirectory()) throw new ConfigError(`${root}: not a directory`);
  const config = await loadConfig(root, options.config);
  assertStateDirSafe(root);
  // A dry run writes nothing, so it needs no lock (and creates no .remaster/).
  const unlock = options.dryRun ? async () => undefined : await lockProject(root);
  try {
    if (!options.dryRun) await removeOrphanTempFiles(root);
    return await runLocked(root, config, options);
  } finally {
    await unlock();
    await fs.rmdir(stateDir(root)).catch(() => undefined); // only if nothing was kept there
  }
}

async function runLocked(root: string, config: ProjectConfig, options: RemasterProjectOptions): Promise<RunReport> {
  const state = await loadState(root, options.warn ?? options.log);
  assertStateTargetsSafe(root, state); // a shipped .remaster/ naming paths through symlinks: refused before anything is touched
  const io = createIO();

  const planned = await planAssets(root, state, io, await discoverFiles(root));
  let assets = planned;
  if (options.paths) {
    const wanted = options.paths.map((p) => toProjectPath(root, p));
    assets = assets.filter((a) => [a.key, ...(state.assets[a.key]?.files ?? [])].some((rel) => wanted.some((w) => covers(w, rel))));
  }
  // Every sidecar is validated before anything is written: a bad config changes nothing.
  const sidecars = new Map<string, SourcedRule[]>();
  for (const asset of assets) sidecars.set(asset.key, await loadSidecarRules(root, asset.key));
  // Over the whole plan, not only the selected paths: a `run <dir> a.gltf` decides like a full run.
  await blockDisagreeingSharers(root, state, io, planned, async (key) => [...config.rules, ...(sidecars.get(key) ?? (await loadSidecarRules(root, key).catch(() => [])))]);

  const engine = options.engine ?? createEngine({ device: options.device, projectRoot: root, log: options.log });
  const report: RunReport = { processed: [], skipped: [], failed: [] };
  try {
    await preflight([...config.rules, ...[...sidecars.values()].flat()], { engine, root });
    const ctx: RunContext = {
      root, state, rules: config.rules, sidecars, io, processor: new ImageProcessor(engine, { dryRun: options.dryRun, limits: { maxPixels: config.limits.maxPixels ?? DEFAULT_MAX_PIXELS }, root }), written: new Map(), dryRun: Boolean(options.dryRun), serial: new Serial(),
    };
    options.onEvent?.({ type: 'start', total: assets.length });
    let done = 0;
    const requested = new Set<string>();
    await runScheduled(assets, {
      limit: options.concurrency ?? DEFAULT_CONCURRENCY,
      signal: options.signal,
      uses: (asset) => asset.files.map(stem),
      run: async (asset): Promise<{ outcome: AssetOutcome | { outcome: 'failed'; error: string }; requests: ImageRequests }> => {
        options.onEvent?.({ type: 'begin', path: asset.key });
        const requests: ImageRequests = { keys: [], reports: new Map() };
        const own = { ...ctx, processor: ctx.processor.forAsset(requests) };
        try {
          if (asset.blocked) throw new Error(asset.blocked);
          return { outcome: asset.type === 'texture' ? await processTexture(own, asset.key) : await processModel(own, asset.key, asset.type), requests };
        } catch (err) {
          return { outcome: { outcome: 'failed', error: firstLine(err) }, requests };
        }
      },
      done: (asset, { outcome, requests }) => {
        settleReused(requests, requested);
        done++;
        if (outcome.outcome === 'failed') {
          report.failed.push({ path: asset.key, error: outcome.error });
          options.onEvent?.({ type: 'asset', path: asset.key, outcome: 'failed', detail: outcome.error, done, total: assets.length });
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
  } finally {
    if (!options.engine) await engine.close();
  }
  return report;
}

/**
 * `reused` as a one-at-a-time run has it: the same image work was asked for before, by an earlier
 * asset in plan order or earlier in this one. Called per asset in plan order; `requested` carries over.
 */
function settleReused(requests: ImageRequests, requested: Set<string>): void {
  for (const [report, index] of requests.reports) {
    const key = requests.keys[index];
    report.reused = requested.has(key) || requests.keys.indexOf(key) < index;
  }
  for (const key of requests.keys) requested.add(key);
}

/**
 * Two assets touching the same file run one after the other. Image paths are compared without their
 * extension: a format change turns wall.png into wall.webp, which another asset may be using.
 */
function stem(rel: string): string {
  return rel.replace(/\.(png|jpe?g|webp)$/i, '').toLowerCase(); // case too: some file systems ignore it
}

async function loadConfig(root: string, config: RemasterProjectOptions['config']): Promise<ProjectConfig> {
  if (config === undefined || typeof config === 'string') return loadProjectConfig(root, config);
  return configFromObject(config);
}


function describeTextures(textures: TextureReport[]): string {
  // Model textures are named and tagged with their slots; a standalone texture is the asset itself.
  return textures
    .map((t) => `${t.slots.length ? `${t.name} [${t.slots.join('+')}]` : `[${t.kind}]`} ${t.before.width}x${t.before.height}→${t.after.width}x${t.after.height} (${t.engine})`)
    .join(', ');
}
