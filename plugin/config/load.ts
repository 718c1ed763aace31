/** Reads the project configuration and per-asset sidecars from disk. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE, DEFAULT_CONFIG, SIDECAR_SUFFIX } from './defaults';
import { ConfigError } from './errors';
import { validateConfig } from './validate';
import type { ProjectConfig, RemasterConfig, SourcedRule } from './types';

/**
 * The project's rules: `configFile` if given (resolved against the current directory), else
 * `<root>/remaster.config.json` if present, else the built-in DEFAULT_CONFIG.
 */
export async function loadProjectConfig(root: string, configFile?: string): Promise<ProjectConfig> {
  const file = configFile ?? path.join(root, CONFIG_FILE);
  const label = configFile ?? CONFIG_FILE;
  const text = await readIfExists(file);
  if (text === undefined) {
    if (configFile) throw new ConfigError(`${label}: cannot read config file`);
    return { source: '(built-in default)', rules: sourced(DEFAULT_CONFIG, 'default'), limits: {} };
  }
  const config = validateConfig(parseJSON(text, label), label);
  return { source: label, rules: sourced(config, path.basename(label)), limits: config.limits ?? {} };
}

/** Rules of `<asset>.remaster.json` next to the asset, or [] when there is none. */
export async function loadSidecarRules(root: string, assetRel: string): Promise<SourcedRule[]> {
  const rel = assetRel + SIDECAR_SUFFIX;
  const text = await readIfExists(path.join(root, rel));
  if (text === undefined) return [];
  return sourced(validateConfig(parseJSON(text, rel), rel, true), path.posix.basename(rel));
}

/** Parses a config given as an object (library API), with the same validation as a file. */
export function configFromObject(config: unknown, label = '(options.config)'): ProjectConfig {
  const valid = validateConfig(config, label);
  return { source: label, rules: sourced(valid, label), limits: valid.limits ?? {} };
}

export function isSidecar(rel: string): boolean {
  return rel.endsWith(SIDECAR_SUFFIX);
}

function sourced(config: RemasterConfig, label: string): SourcedRule[] {
  return config.rules.map((rule, i) => ({ rule, source: `${label}#${i}` }));
}

function parseJSON(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${label}: invalid JSON: ${(err as Error).message}`, { cause: err });
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`${file}: cannot read: ${(err as Error).message}`, { cause: err });
  }
}
