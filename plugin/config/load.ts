/** Reads the project configuration and per-asset sidecars from disk. */
import path from 'node:path';
import { readRegularFile } from '../safety/regular-file';
import { MAX_CONFIG_BYTES } from './bounds';
import { CONFIG_FILE, DEFAULT_CONFIG, SIDECAR_SUFFIX } from './defaults';
import { ConfigError, showName } from './errors';
import { assertInsideRoot, UnsafePathError } from '../safety/project-paths';
import { validateConfig } from './validate';
import type { ProjectConfig, RemasterConfig, SourcedRule } from './types';

/**
 * The project's rules: `configFile` if given (resolved against the current directory), else
 * `<root>/remaster.config.json` if present, else the built-in DEFAULT_CONFIG.
 */
export async function loadProjectConfig(root: string, configFile?: string): Promise<ProjectConfig> {
  const file = configFile ?? path.join(root, CONFIG_FILE);
  const label = configFile ?? CONFIG_FILE;
  if (!configFile) assertConfigInside(root, CONFIG_FILE); // --config names a file on purpose; the project's own must be in it
  const text = await readIfExists(file, label);
  if (text === undefined) {
    if (configFile) throw new ConfigError(`${label}: cannot read config file`);
    return { source: '(built-in default)', rules: sourced(DEFAULT_CONFIG, 'default'), limits: {} };
  }
  const config = validateConfig(parseJSON(text, label), label);
  return { source: label, rules: sourced(config, path.basename(label)), limits: config.limits ?? {}, ...(config.cache ? { cache: config.cache } : {}) };
}

/** Rules of `<asset>.remaster.json` next to the asset, or [] when there is none. */
export async function loadSidecarRules(root: string, assetRel: string): Promise<SourcedRule[]> {
  const rel = assetRel + SIDECAR_SUFFIX;
  // A name too long to take the suffix (> ~240 bytes) cannot have a sidecar: its asset just has none.
  if (Buffer.byteLength(path.posix.basename(rel)) > MAX_NAME_BYTES) return [];
  assertConfigInside(root, rel);
  const text = await readIfExists(path.join(root, rel), rel);
  if (text === undefined) return [];
  return sourced(validateConfig(parseJSON(text, rel), rel, true), path.posix.basename(rel));
}

/** Parses a config given as an object (library API), with the same validation as a file. */
export function configFromObject(config: unknown, label = '(options.config)'): ProjectConfig {
  const valid = validateConfig(config, label);
  return { source: label, rules: sourced(valid, label), limits: valid.limits ?? {}, ...(valid.cache ? { cache: valid.cache } : {}) };
}

export function isSidecar(rel: string): boolean {
  return rel.endsWith(SIDECAR_SUFFIX);
}

/** Longest file name (bytes) on Linux, macOS and Windows file systems. */
const MAX_NAME_BYTES = 255;

function sourced(config: RemasterConfig, label: string): SourcedRule[] {
  return config.rules.map((rule, i) => ({ rule, source: `${label}#${i}` }));
}

function parseJSON(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${label}: invalid JSON: ${withoutExcerpt((err as Error).message)}`, { cause: err });
  }
}

/**
 * V8 quotes the text it choked on (`Unexpected token 'r', "root:x:0:0:"... is not valid JSON`): a
 * message must never echo a file's bytes, so that part is dropped.
 */
function withoutExcerpt(message: string): string {
  if (!/is not valid JSON$/.test(message)) return message;
  return /^Unexpected token/.test(message) ? 'unexpected character' : 'not valid JSON';
}

/**
 * A config or sidecar in the project that is a symlink to a file elsewhere (a cloned repository, a
 * mod) is not read: Remaster reads nothing outside the project.
 */
function assertConfigInside(root: string, rel: string): void {
  try {
    assertInsideRoot(root, rel);
  } catch (err) {
    if (err instanceof UnsafePathError) throw new ConfigError(`${showName(rel)}: is a symlink that leads outside the project; not read (copy the file in instead)`);
    throw err;
  }
}

async function readIfExists(file: string, label: string): Promise<string | undefined> {
  try {
    return (await readRegularFile(file, { maxBytes: MAX_CONFIG_BYTES }))?.toString('utf8') ?? undefined;
  } catch (err) {
    throw new ConfigError(`${label}: ${(err as NodeJS.ErrnoException).code ? `cannot read: ${(err as Error).message}` : (err as Error).message}`, { cause: err });
  }
}
