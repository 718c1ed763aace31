/**
 * The warm engines of `remaster serve`: one per set of engine options and model (file and its
 * on-disk identity), kept between jobs so a job finds the model loaded and the inference worker
 * started. A model file changed on disk (retrained, replaced) gets a new engine; the old one is closed
 * when it is the least recently used of more than `max`.
 *
 * An engine logs its device and model lines once, when it makes its session. A job on a warm engine
 * gets those lines replayed, so it prints what the same command prints in its own process.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { EngineLease } from '../cli/command-result';
import { createEngine, type Engine, type EngineOptions } from '../engine';
import { looksLikePath, resolveModel } from '../engine/model-source';

interface Entry {
  key: string;
  engine: Engine;
  /** Every line the engine has logged, in order. */
  lines: string[];
  /** The logs of the jobs using it now. */
  listeners: Set<(line: string) => void>;
  users: number;
  lastUsed: number;
  /** A job on it failed: closed once unused, never leased again. */
  retired: boolean;
}

/** A pool's lease: also says whether its model loads in that engine, and can take the engine out of the pool. */
export interface PooledLease extends EngineLease {
  /** Whether the model loaded (the engine keeps a failed load: a retry needs a new engine). */
  healthy(): Promise<boolean>;
  /** Not leased again; closed once nobody uses it. */
  retire(): void;
}

export interface EnginePoolOptions {
  /** Engines kept warm at most (default 3); the least recently used idle one goes first. */
  max?: number;
  /** Told of each engine made, with its options and model (the server logs it). */
  onCreate?: (what: string) => void;
}

export class EnginePool {
  private readonly entries = new Map<string, Entry>();
  private readonly max: number;
  private readonly onCreate: (what: string) => void;
  private readonly closing: Promise<void>[] = [];

  constructor(options: EnginePoolOptions = {}) {
    this.max = options.max ?? 3;
    this.onCreate = options.onCreate ?? (() => undefined);
  }

  /**
   * A warm engine for these options and model, made now if there is none. Relative paths (a model
   * path) are the current directory's: the server runs a job in its client's directory.
   */
  lease(options: Omit<EngineOptions, 'log'>, model: string, log: (line: string) => void): PooledLease {
    const key = poolKey(options, model);
    let entry = this.entries.get(key);
    if (!entry) {
      const made: Entry = { key, engine: undefined as unknown as Engine, lines: [], listeners: new Set(), users: 0, lastUsed: 0, retired: false };
      made.engine = createEngine({
        ...options,
        log: (line) => {
          made.lines.push(line);
          for (const listener of made.listeners) listener(line);
        },
      });
      this.entries.set(key, made);
      entry = made;
      const flags = Object.entries(options).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${v}`);
      this.onCreate(`an engine for ${model}${flags.length ? ` (${flags.join(', ')})` : ''}`);
    }
    const leased = entry;
    for (const line of leased.lines) log(line);
    leased.listeners.add(log);
    leased.users++;
    let released = false;
    this.evict();
    return {
      engine: leased.engine,
      release: async () => {
        if (released) return;
        released = true;
        leased.listeners.delete(log);
        leased.users--;
        leased.lastUsed = performance.now();
        if (leased.retired && leased.users === 0) this.drop(leased);
      },
      healthy: () => leased.engine.checkModel(model).then(() => true, () => false),
      retire: () => {
        leased.retired = true;
        if (this.entries.get(leased.key) === leased) this.entries.delete(leased.key);
        if (leased.users === 0) this.drop(leased);
      },
    };
  }

  /** Closes every engine (the server is stopping; no job runs). */
  async close(): Promise<void> {
    for (const entry of [...this.entries.values()]) this.drop(entry);
    await Promise.allSettled(this.closing);
  }

  /** Over `max`: close the least recently used engines nobody uses. */
  private evict(): void {
    const idle = [...this.entries.values()].filter((e) => e.users === 0).sort((a, b) => a.lastUsed - b.lastUsed);
    while (this.entries.size > this.max && idle.length) this.drop(idle.shift()!);
  }

  private drop(entry: Entry): void {
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    this.closing.push(entry.engine.close().catch(() => undefined));
  }
}

/**
 * What tells warm engines apart: the options, and the model's file with its inode, size and mtime (a
 * rewritten model is a new engine). A relative model path adds the directory it is relative to; a
 * model that does not resolve is keyed by its name, and the job reports why as it would in its own process.
 */
function poolKey(options: Omit<EngineOptions, 'log'>, model: string): string {
  let identity: string;
  try {
    const source = resolveModel(model);
    if (source.kind === 'lanczos') identity = 'lanczos';
    else {
      const stat = statSync(source.file);
      identity = `${source.file}\0${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    }
  } catch {
    identity = `unresolved\0${model}`;
  }
  const base = looksLikePath(model) && !path.isAbsolute(model) ? process.cwd() : '';
  return JSON.stringify({ device: options.device, threads: options.threads, tileSize: options.tileSize, tileOverlap: options.tileOverlap, workers: options.workers, inference: options.inference, base, identity });
}
