/**
 * `remasterProject(root, options)`: the whole pipeline over a project directory, as `remaster run`
 * does it. Returns the same report `remaster run --json` prints.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MAX_PIXELS } from '../config/defaults';
import { ConfigError } from '../config/errors';
import { configFromObject, loadProjectConfig, loadSidecarRules } from '../config/load';
import type { ProjectConfig, RemasterConfig, SourcedRule } from '../config/types';
import { covers, toProjectPath } from '../discovery/project-paths';
import { discoverFiles } from '../discovery/walk';
import { createEngine, type Engine } from '../engine';
import { createIO } from '../gltf/io';
import { removeOrphanTempFiles } from '../safety/orphan-temp-files';
import { assertStateDirSafe } from '../safety/state-dir';
import { lockProject } from '../state/lock';
import { loadState, stateDir } from '../state/store';
import type { DeviceChoice } from '../types';
import type { AssetOutcome, RunContext } from './context';
import { ImageProcessor } from './image-processor';
import { planAssets } from './plan';
import { processModel } from './process-model';
import { processTexture } from './process-texture';
import type { RunEvent, RunReport, TextureReport } from './report';

export interface RemasterProjectOptions {
  /** Config file path (relative to the current directory) or a config object. Default: `<root>/remaster.config.json`, else the built-in default. */
  config?: string | RemasterConfig;
  /** Report what would be done; write nothing, run no upscaling. */
  dryRun?: boolean;
  /** Device for neural models (ignored when `engine` is given). */
  device?: DeviceChoice;
  /** Only the assets at (or under) these project-relative or absolute paths. */
  paths?: string[];
  /** Stops before the next asset (the current one finishes or is not written); the run then throws. */
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Engine to reuse (watch mode); otherwise one is created for the run and closed at the end. */
  engine?: Engine;
  /** Engine log lines (device fallback, model loaded). */
  log?: (line: string) => void;
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
  const state = await loadState(root);
  const io = createIO();

  let assets = await planAssets(root, state, io, await discoverFiles(root));
  if (options.paths) {
    const wanted = options.paths.map((p) => toProjectPath(root, p));
    assets = assets.filter((a) => [a.key, ...(state.assets[a.key]?.files ?? [])].some((rel) => wanted.some((w) => covers(w, rel))));
  }
  // Every sidecar is validated before anything is written: a bad config changes nothing.
  const sidecars = new Map<string, SourcedRule[]>();
  for (const asset of assets) sidecars.set(asset.key, await loadSidecarRules(root, asset.key));

  const engine = options.engine ?? createEngine({ device: options.device, projectRoot: root, log: options.log });
  const report: RunReport = { processed: [], skipped: [], failed: [] };
  try {
    await checkModels(engine, [...config.rules, ...[...sidecars.values()].flat()]);
    const ctx: RunContext = {
      root, state, rules: config.rules, sidecars, io, processor: new ImageProcessor(engine, options.dryRun, { maxPixels: config.limits.maxPixels ?? DEFAULT_MAX_PIXELS }), written: new Map(), dryRun: Boolean(options.dryRun),
    };
    options.onEvent?.({ type: 'start', total: assets.length });
    for (const [i, asset] of assets.entries()) {
      options.signal?.throwIfAborted();
      let outcome: AssetOutcome;
      try {
        if (asset.blocked) throw new Error(asset.blocked);
        outcome = asset.type === 'texture' ? await processTexture(ctx, asset.key) : await processModel(ctx, asset.key, asset.type);
      } catch (err) {
        const error = firstLine(err);
        report.failed.push({ path: asset.key, error });
        options.onEvent?.({ type: 'asset', path: asset.key, outcome: 'failed', detail: error, done: i + 1, total: assets.length });
        continue;
      }
      if (outcome.outcome === 'processed') {
        report.processed.push({ path: asset.key, type: asset.type, textures: outcome.textures, files: outcome.files, warnings: outcome.warnings });
      } else {
        report.skipped.push({ path: asset.key, reason: outcome.reason, ...(outcome.warnings.length ? { warnings: outcome.warnings } : {}) });
      }
      const detail = outcome.outcome === 'processed' ? describeTextures(outcome.textures) : outcome.reason;
      options.onEvent?.({ type: 'asset', path: asset.key, outcome: outcome.outcome, detail, done: i + 1, total: assets.length });
    }
  } finally {
    if (!options.engine) await engine.close();
  }
  return report;
}

async function loadConfig(root: string, config: RemasterProjectOptions['config']): Promise<ProjectConfig> {
  if (config === undefined || typeof config === 'string') return loadProjectConfig(root, config);
  return configFromObject(config);
}

/** An unusable model name is a config error (exit 2), found before any asset is touched. */
async function checkModels(engine: Engine, rules: SourcedRule[]): Promise<void> {
  const checked = new Set<string>();
  for (const { rule, source } of rules) {
    const model = rule.upscale ? rule.upscale.model : undefined;
    if (!model || checked.has(model)) continue;
    checked.add(model);
    try {
      await engine.checkModel(model);
    } catch (err) {
      throw new ConfigError(`${source.replace(/#(\d+)$/, '')}: rules.${source.replace(/^.*#/, '')}.upscale.model: ${firstLine(err)}`);
    }
  }
}

function describeTextures(textures: TextureReport[]): string {
  // Model textures are named and tagged with their slots; a standalone texture is the asset itself.
  return textures
    .map((t) => `${t.slots.length ? `${t.name} [${t.slots.join('+')}]` : `[${t.kind}]`} ${t.before.width}x${t.before.height}→${t.after.width}x${t.after.height} (${t.engine})`)
    .join(', ');
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0];
}
