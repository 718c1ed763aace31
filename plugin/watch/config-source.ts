/**
 * The project rules as watch mode uses them: re-read when the config file changes, and when the new
 * file is invalid the last good rules stay in force (reported once per change) until it is fixed.
 */
import path from 'node:path';
import { CONFIG_FILE } from '../config/defaults';
import { configFromObject, loadProjectConfig } from '../config/load';
import type { RemasterConfig } from '../config/types';
import { ruleInputFiles } from '../pipeline/operation-inputs';
import { toRel } from './ignore';

export class ConfigSource {
  /** Absolute path of the config file to watch; null for a config object (nothing to watch). */
  readonly file: string | null;
  /** Set while the file on disk is invalid: the last good rules, passed to the pipeline as an object. */
  private lastGood: RemasterConfig | null = null;
  private fileIsValid = true;

  constructor(private readonly root: string, private readonly option: string | RemasterConfig | undefined) {
    this.file = typeof option === 'object' ? null : path.resolve(option ?? path.join(root, CONFIG_FILE));
  }

  /** Reads and validates the config; throws ConfigError (a bad config at startup is a usage error). */
  async load(): Promise<void> {
    if (typeof this.option === 'object') {
      configFromObject(this.option);
      return;
    }
    this.lastGood = await this.read();
    this.fileIsValid = true;
  }

  /** After the file changed: returns the problem when the new content is invalid (last good rules kept). */
  async reload(): Promise<string | null> {
    try {
      await this.load();
      return null;
    } catch (err) {
      this.fileIsValid = false;
      return `${(err as Error).message} (keeping the last good rules until it is fixed)`;
    }
  }

  /** What remasterProject's `config` option gets: the file itself while valid, else the last good rules. */
  forPipeline(): string | RemasterConfig | undefined {
    if (typeof this.option === 'object') return this.option;
    return this.fileIsValid ? this.option : this.lastGood ?? undefined;
  }

  /**
   * Project-relative paths of the files the project rules name (a style reference image): a change to
   * one re-plans every asset, as a config change does.
   */
  inputFiles(): Set<string> {
    const config = typeof this.option === 'object' ? this.option : this.lastGood;
    const out = new Set<string>();
    for (const { file } of ruleInputFiles((config?.rules ?? []).map((rule) => ({ rule })))) {
      const rel = toRel(this.root, path.resolve(this.root, file));
      if (rel !== null) out.add(rel);
    }
    return out;
  }

  private async read(): Promise<RemasterConfig> {
    const config = await loadProjectConfig(this.root, typeof this.option === 'string' ? this.option : undefined);
    return { rules: config.rules.map((r) => r.rule) };
  }
}
