/** The public shape of watch mode: options, the events it reports, and the handle it returns. */
import type { EventEmitter } from 'node:events';
import type { RemasterConfig } from '../config/types';
import type { Engine } from '../engine';
import type { DeviceChoice } from '../types';

export interface WatchOptions {
  /** Config file (relative to the current directory) or a config object. Default: `<root>/remaster.config.json`, else the built-in default. */
  config?: string | RemasterConfig;
  /** Device for neural models (ignored when `engine` is given). */
  device?: DeviceChoice;
  /** Intra-op threads for neural models (default: available cores minus the load average; ignored when `engine` is given). */
  threads?: number;
  /** Engine to use; otherwise one is created for the watcher's lifetime and closed by close(). */
  engine?: Engine;
  /**
   * A changed file is read only once its size and mtime have stayed the same, with no file event, for
   * this long (exporters write big GLBs in chunks). Default 500 ms.
   */
  stabilityMs?: number;
  /** How often pending files are re-checked with stat() while they settle. Default stabilityMs / 5. */
  pollMs?: number;
  /**
   * Files are processed together once every pending file has settled, so a .gltf and its .bin and images
   * are one job; a file that keeps changing holds the others back at most this long. Default 5000 ms.
   */
  maxBatchWaitMs?: number;
  /** Assets processed at once within a job (default 2, as remasterProject). */
  concurrency?: number;
  /** Engine log lines (device fallback, model loaded). */
  log?: (line: string) => void;
}

/** Why a job runs. */
export type JobReason = 'startup' | 'config' | 'changes';

/** Everything watch mode reports, in order; `remaster watch --json` prints each as one line. */
export type WatchEvent =
  /** The file watcher is up; the startup pass (what is pending, like `remaster run`) follows. */
  | { type: 'watching'; root: string }
  /** A job starts over these assets (project-relative keys). */
  | { type: 'job'; reason: JobReason; assets: string[] }
  /** An asset starts being processed (several can be in progress at once). */
  | { type: 'asset-start'; path: string }
  /** One asset done (as `remaster run` reports it). */
  | { type: 'asset'; path: string; outcome: 'processed' | 'skipped' | 'failed'; detail: string }
  /** The asset's input changed while it was processed: nothing was written; it is processed again. */
  | { type: 'requeued'; path: string; detail: string }
  /** A file event that needs no work: Remaster's own output, or content it already handled. */
  | { type: 'ignored'; path: string; reason: string }
  /** Something the user must fix (invalid config or sidecar, unusable model); the watcher keeps running. */
  | { type: 'problem'; path?: string; message: string }
  /** Queue empty; totals since the watcher started. */
  | { type: 'idle'; processed: number; skipped: number; failed: number }
  /** close() finished: no job is running and nothing is watched. */
  | { type: 'stopped' };

/** The handle watchProject() returns. Subscribe with `watcher.on('event', (e: WatchEvent) => ...)`. */
export interface ProjectWatcher extends EventEmitter<{ event: [WatchEvent] }> {
  /**
   * Resolves once files are watched and the startup pass is done (or deferred while another run holds
   * the project lock); rejects on a bad directory, config or state file — then call close() to release.
   */
  readonly ready: Promise<void>;
  /** Stops taking jobs, lets the current asset finish (never a half-written file), stops watching. */
  close(): Promise<void>;
}
