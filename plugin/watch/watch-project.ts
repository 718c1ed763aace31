/**
 * watchProject(): remasters a project's assets as they are imported or edited, like `remaster run`
 * limited to what changed. One job runs at a time: every job is a remasterProject() call, which loads
 * and saves the whole state.json, so two at once would lose each other's records; inside a job the
 * pipeline works on `concurrency` assets at once (commits and model inference still one at a time).
 *
 *   file events ──► SettleTracker (complete writes) ──► AssetIndex.update (files, models' resources)
 *     ──► classifyChanges (own outputs out, by hash) ──► AssetIndex.plan (owning assets only)
 *     ──► remasterProject({ planned, stateSource, signal }) ──► events
 *
 * A change batch costs what its assets cost, not what the project does: the index (asset-index.ts)
 * knows which assets own a file, and the state is kept between jobs (state-cache.ts). The startup pass,
 * a config change and a change to a file the project rules name (a style reference) re-plan every
 * asset, walking the project as `remaster run` does.
 */
import chokidar, { type FSWatcher } from 'chokidar';
import { EventEmitter, once } from 'node:events';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SIDECAR_SUFFIX, WATCH_DEFAULTS } from '../config/defaults';
import { checkOptions } from '../config/options';
import { ConfigError, errorCode, firstLine } from '../errors';
import { loadSidecarRules } from '../config/load';
import { sidecarCandidates } from '../config/sidecar-index';
import { createEngine, type Engine } from '../engine';
import { remasterProject } from '../pipeline/project';
import type { RunEvent } from '../pipeline/report';
import { classifyChanges } from './changes';
import { ConfigSource } from './config-source';
import { walkFiles } from '../discovery/walk-files';
import { isIgnoredPath, toRel } from './ignore';
import { AssetIndex } from './asset-index';
import { selectAllAssets } from './select';
import { StateCache } from './state-cache';
import { SettleTracker } from './settle';
import type { JobReason, ProjectWatcher, WatchEvent, WatchOptions } from './types';

const LOCKED_RETRY_MS = WATCH_DEFAULTS.lockedRetryMs;

/**
 * Watches a project: a startup pass like remasterProject(), then every saved model, texture, sidecar or
 * config change is remastered within seconds. Remaster's own writes are recognised by content hash.
 *
 * @example
 * import { watchProject } from 'remaster';
 *
 * const watcher = watchProject('assets', { stabilityMs: 500 });
 * watcher.on('event', (e) => { if (e.type === 'asset') console.log(e.outcome, e.path, e.detail); });
 * await watcher.ready;
 * process.on('SIGINT', () => void watcher.close());
 */
export function watchProject(dir: string, options: WatchOptions = {}): ProjectWatcher {
  checkOptions(options, 'watchProject()');
  return new Watcher(path.resolve(dir), options);
}

class Watcher extends EventEmitter<{ event: [WatchEvent] }> implements ProjectWatcher {
  readonly ready: Promise<void>;
  private readonly settle: SettleTracker;
  private readonly config: ConfigSource;
  /** File → owning assets, kept up to date batch by batch. */
  private readonly index: AssetIndex;
  /** The state, kept between jobs while nothing else writes it. */
  private readonly states: StateCache;
  private readonly pollMs: number;
  private readonly maxBatchWaitMs: number;
  /** Aborted by close(): the running job stops before its next asset. */
  private readonly abort = new AbortController();
  private engine?: Engine;
  private files?: FSWatcher;
  private timer?: NodeJS.Timeout;
  /** The batch being handled (at most one); close() waits for it. */
  private step: Promise<void> | null = null;
  private started = false;
  private closing: Promise<void> | null = null;
  private readonly totals = { processed: 0, skipped: 0, failed: 0 };
  /** Folders created since watching began, waiting to settle before they are re-listed. */
  private readonly newFolders = new Set<string>();
  /** Folders removed since watching began. */
  private readonly goneFolders = new Set<string>();
  /** A job refused because another run held the project's lock, tried again at `retryAt`. */
  private deferred: { reason: JobReason; wanted: Set<string> | 'all' } | null = null;
  private retryAt = 0;
  /** A job ran since the last `idle` event. */
  private worked = false;

  constructor(private readonly root: string, private readonly options: WatchOptions) {
    super();
    const stabilityMs = options.stabilityMs ?? WATCH_DEFAULTS.stabilityMs;
    this.settle = new SettleTracker(stabilityMs);
    this.pollMs = options.pollMs ?? Math.max(10, Math.round(stabilityMs / 5));
    this.maxBatchWaitMs = options.maxBatchWaitMs ?? WATCH_DEFAULTS.maxBatchWaitMs;
    this.config = new ConfigSource(root, options.config);
    this.index = new AssetIndex(root);
    this.states = new StateCache(root);
    this.ready = this.start();
    this.ready.catch(() => undefined); // the caller may never await it; close() still works
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async start(): Promise<void> {
    const stat = await fs.stat(this.root).catch(() => null);
    if (!stat?.isDirectory()) throw new ConfigError(`${this.root}: not a directory`);
    await this.config.load();
    if (this.closing) return;
    this.engine = this.options.engine ?? createEngine({ device: this.options.device, threads: this.options.threads, projectRoot: this.root, log: this.options.log });

    const watched = [this.root, ...(this.config.file && toRel(this.root, this.config.file) === null ? [this.config.file] : [])];
    this.files = chokidar.watch(watched, { ignoreInitial: true, atomic: true, followSymlinks: false, ignored: (file) => this.isIgnored(file) });
    this.files.on('all', (event, file) => {
      if (event === 'add' || event === 'change' || event === 'unlink') this.onFileEvent(file);
      else if (event === 'addDir') this.onNewFolder(file);
      else if (event === 'unlinkDir') this.onGoneFolder(file);
    });
    this.files.on('error', (err) => this.send({ type: 'problem', message: `file watcher: ${firstLine(err)}` }));
    try {
      await once(this.files, 'ready', { signal: this.abort.signal });
    } catch (err) {
      if (this.abort.signal.aborted) return;
      throw err;
    }
    this.send({ type: 'watching', root: this.root });
    await this.index.build(await this.states.load()); // changes from here on reach it through the batches

    // What is pending (like `remaster run`); files changed meanwhile are already collected.
    await this.runJob('startup', 'all');
    this.started = true;
    this.startTimer();
  }

  private async shutdown(): Promise<void> {
    this.abort.abort();
    this.stopTimer();
    await this.files?.close();
    await this.ready.catch(() => undefined);
    await this.step;
    this.settle.clear();
    if (this.engine && !this.options.engine) await this.engine.close();
    this.send({ type: 'stopped' });
  }

  private isIgnored(file: string): boolean {
    if (file === this.config.file) return false;
    const rel = toRel(this.root, file);
    return rel !== null && isIgnoredPath(rel);
  }

  private onFileEvent(file: string): void {
    if (this.closing || this.isIgnored(file)) return;
    this.settle.touch(file);
    this.startTimer();
  }

  /**
   * chokidar lists a new folder before it starts watching it, so a file created in between (an
   * exporter making a folder and writing into it at once) is never reported. The folder is therefore
   * re-listed once it has settled (its mtime changes with every entry added), when chokidar is
   * watching it for sure; what is found goes through the usual settle and hash checks.
   */
  private onNewFolder(folder: string): void {
    if (this.closing || this.isIgnored(folder)) return;
    this.newFolders.add(folder);
    this.settle.touch(folder);
    this.startTimer();
  }

  /** A removed folder: the index drops what it held (its files' own unlink events re-plan their owners). */
  private onGoneFolder(folder: string): void {
    if (this.closing || this.isIgnored(folder)) return;
    this.goneFolders.add(folder);
    this.settle.touch(folder);
    this.startTimer();
  }

  private async relist(folder: string): Promise<void> {
    for (const file of await listFiles(folder, (f) => this.isIgnored(f))) this.settle.touch(file);
  }

  private startTimer(): void {
    if (!this.timer && !this.closing) this.timer = setInterval(() => this.tick(), this.pollMs);
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One poll: settle pending files, handle a complete batch (never while another is being handled). */
  private tick(): void {
    if (this.step || !this.started || this.closing) return;
    this.step = (async () => {
      try {
        await this.settle.poll();
        const batch = this.settle.takeBatch(this.maxBatchWaitMs);
        if (batch.length > 0) await this.handleBatch(batch);
        if (this.deferred && Date.now() >= this.retryAt) {
          const { reason, wanted } = this.deferred;
          this.deferred = null;
          await this.runJob(reason, wanted);
        }
      } catch (err) {
        // Whatever went wrong (unreadable state, a vanished folder), the watcher keeps watching.
        this.send({ type: 'problem', message: firstLine(err) });
      } finally {
        this.step = null;
      }
      if (this.settle.size === 0 && !this.deferred && !this.closing) {
        this.stopTimer();
        if (this.worked) {
          this.worked = false;
          this.send({ type: 'idle', ...this.totals });
        }
      }
    })();
  }

  private async handleBatch(batch: string[]): Promise<void> {
    const files: string[] = [];
    const gone: string[] = [];
    for (const file of batch) {
      if (this.newFolders.delete(file)) await this.relist(file);
      else if (this.goneFolders.delete(file)) gone.push(file);
      else files.push(file);
    }
    // Every path, Remaster's own outputs included (wall.png → wall.webp moves an asset's file).
    await this.index.update([...gone, ...files].flatMap((file) => toRel(this.root, file) ?? []));
    if (files.length === 0) return;
    const state = await this.states.load();
    const changes = await classifyChanges(this.root, state, this.config.file, files);
    for (const { path: rel, reason } of changes.ignored) this.send({ type: 'ignored', path: rel, reason });
    if (changes.configChanged) {
      const problem = await this.config.reload();
      if (problem === null) return this.runJob('config', 'all');
      this.send({ type: 'problem', path: this.config.file ?? undefined, message: problem });
    }
    const inputs = this.config.inputFiles();
    if ([...changes.wanted].some((rel) => inputs.has(rel))) return this.runJob('config', 'all'); // a file the rules name: every asset may use it
    if (changes.wanted.size > 0) await this.runJob('changes', changes.wanted);
  }

  private async runJob(reason: JobReason, wanted: Set<string> | 'all'): Promise<void> {
    // A config change also re-walks the index: saving the config is a way to resync after missed events.
    const state = await this.states.load();
    if (reason === 'config') await this.index.build(state);
    const plan = wanted === 'all' ? null : await this.index.plan(state, wanted);
    const keys: string[] = [];
    const assets = plan?.assets ?? (await selectAllAssets(this.root, state));
    const mayHaveSidecar = await sidecarCandidates(this.root, assets.map((a) => a.key)); // one listing per folder, not one open per asset
    for (const asset of assets) {
      if (!mayHaveSidecar(asset.key)) {
        keys.push(asset.key);
        continue;
      }
      // The pipeline refuses a whole run over one bad sidecar; here only that asset waits for a fix.
      try {
        await loadSidecarRules(this.root, asset.key);
        keys.push(asset.key);
      } catch (err) {
        this.send({ type: 'problem', path: asset.key + SIDECAR_SUFFIX, message: `${firstLine(err)} (${asset.key} skipped until it is fixed)` });
      }
    }
    if (keys.length === 0 || this.abort.signal.aborted) return;
    this.worked = true;
    this.send({ type: 'job', reason, assets: keys });
    const onEvent = (event: RunEvent) => {
      if (event.type === 'asset') this.reportAsset(event);
      else if (event.type === 'begin') this.send({ type: 'asset-start', path: event.path });
    };
    try {
      const run = new Set(keys);
      await remasterProject(this.root, {
        config: this.config.forPipeline(), engine: this.engine, signal: this.abort.signal, onEvent, concurrency: this.options.concurrency, stateSource: this.states,
        ...(wanted === 'all' ? { paths: keys } : {
          // Planned again only if the state changed under the lock (another run in between).
          planned: async (locked) => {
            const { assets, context } = locked === state ? plan! : await this.index.plan(locked, wanted);
            return { assets: assets.filter((a) => run.has(a.key)), context };
          },
        }),
      });
    } catch (err) {
      if (this.abort.signal.aborted) return; // close(): the current asset finished, the rest waits
      if (errorCode(err) === 'PROJECT_LOCKED') {
        this.defer(reason, wanted);
        this.send({ type: 'problem', message: `${firstLine(err)}; trying again in ${LOCKED_RETRY_MS / 1000} s` });
        return;
      }
      this.send({ type: 'problem', message: firstLine(err) }); // e.g. a rule names a model that cannot be used
    } finally {
      // The state records of the assets just run (outputs they made, files they no longer have).
      const kept = this.states.current;
      if (kept) this.index.syncState(kept, wanted === 'all' ? undefined : keys);
    }
  }

  /** Keeps a refused job for later, merged with any already waiting (every asset wins over some). */
  private defer(reason: JobReason, wanted: Set<string> | 'all'): void {
    const waiting = this.deferred;
    if (waiting === null) this.deferred = { reason, wanted };
    else if (waiting.wanted === 'all') return;
    else if (wanted === 'all') this.deferred = { reason, wanted };
    else for (const rel of wanted) waiting.wanted.add(rel);
    this.retryAt = Date.now() + LOCKED_RETRY_MS;
    this.startTimer();
  }

  private reportAsset(event: Extract<RunEvent, { type: 'asset' }>): void {
    if (event.outcome === 'failed' && event.code === 'STALE_INPUT') {
      // Nothing was written; the newer content's own file event brings the asset back.
      this.send({ type: 'requeued', path: event.path, detail: event.detail });
      return;
    }
    this.totals[event.outcome]++;
    this.send({ type: 'asset', path: event.path, outcome: event.outcome, detail: event.detail });
  }

  private send(event: WatchEvent): void {
    this.emit('event', event);
  }
}

/** Every file under `folder` (absolute paths), not descending into ignored folders; [] once it is gone. */
async function listFiles(folder: string, ignored: (file: string) => boolean): Promise<string[]> {
  const abs = (rel: string) => path.join(folder, ...rel.split('/'));
  const files = await walkFiles(folder, { enter: (rel) => !ignored(abs(rel)), include: (rel) => !ignored(abs(rel)) });
  return files.map(abs);
}
